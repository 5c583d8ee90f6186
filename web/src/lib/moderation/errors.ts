import type { ApiErrorCode, ApiFailure } from '$lib/api';
import { explainFailure, type MessageRef } from '$lib/errors/explain';
import type { FormProblem } from './form';
import { LIMITS } from './types';

/**
 * Moderation API failures → messages, next to the form field they concern when they concern
 * one. Codes that mean the same on every page (a suspended account, a rate limit, a claim held
 * by someone else) are mapped once in $lib/errors/explain.ts; this adds field placement for the
 * moderation forms. Plain data, so tests check every key against both message files.
 */

/** Every key the moderation forms can show of their own (the others are explain.ts keys). */
export const MOD_FORM_ERROR_KEYS = [
  'mod_error_too_short',
  'mod_error_too_long',
  'mod_error_category_required',
  'mod_error_law_required',
  'mod_error_action_required',
  'mod_error_ground_required',
  'mod_error_duration_range',
  'mod_error_outcome_required',
  'mod_error_username_format',
  'mod_error_at_invalid',
] as const satisfies readonly FormProblem['key'][];

export type ModMessage = FormProblem | MessageRef;

export interface ModExplanation<F extends string> {
  fields: Partial<Record<F, ModMessage>>;
  summary: ModMessage | null;
}

/** What a validation problem on a body path means when the API's message is a generic one. */
const FALLBACK_BY_PATH: Record<string, FormProblem> = {
  category: { key: 'mod_error_category_required' },
  law: { key: 'mod_error_law_required' },
  at: { key: 'mod_error_at_invalid' },
  action: { key: 'mod_error_action_required' },
  ground: { key: 'mod_error_ground_required' },
  durationDays: { key: 'mod_error_duration_range' },
  outcome: { key: 'mod_error_outcome_required' },
  username: { key: 'mod_error_username_format' },
};

/** Codes that belong next to a field of the moderation forms. */
const FIELD_BY_CODE: Partial<Record<ApiErrorCode, string>> = {
  'report.law_required': 'law',
  'report.at_outside_room': 'at',
  'decision.duration_required': 'durationDays',
  'decision.subject_required': 'subjectId',
  'decision.subject_unrelated': 'subjectId',
};

/** The limits of each free-text body path, for the API's `<path>.too_short/too_long` messages. */
const LIMIT_BY_PATH: Record<string, { min: number; max: number }> = {
  law: LIMITS.law,
  description: LIMITS.description,
  text: LIMITS.appeal,
  reason: LIMITS.playbackReason,
  facts: LIMITS.facts,
  groundDetail: LIMITS.groundDetail,
  scope: LIMITS.scope,
  reasons: LIMITS.appealReasons,
};

/** A detail message that is one of the codes above: it is explained as that code would be. */
function isFieldCode(message: unknown): message is ApiErrorCode {
  return typeof message === 'string' && Object.hasOwn(FIELD_BY_CODE, message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A length problem said by the API: `<path>.too_short` / `<path>.too_long`, or zod's own words. */
function lengthFromDetail(path: string, detail: Record<string, unknown>): FormProblem | null {
  const limit = LIMIT_BY_PATH[path];
  if (limit && detail.message === `${path}.too_short`)
    return { key: 'mod_error_too_short', params: { min: limit.min } };
  if (limit && detail.message === `${path}.too_long`) {
    return { key: 'mod_error_too_long', params: { max: limit.max } };
  }
  if (typeof detail.minimum === 'number')
    return { key: 'mod_error_too_short', params: { min: detail.minimum } };
  if (typeof detail.maximum === 'number') {
    return { key: 'mod_error_too_long', params: { max: detail.maximum } };
  }
  const message = typeof detail.message === 'string' ? detail.message : '';
  const min = /(?:>=|at least)\s*(\d+)/.exec(message)?.[1];
  if (min && /small|short|least/i.test(message))
    return { key: 'mod_error_too_short', params: { min: Number(min) } };
  const max = /(?:<=|at most)\s*(\d+)/.exec(message)?.[1];
  if (max && /big|long|most/i.test(message))
    return { key: 'mod_error_too_long', params: { max: Number(max) } };
  return null;
}

/**
 * Explains a failure for a form whose fields are `fields` (body paths as the API names them).
 * Anything that concerns none of them becomes the summary, in the shared words.
 */
export function explainModFailure<F extends string>(
  failure: ApiFailure,
  fields: readonly F[],
): ModExplanation<F> {
  const own = (name: string): name is F => (fields as readonly string[]).includes(name);
  const field = FIELD_BY_CODE[failure.code];
  const general = explainFailure(failure);
  const generalSummary = general.summary ??
    Object.values(general.fields)[0] ?? { key: 'error_unknown' as const };
  if (field && own(field)) {
    return { fields: { [field]: generalSummary } as Partial<Record<F, ModMessage>>, summary: null };
  }
  if (failure.code === 'request.invalid') {
    const placed: Partial<Record<F, ModMessage>> = {};
    let unplaced = false;
    for (const detail of failure.details) {
      if (!isRecord(detail)) continue;
      const path = typeof detail.path === 'string' ? (detail.path.split('.')[0] ?? '') : '';
      if (!own(path)) {
        unplaced = true;
        continue;
      }
      if (placed[path]) continue;
      const byCode = isFieldCode(detail.message)
        ? explainFailure({ ...failure, code: detail.message }).summary
        : null;
      placed[path] = byCode ??
        lengthFromDetail(path, detail) ??
        FALLBACK_BY_PATH[path] ?? { key: 'error_request_invalid' };
    }
    if (Object.keys(placed).length > 0) {
      return { fields: placed, summary: unplaced ? { key: 'error_request_invalid' } : null };
    }
  }
  return { fields: {}, summary: generalSummary };
}

/** One message for the whole failure, for a button or a list row. */
export function summarizeModFailure(failure: ApiFailure): ModMessage {
  const { fields, summary } = explainModFailure(failure, []);
  return summary ?? Object.values<ModMessage | undefined>(fields)[0] ?? { key: 'error_unknown' };
}
