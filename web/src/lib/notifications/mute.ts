import { type ApiResult, browserApi, callApi } from '$lib/api';
import { toggled } from './settings-form';
import type { NotificationSettings } from './types';

export type MuteKind = 'user' | 'club';

/** How to show a muted person or club in the settings: name and @username, or name and address. */
export interface MutedLabel {
  kind: MuteKind;
  name: string;
  /** The @username (people) or the club's slug. */
  handle: string;
}

/**
 * The names of the people and clubs the member muted (the settings store ids only), asked of the
 * API when the settings are shown. Unreachable: no names, and the list says "a person you muted".
 */
export async function loadMutedLabels(): Promise<Record<string, MutedLabel>> {
  const result = await callApi(browserApi().v1.notifications.mutes.$get());
  if (!result.ok) return {};
  return Object.fromEntries([
    ...result.data.people.map(
      (p) => [p.id, { kind: 'user', name: p.displayName, handle: p.username }] as const,
    ),
    ...result.data.clubs.map((c) => [c.id, { kind: 'club', name: c.name, handle: c.slug }] as const),
  ]);
}

/**
 * Changes the notification settings. The API takes the whole settings object, so it is read
 * fresh just before and changed from there: a mute made in another tab is not undone.
 */
export async function updateNotificationSettings(
  change: (current: NotificationSettings) => NotificationSettings,
): Promise<ApiResult<NotificationSettings>> {
  const api = browserApi();
  const current = await callApi(api.v1.me.$get());
  if (!current.ok) return current;
  const next = change(current.data.notificationSettings);
  const saved = await callApi(api.v1.me.$patch({ json: { notificationSettings: next } }));
  return saved.ok ? { ok: true, data: saved.data.notificationSettings } : saved;
}

/** Mutes or unmutes one person or club. */
export async function setMuted(
  kind: MuteKind,
  id: string,
  on: boolean,
): Promise<ApiResult<NotificationSettings>> {
  const result = await updateNotificationSettings((settings) => ({
    ...settings,
    mutedUsers: kind === 'user' ? toggled(settings.mutedUsers, id, on) : [...settings.mutedUsers],
    mutedClubs: kind === 'club' ? toggled(settings.mutedClubs, id, on) : [...settings.mutedClubs],
  }));
  return result;
}
