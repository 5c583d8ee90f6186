import type { ApiFailure } from '$lib/api';
import { explainFailure, type MessageRef } from '$lib/errors/explain';

/**
 * Club API errors → messages of messages/clubs/*.json, next to the form field they concern.
 * Plain data like lib/errors/explain.ts (which it falls back on for everything else), so the unit
 * test can check every key against both message files; `say()` in ./say.ts renders it.
 */
export const CLUB_ERROR_KEYS = [
  'club_error_not_found',
  'club_error_slug_taken',
  'club_error_slug_format',
  'club_error_slug_reserved',
  'club_error_slug_empty',
  'club_error_name_too_short',
  'club_error_name_too_long',
  'club_error_description_too_long',
  'club_error_rules_too_long',
  'club_error_not_admin',
  'club_error_not_host',
  'club_error_invite_only',
  'club_error_last_admin',
  'club_error_member_not_found',
  'club_error_username_unknown',
  'club_error_username_format',
  'club_error_confirm_mismatch',
] as const;

export type ClubErrorKey = (typeof CLUB_ERROR_KEYS)[number];

/** A message of ours, or one of the shared error messages. */
export type ClubMessage = { key: ClubErrorKey } | MessageRef;

export type ClubField = 'name' | 'slug' | 'description' | 'rules' | 'username' | 'confirm';

export interface ClubExplanation {
  fields: Partial<Record<ClubField, ClubMessage>>;
  summary: ClubMessage | null;
}

const BY_CODE: Record<string, { key: ClubErrorKey; field?: ClubField }> = {
  'club.not_found': { key: 'club_error_not_found' },
  'club.slug_taken': { key: 'club_error_slug_taken', field: 'slug' },
  'club.slug_format': { key: 'club_error_slug_format', field: 'slug' },
  'club.slug_reserved': { key: 'club_error_slug_reserved', field: 'slug' },
  'club.name_too_short': { key: 'club_error_name_too_short', field: 'name' },
  'club.name_too_long': { key: 'club_error_name_too_long', field: 'name' },
  'club.description_too_long': { key: 'club_error_description_too_long', field: 'description' },
  'club.rules_too_long': { key: 'club_error_rules_too_long', field: 'rules' },
  'club.not_admin': { key: 'club_error_not_admin' },
  'club.not_host': { key: 'club_error_not_host' },
  'club.invite_only': { key: 'club_error_invite_only' },
  'club.last_admin': { key: 'club_error_last_admin' },
  'club.member_not_found': { key: 'club_error_member_not_found' },
};

/** Body paths as the API names them → our fields; what a problem there means when unnamed. */
const FIELDS: Record<string, { field: ClubField; fallback: ClubErrorKey }> = {
  name: { field: 'name', fallback: 'club_error_name_too_short' },
  slug: { field: 'slug', fallback: 'club_error_slug_format' },
  description: { field: 'description', fallback: 'club_error_description_too_long' },
  rules: { field: 'rules', fallback: 'club_error_rules_too_long' },
  username: { field: 'username', fallback: 'club_error_username_format' },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ExplainOptions {
  /**
   * In the invitation form, "this person is not in the club" means nobody has that @username:
   * the message then goes next to the field.
   */
  inviting?: boolean;
}

/** Turns a failed club request into messages, next to a field when it concerns one. */
export function explainClubFailure(failure: ApiFailure, options: ExplainOptions = {}): ClubExplanation {
  if (failure.code === 'club.member_not_found' && options.inviting) {
    return { fields: { username: { key: 'club_error_username_unknown' } }, summary: null };
  }
  const known = BY_CODE[failure.code];
  if (known) {
    const message = { key: known.key };
    return known.field
      ? { fields: { [known.field]: message }, summary: null }
      : { fields: {}, summary: message };
  }
  if (failure.code === 'request.invalid') {
    const fields: ClubExplanation['fields'] = {};
    let unplaced = false;
    for (const detail of failure.details) {
      if (!isRecord(detail)) continue;
      const path = typeof detail.path === 'string' ? (detail.path.split('.')[0] ?? '') : '';
      const target = FIELDS[path];
      if (!target) {
        unplaced = true;
        continue;
      }
      if (fields[target.field]) continue;
      const byMessage = typeof detail.message === 'string' ? BY_CODE[detail.message] : undefined;
      fields[target.field] = { key: byMessage?.key ?? target.fallback };
    }
    if (Object.keys(fields).length > 0) {
      return { fields, summary: unplaced ? { key: 'error_request_invalid' } : null };
    }
  }
  const general = explainFailure(failure);
  const summary = general.summary ?? Object.values(general.fields)[0] ?? { key: 'error_unknown' as const };
  return { fields: {}, summary };
}

/** Problems found in the browser, in the same shape as the API's. */
export function localProblems(found: Partial<Record<ClubField, ClubErrorKey>>): ClubExplanation {
  const fields: ClubExplanation['fields'] = {};
  for (const [field, key] of Object.entries(found) as [ClubField, ClubErrorKey][]) fields[field] = { key };
  return { fields, summary: null };
}

/**
 * The explanation without the message of the field an input event came from (ids are
 * `<prefix>-<field>`): once the person edits a field, what was said about it no longer holds.
 */
export function withoutFieldOf(problem: ClubExplanation, event: Event, prefix = 'club'): ClubExplanation {
  const id = event.target instanceof Element ? event.target.id : '';
  const field = id.startsWith(`${prefix}-`) ? (id.slice(prefix.length + 1) as ClubField) : null;
  if (!field || !problem.fields[field]) return problem;
  const { [field]: _edited, ...fields } = problem.fields;
  return { ...problem, fields };
}

/** One message for the whole failure, for a button or a list row. */
export function summarizeClubFailure(failure: ApiFailure, options: ExplainOptions = {}): ClubMessage {
  const { fields, summary } = explainClubFailure(failure, options);
  return summary ?? Object.values(fields)[0] ?? { key: 'error_unknown' };
}
