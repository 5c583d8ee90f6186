import { translate } from '$lib/errors/translate';
import { formatDate } from '$lib/format/date';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { PrivacyErrorKey, PrivacyMessage } from './errors';

type Render = (inputs: Record<string, string>) => string;

/** The compiled privacy error messages, one by one, so the type check fails if one is missing. */
const COMPILED = {
  privacy_error_export_too_soon: m.privacy_error_export_too_soon,
  privacy_error_export_too_soon_later: m.privacy_error_export_too_soon_later,
  privacy_error_export_gone: m.privacy_error_export_gone,
  privacy_error_export_not_ready: m.privacy_error_export_not_ready,
  privacy_error_wrong_passkey: m.privacy_error_wrong_passkey,
  privacy_error_not_pending: m.privacy_error_not_pending,
  privacy_error_pending_deletion: m.privacy_error_pending_deletion,
} satisfies Record<PrivacyErrorKey, unknown>;

const MESSAGES = COMPILED as unknown as Record<PrivacyErrorKey, Render>;

/** The text of a privacy message in the page's language; dates (`at`) in the reader's format. */
export function sayPrivacy(message: PrivacyMessage): string {
  if ('shared' in message) return translate(message.shared);
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) {
    inputs[name] = name === 'at' ? formatDate(value, 'dateTime', getLocale()) : value;
  }
  return MESSAGES[message.key](inputs);
}
