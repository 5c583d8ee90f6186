import type { ApiErrorCode, ApiFailure } from '$lib/api';
import { type MessageRef, summarizeFailure } from '$lib/errors/explain';

/**
 * Privacy-centre errors as messages of messages/privacy/{en,fr}.json. Plain data, checked against
 * both files by errors.test.ts; ./say.ts renders it. Other codes fall through to the shared
 * explanation ($lib/errors/explain.ts), so the API's own words are never shown.
 */
export const PRIVACY_ERROR_KEYS = [
  'privacy_error_export_too_soon',
  'privacy_error_export_too_soon_later',
  'privacy_error_export_gone',
  'privacy_error_export_not_ready',
  'privacy_error_wrong_passkey',
  'privacy_error_not_pending',
  'privacy_error_pending_deletion',
] as const;

export type PrivacyErrorKey = (typeof PRIVACY_ERROR_KEYS)[number];

export type PrivacyMessage =
  | { key: PrivacyErrorKey; params?: Record<string, string> }
  | { shared: MessageRef };

const SIMPLE: Partial<Record<ApiErrorCode, PrivacyErrorKey>> = {
  'export.not_found': 'privacy_error_export_gone',
  'export.not_ready': 'privacy_error_export_not_ready',
  'deletion.wrong_passkey': 'privacy_error_wrong_passkey',
  'deletion.not_pending': 'privacy_error_not_pending',
  'account.pending_deletion': 'privacy_error_pending_deletion',
};

/**
 * One message for a failed privacy call. `export.too_soon` names the moment a new request is
 * possible (ISO, the page formats it), computed from the wait the API gives.
 */
export function explainPrivacyFailure(failure: ApiFailure, now: Date = new Date()): PrivacyMessage {
  if (failure.code === 'export.too_soon') {
    if (failure.retryAfterSeconds === null) return { key: 'privacy_error_export_too_soon_later' };
    const at = new Date(now.getTime() + failure.retryAfterSeconds * 1000).toISOString();
    return { key: 'privacy_error_export_too_soon', params: { at } };
  }
  const key = SIMPLE[failure.code];
  return key ? { key } : { shared: summarizeFailure(failure) };
}
