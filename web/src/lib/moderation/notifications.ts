import { DECISION_ACTIONS, type DecisionAction } from './types';

/**
 * The four moderation notifications: what they say (messages/mod/*.json) and where they lead.
 * `report.*` go to the reporter ("My reports"), `decision.made` and `appeal.decided` to the
 * person decided about ("Decisions about me", where the statement of reasons is).
 */
export const MOD_NOTIFICATION_TEXT_KEYS = [
  'mod_notif_report_received',
  'mod_notif_report_decided',
  'mod_notif_decision_made',
  'mod_notif_appeal_upheld',
  'mod_notif_appeal_reversed',
] as const;

export type ModNotificationTextKey = (typeof MOD_NOTIFICATION_TEXT_KEYS)[number];

export const DECISIONS_PATH = '/decisions';
export const MY_REPORTS_PATH = '/decisions#my-reports';

export interface ModNotificationView {
  key: ModNotificationTextKey;
  href: string;
  /** The decision's action when the notification names one (for the sentence). */
  action: DecisionAction | null;
}

function actionOf(value: unknown): DecisionAction | null {
  return typeof value === 'string' && (DECISION_ACTIONS as readonly string[]).includes(value)
    ? (value as DecisionAction)
    : null;
}

/** The view of a moderation notification, or null for any other type. */
export function describeModNotification(
  type: string,
  data: Record<string, unknown>,
): ModNotificationView | null {
  switch (type) {
    case 'report.received':
      return { key: 'mod_notif_report_received', href: MY_REPORTS_PATH, action: null };
    case 'report.decided':
      return { key: 'mod_notif_report_decided', href: MY_REPORTS_PATH, action: actionOf(data.action) };
    case 'decision.made':
      return { key: 'mod_notif_decision_made', href: DECISIONS_PATH, action: actionOf(data.action) };
    case 'appeal.decided':
      return {
        key: data.outcome === 'reversed' ? 'mod_notif_appeal_reversed' : 'mod_notif_appeal_upheld',
        href: DECISIONS_PATH,
        action: null,
      };
    default:
      return null;
  }
}

export function isModNotificationKey(key: string): key is ModNotificationTextKey {
  return (MOD_NOTIFICATION_TEXT_KEYS as readonly string[]).includes(key);
}
