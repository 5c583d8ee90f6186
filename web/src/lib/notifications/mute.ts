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
 * The API keeps mutes as ids only and has no way to look an id up. The names are therefore kept
 * on this device when someone mutes from a profile or a club page, so the settings can say who
 * is muted; they are the member's own choices, never sent anywhere, and forgotten at sign-out.
 */
const STORAGE_KEY = 'salon-muted-names';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function isLabel(value: unknown): value is MutedLabel {
  if (typeof value !== 'object' || value === null) return false;
  const label = value as Record<string, unknown>;
  return (
    (label.kind === 'user' || label.kind === 'club') &&
    typeof label.name === 'string' &&
    typeof label.handle === 'string'
  );
}

export function mutedLabels(): Record<string, MutedLabel> {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, value]) => isLabel(value))) as Record<
      string,
      MutedLabel
    >;
  } catch {
    return {};
  }
}

function writeLabels(labels: Record<string, MutedLabel>): void {
  try {
    const store = storage();
    if (!store) return;
    if (Object.keys(labels).length === 0) store.removeItem(STORAGE_KEY);
    else store.setItem(STORAGE_KEY, JSON.stringify(labels));
  } catch {
    // Storage full or refused: the settings will show "a person you muted" instead of a name.
  }
}

function remember(id: string, label: MutedLabel | null): void {
  const labels = mutedLabels();
  if (label) labels[id] = label;
  else delete labels[id];
  writeLabels(labels);
}

/** Forgets every name kept on this device (at sign-out). */
export function forgetMutedLabels(): void {
  try {
    storage()?.removeItem(STORAGE_KEY);
  } catch {
    // nothing kept
  }
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

/** Mutes or unmutes one person or club, and keeps (or forgets) their name on this device. */
export async function setMuted(
  kind: MuteKind,
  id: string,
  on: boolean,
  label: MutedLabel | null,
): Promise<ApiResult<NotificationSettings>> {
  const result = await updateNotificationSettings((settings) => ({
    ...settings,
    mutedUsers: kind === 'user' ? toggled(settings.mutedUsers, id, on) : [...settings.mutedUsers],
    mutedClubs: kind === 'club' ? toggled(settings.mutedClubs, id, on) : [...settings.mutedClubs],
  }));
  if (result.ok) remember(id, on ? label : null);
  return result;
}
