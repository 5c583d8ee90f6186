import { m } from '$lib/paraglide/messages';
import { modeLabel } from '$lib/rooms/labels';
import type { RoomMode } from '$lib/rooms/types';
import type {
  AppealStatus,
  DecisionAction,
  Ground,
  ReportCategory,
  ReportStatus,
  StaffRole,
  TimelineEvent,
} from './types';

/** Words for the moderation vocabulary, in the page's language. */

const CATEGORY: Record<ReportCategory, () => string> = {
  illegal: m.mod_category_illegal,
  harassment: m.mod_category_harassment,
  hate: m.mod_category_hate,
  violence: m.mod_category_violence,
  sexual: m.mod_category_sexual,
  spam_scam: m.mod_category_spam_scam,
  impersonation: m.mod_category_impersonation,
  other: m.mod_category_other,
};

export function categoryLabel(category: ReportCategory): string {
  return CATEGORY[category]?.() ?? m.mod_category_other();
}

/** The outcome, as a noun ("Warning"), for statements and lists. */
const OUTCOME: Record<DecisionAction, () => string> = {
  dismiss: m.mod_outcome_dismiss,
  warn: m.mod_outcome_warn,
  remove_from_room: m.mod_outcome_remove_from_room,
  end_room: m.mod_outcome_end_room,
  suspend: m.mod_outcome_suspend,
  ban: m.mod_outcome_ban,
};

export function outcomeLabel(action: DecisionAction): string {
  return OUTCOME[action]?.() ?? action;
}

/** The action, as a verb ("Warn the person"), for the decision form. */
const ACTION: Record<DecisionAction, () => string> = {
  dismiss: m.mod_action_dismiss,
  warn: m.mod_action_warn,
  remove_from_room: m.mod_action_remove_from_room,
  end_room: m.mod_action_end_room,
  suspend: m.mod_action_suspend,
  ban: m.mod_action_ban,
};

export function actionLabel(action: DecisionAction): string {
  return ACTION[action]();
}

const ACTION_HINT: Record<DecisionAction, () => string> = {
  dismiss: m.mod_action_dismiss_hint,
  warn: m.mod_action_warn_hint,
  remove_from_room: m.mod_action_remove_from_room_hint,
  end_room: m.mod_action_end_room_hint,
  suspend: m.mod_action_suspend_hint,
  ban: m.mod_action_ban_hint,
};

export function actionHint(action: DecisionAction): string {
  return ACTION_HINT[action]();
}

export function groundLabel(ground: Ground): string {
  return ground === 'law' ? m.mod_ground_law() : m.mod_ground_terms();
}

export function reportStatusLabel(status: ReportStatus): string {
  return status === 'open' ? m.mod_status_open() : m.mod_status_decided();
}

export function appealStatusLabel(status: AppealStatus): string {
  if (status === 'upheld') return m.mod_appeal_status_upheld();
  if (status === 'reversed') return m.mod_appeal_status_reversed();
  return m.mod_appeal_status_open();
}

export function roleLabel(role: StaffRole): string {
  return role === 'admin' ? m.mod_role_admin() : m.mod_role_moderator();
}

type TimelineInputs = { actor: string; subject: string; topic: string };

/** The room's events (`room_events.type`), as sentences for the report's timeline. */
const TIMELINE: Record<string, (inputs: TimelineInputs) => string> = {
  'room.opened': m.mod_timeline_room_opened,
  'room.ended': m.mod_timeline_room_ended,
  'room.topic': m.mod_timeline_room_topic,
  'room.mode': m.mod_timeline_room_mode,
  'room.invited': m.mod_timeline_room_invited,
  'participant.joined': m.mod_timeline_joined,
  'participant.left': m.mod_timeline_left,
  'participant.removed': m.mod_timeline_removed,
  'stage.invited': m.mod_timeline_stage_invited,
  'stage.joined': m.mod_timeline_stage_joined,
  'stage.declined': m.mod_timeline_stage_declined,
  'stage.left': m.mod_timeline_stage_left,
  'stage.muted': m.mod_timeline_stage_muted,
  'moderator.added': m.mod_timeline_moderator_added,
  'moderator.removed': m.mod_timeline_moderator_removed,
  'moderator.handover': m.mod_timeline_moderator_handover,
  'hand.raised': m.mod_timeline_hand_raised,
  'hand.lowered': m.mod_timeline_hand_lowered,
};

/** The kind of event, for styling and filtering: stage changes, hands, removals, the rest. */
export function timelineKind(type: string): 'stage' | 'hand' | 'removal' | 'room' | 'presence' {
  if (type.startsWith('stage.') || type.startsWith('moderator.')) return 'stage';
  if (type.startsWith('hand.')) return 'hand';
  if (type === 'participant.removed' || type === 'room.ended') return 'removal';
  if (type.startsWith('participant.')) return 'presence';
  return 'room';
}

export function timelineText(event: TimelineEvent): string {
  // Each event type keeps its own few facts in `data`, an object.
  const data: Record<string, unknown> =
    typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data) ? event.data : {};
  const inputs: TimelineInputs = {
    actor: event.actor?.displayName ?? m.mod_timeline_someone(),
    subject: event.subject?.displayName ?? event.actor?.displayName ?? m.mod_timeline_someone(),
    topic:
      typeof data.topic === 'string'
        ? data.topic
        : typeof data.mode === 'string'
          ? modeLabel(data.mode as RoomMode)
          : '',
  };
  const render = TIMELINE[event.type];
  return render ? render(inputs) : m.mod_timeline_other({ ...inputs, topic: event.type });
}
