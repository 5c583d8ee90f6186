/**
 * The moderation API's shapes (reports, decisions, appeals, staff), as the API contract states
 * them. Kept here rather than inferred from the typed client so the pages read one vocabulary;
 * `api.ts` is the only place that calls those endpoints.
 */

export const REPORT_CATEGORIES = [
  'illegal',
  'harassment',
  'hate',
  'violence',
  'sexual',
  'spam_scam',
  'impersonation',
  'other',
] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const DECISION_ACTIONS = [
  'dismiss',
  'warn',
  'remove_from_room',
  'end_room',
  'suspend',
  'ban',
] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

export const GROUNDS = ['law', 'terms'] as const;
export type Ground = (typeof GROUNDS)[number];

export type ReportStatus = 'open' | 'decided';
export type AppealStatus = 'open' | 'upheld' | 'reversed';
export type AppealOutcome = 'upheld' | 'reversed';
export type StaffRole = 'moderator' | 'admin';

/** Limits the API enforces (checked here first, so people hear about them before sending). */
export const LIMITS = {
  law: { min: 1, max: 200 },
  description: { min: 10, max: 2000 },
  appeal: { min: 10, max: 2000 },
  playbackReason: { min: 5, max: 500 },
  facts: { min: 10, max: 5000 },
  groundDetail: { min: 3, max: 500 },
  scope: { min: 3, max: 300 },
  durationDays: { min: 1, max: 365 },
  appealReasons: { min: 10, max: 2000 },
} as const;

export interface RoomRef {
  id: string;
  topic: string;
}

export interface PersonRef {
  username: string;
  displayName: string;
}

export interface Appeal {
  id: string;
  status: AppealStatus;
  text: string;
  outcome: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** A decision and its statement of reasons (DSA art. 17). */
export interface Decision {
  id: string;
  action: DecisionAction;
  facts: string;
  ground: Ground;
  groundDetail: string;
  scope: string;
  endsAt: string | null;
  createdAt: string;
  appealUntil: string;
  automated: false;
  room: RoomRef | null;
  appeal: Appeal | null;
  canAppeal: boolean;
}

/** `GET /v1/me/reports`: a report the member made. */
export interface MyReport {
  id: string;
  category: ReportCategory;
  createdAt: string;
  status: ReportStatus;
  target: { room: RoomRef | null; user: PersonRef | null };
  /** `reversedOnAppeal`: the person decided about appealed, and another moderator reversed it. */
  outcome: { action: DecisionAction; decidedAt: string; reversedOnAppeal?: boolean } | null;
}

export interface ReportSummary {
  id: string;
  category: ReportCategory;
  law: string | null;
  excerpt: string;
  createdAt: string;
  status: ReportStatus;
  claimedBy: { username: string } | null;
  claimedByMe: boolean;
  target: {
    room: (RoomRef & { status: string }) | null;
    user: (PersonRef & { id: string }) | null;
  };
}

export interface ReportDetail extends ReportSummary {
  description: string;
  at: string | null;
  decidedAt: string | null;
}

/** Someone in a room's timeline or recordings; `id` lets a decision be about them. */
export type RoomPerson = PersonRef & { id?: string };

export interface TimelineEvent {
  id: string | number;
  at: string;
  type: string;
  actor: RoomPerson | null;
  subject: RoomPerson | null;
  data: Record<string, unknown> | null;
}

export interface Recording {
  id: string;
  speaker: RoomPerson | null;
  startedAt: string;
  endedAt: string | null;
  status: string;
  overlapsMoment: boolean;
}

/** `GET /v1/mod/reports/:id`. */
export interface ReportCase {
  report: ReportDetail;
  timeline: TimelineEvent[];
  recordings: Recording[];
  decision: Decision | null;
  canPlay: boolean;
}

export interface ReportQueuePage {
  reports: ReportSummary[];
  nextCursor: string | null;
}

export interface QueueFilters {
  status: ReportStatus;
  category: ReportCategory | '';
  claim: 'any' | 'mine' | 'unclaimed';
}

export interface StaffAppeal {
  id: string;
  text: string;
  createdAt: string;
  status: AppealStatus;
  decision: Decision & { moderator: { username: string } | null };
  canDecide: boolean;
}

export interface StaffMember {
  username: string;
  displayName: string;
  role: StaffRole;
  grantedAt: string;
}

export interface NewReport {
  roomId?: string;
  userId?: string;
  category: ReportCategory;
  law?: string;
  description: string;
  at?: string;
}

export interface NewDecision {
  action: DecisionAction;
  facts: string;
  ground: Ground;
  groundDetail: string;
  scope: string;
  durationDays?: number;
  subjectId?: string;
}

export interface Playback {
  url: string;
  expiresAt: string;
}
