import { LIMITS, type NewDecision, type NewReport, type ReportCategory } from './types';

/**
 * What the moderation forms check before asking the API (which checks the same again). Each
 * problem is a message of messages/mod/*.json with its inputs, by field, in the form's order.
 */

export type LengthProblem =
  | { key: 'mod_error_too_short'; params: { min: number } }
  | { key: 'mod_error_too_long'; params: { max: number } };

export type FormProblem =
  | LengthProblem
  | { key: 'mod_error_category_required' }
  | { key: 'mod_error_law_required' }
  | { key: 'mod_error_action_required' }
  | { key: 'mod_error_ground_required' }
  | { key: 'mod_error_duration_range' }
  | { key: 'mod_error_outcome_required' }
  | { key: 'mod_error_username_format' }
  | { key: 'mod_error_at_invalid' };

/** Characters as the API counts them: normalised and without surrounding spaces. */
export function textLength(text: string): number {
  return text.normalize('NFC').trim().length;
}

/** Too short or too long for `limit`, or fine (null). */
export function checkLength(text: string, limit: { min: number; max: number }): LengthProblem | null {
  const length = textLength(text);
  if (length < limit.min) return { key: 'mod_error_too_short', params: { min: limit.min } };
  if (length > limit.max) return { key: 'mod_error_too_long', params: { max: limit.max } };
  return null;
}

type Problems<F extends string> = Partial<Record<F, FormProblem>>;

function collect<F extends string>(entries: [F, FormProblem | null][]): Problems<F> {
  const problems: Problems<F> = {};
  for (const [field, problem] of entries) if (problem) problems[field] = problem;
  return problems;
}

// --- Reporting ---------------------------------------------------------------------------------

export type ReportField = 'category' | 'law' | 'description' | 'at';

/** The choice of "when did it happen", in minutes before the dialog opened; '' = not said. */
export const MOMENT_CHOICES = ['0', '5', '15', '30', '60', ''] as const;
export type MomentChoice = (typeof MOMENT_CHOICES)[number];

export interface ReportDraft {
  category: ReportCategory | '';
  law: string;
  description: string;
  moment: MomentChoice;
}

export function emptyReport(live: boolean): ReportDraft {
  return { category: '', law: '', description: '', moment: live ? '0' : '' };
}

export function checkReport(draft: ReportDraft): Problems<ReportField> {
  return collect<ReportField>([
    ['category', draft.category === '' ? { key: 'mod_error_category_required' } : null],
    [
      'law',
      draft.category === 'illegal'
        ? textLength(draft.law) === 0
          ? { key: 'mod_error_law_required' }
          : checkLength(draft.law, LIMITS.law)
        : null,
    ],
    ['description', checkLength(draft.description, LIMITS.description)],
  ]);
}

/**
 * The moment the report is about: `minutesBefore` the dialog opened, never before the room
 * started (the API refuses a moment outside the room's life) nor after it ended.
 */
export function momentOf(
  choice: MomentChoice,
  openedAt: number,
  room: { startedAt: string | null; endedAt: string | null } | null,
): string | undefined {
  if (choice === '' || !room?.startedAt) return undefined;
  const started = Date.parse(room.startedAt);
  const ended = room.endedAt ? Date.parse(room.endedAt) : Number.POSITIVE_INFINITY;
  if (Number.isNaN(started)) return undefined;
  // A second earlier than asked: this device's clock may run a little ahead of the server's.
  const wanted = openedAt - Number(choice) * 60_000 - 1000;
  return new Date(Math.min(Math.max(wanted, started), ended)).toISOString();
}

/** The request body for a checked draft. */
export function reportBody(
  draft: ReportDraft,
  target: { roomId?: string; userId?: string },
  at: string | undefined,
): NewReport {
  if (draft.category === '') throw new Error('a report needs a category');
  return {
    ...(target.roomId ? { roomId: target.roomId } : {}),
    ...(target.userId ? { userId: target.userId } : {}),
    category: draft.category,
    ...(draft.category === 'illegal' ? { law: draft.law.trim() } : {}),
    description: draft.description.trim(),
    ...(at ? { at } : {}),
  };
}

// --- Deciding ----------------------------------------------------------------------------------

export type DecisionField = 'action' | 'facts' | 'ground' | 'groundDetail' | 'scope' | 'durationDays';

export interface DecisionDraft {
  action: NewDecision['action'] | '';
  facts: string;
  ground: NewDecision['ground'] | '';
  groundDetail: string;
  scope: string;
  durationDays: string;
}

export function emptyDecision(): DecisionDraft {
  return { action: '', facts: '', ground: '', groundDetail: '', scope: '', durationDays: '7' };
}

function durationOf(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const days = Number(trimmed);
  return days >= LIMITS.durationDays.min && days <= LIMITS.durationDays.max ? days : null;
}

export function checkDecision(draft: DecisionDraft): Problems<DecisionField> {
  return collect<DecisionField>([
    ['action', draft.action === '' ? { key: 'mod_error_action_required' } : null],
    ['facts', checkLength(draft.facts, LIMITS.facts)],
    ['ground', draft.ground === '' ? { key: 'mod_error_ground_required' } : null],
    ['groundDetail', checkLength(draft.groundDetail, LIMITS.groundDetail)],
    ['scope', checkLength(draft.scope, LIMITS.scope)],
    [
      'durationDays',
      draft.action === 'suspend' && durationOf(draft.durationDays) === null
        ? { key: 'mod_error_duration_range' }
        : null,
    ],
  ]);
}

export function decisionBody(draft: DecisionDraft, subjectId?: string): NewDecision {
  if (draft.action === '' || draft.ground === '') throw new Error('a decision needs an action and a ground');
  const days = durationOf(draft.durationDays);
  return {
    action: draft.action,
    facts: draft.facts.trim(),
    ground: draft.ground,
    groundDetail: draft.groundDetail.trim(),
    scope: draft.scope.trim(),
    ...(draft.action === 'suspend' && days !== null ? { durationDays: days } : {}),
    ...(subjectId ? { subjectId } : {}),
  };
}

// --- Appeals, playback reasons, staff ----------------------------------------------------------

export function checkAppeal(text: string): Problems<'text'> {
  return collect<'text'>([['text', checkLength(text, LIMITS.appeal)]]);
}

export function checkPlaybackReason(reason: string): Problems<'reason'> {
  return collect<'reason'>([['reason', checkLength(reason, LIMITS.playbackReason)]]);
}

export function checkAppealDecision(outcome: string, reasons: string): Problems<'outcome' | 'reasons'> {
  return collect<'outcome' | 'reasons'>([
    [
      'outcome',
      outcome === 'upheld' || outcome === 'reversed' ? null : { key: 'mod_error_outcome_required' },
    ],
    ['reasons', checkLength(reasons, LIMITS.appealReasons)],
  ]);
}

/** A @username as people type it, without the @ and in lower case; null when it cannot be one. */
export function usernameOf(text: string): string | null {
  const name = text.trim().replace(/^@/, '').toLowerCase();
  return /^[a-z0-9_]{3,30}$/.test(name) ? name : null;
}

// --- Who a decision is about -------------------------------------------------------------------

export interface SubjectChoice {
  id: string;
  username: string;
  displayName: string;
}

/**
 * The people a decision may concern: the reported person first, then everyone the room's
 * timeline and recordings name with an id (the API accepts the reported person or someone who
 * was in the reported room). Each once.
 */
export function subjectChoices(
  reported: SubjectChoice | null,
  people: ({ id?: string; username: string; displayName: string } | null)[],
): SubjectChoice[] {
  const seen = new Set<string>();
  const choices: SubjectChoice[] = [];
  for (const person of [reported, ...people]) {
    if (!person?.id || seen.has(person.id)) continue;
    seen.add(person.id);
    choices.push({ id: person.id, username: person.username, displayName: person.displayName });
  }
  return choices;
}
