import { m } from '$lib/paraglide/messages';
import { outcomeLabel } from './labels';
import type { ModNotificationTextKey } from './notifications';
import type { DecisionAction } from './types';

/** The compiled texts of the moderation notifications, one by one (the type check fails if one is missing). */
const TEXTS = {
  mod_notif_report_received: m.mod_notif_report_received,
  mod_notif_report_decided: m.mod_notif_report_decided,
  mod_notif_decision_made: m.mod_notif_decision_made,
  mod_notif_appeal_upheld: m.mod_notif_appeal_upheld,
  mod_notif_appeal_reversed: m.mod_notif_appeal_reversed,
} satisfies Record<ModNotificationTextKey, unknown>;

const RENDER = TEXTS as unknown as Record<ModNotificationTextKey, (inputs: { outcome: string }) => string>;

/** The sentence, with the outcome in words when the notification carries one. */
export function modNotificationText(key: ModNotificationTextKey, action: DecisionAction | null): string {
  return RENDER[key]({
    outcome: action ? outcomeLabel(action).toLowerCase() : m.mod_notif_outcome_unknown(),
  });
}
