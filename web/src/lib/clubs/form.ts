import type { ClubErrorKey, ClubField } from './errors';
import { normalizeSlug, slugProblem } from './slug';
import type { JoinPolicy, RoomVisibility } from './types';

export const NAME_MIN = 2;
export const NAME_MAX = 60;
export const DESCRIPTION_MAX = 500;
export const RULES_MAX = 2000;

/** A club's details as the create and edit forms hold them. */
export interface ClubDetails {
  name: string;
  slug: string;
  description: string;
  rules: string;
  joinPolicy: JoinPolicy;
  roomVisibility: RoomVisibility;
}

/** The name as the API stores it: NFC, inner spaces collapsed, trimmed. */
export function cleanName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Lengths as the API counts them (NFC, trimmed). */
export function textLength(text: string): number {
  return text.normalize('NFC').trim().length;
}

/**
 * What the API would refuse, checked before asking it, by field (in the form's order, so the
 * first one is where focus goes). `withSlug` is false when editing: the address never changes.
 */
export function checkDetails(
  details: ClubDetails,
  withSlug: boolean,
): Partial<Record<ClubField, ClubErrorKey>> {
  const problems: Partial<Record<ClubField, ClubErrorKey>> = {};
  const name = cleanName(details.name);
  if (name.length < NAME_MIN) problems.name = 'club_error_name_too_short';
  else if (name.length > NAME_MAX) problems.name = 'club_error_name_too_long';
  if (withSlug) {
    const slug = slugProblem(details.slug);
    if (slug === 'empty') problems.slug = 'club_error_slug_empty';
    else if (slug === 'format') problems.slug = 'club_error_slug_format';
    else if (slug === 'reserved') problems.slug = 'club_error_slug_reserved';
  }
  if (textLength(details.description) > DESCRIPTION_MAX)
    problems.description = 'club_error_description_too_long';
  if (textLength(details.rules) > RULES_MAX) problems.rules = 'club_error_rules_too_long';
  return problems;
}

/** The body of POST /v1/clubs. */
export function createBody(details: ClubDetails) {
  return {
    name: cleanName(details.name),
    slug: normalizeSlug(details.slug),
    description: details.description,
    rules: details.rules,
    joinPolicy: details.joinPolicy,
    roomVisibility: details.roomVisibility,
  };
}

/** The body of PATCH /v1/clubs/:slug. */
export function updateBody(details: ClubDetails) {
  const { slug: _slug, ...rest } = createBody(details);
  return rest;
}
