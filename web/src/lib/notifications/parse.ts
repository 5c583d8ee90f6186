import type { Notification } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}

/** The `unread` event's count, or null when the event is not one we understand. */
export function parseUnread(data: string): number | null {
  const body = parse(data);
  return isRecord(body) && typeof body.count === 'number' && body.count >= 0 ? Math.floor(body.count) : null;
}

/**
 * A `notification` event's item (the same shape as in `GET /v1/notifications`), or null when it
 * is not one. Only what the page relies on is checked; the rest is read defensively where used.
 */
export function parseNotification(data: string): Notification | null {
  const body = parse(data);
  if (!isRecord(body)) return null;
  if (typeof body.id !== 'string' || typeof body.type !== 'string' || typeof body.createdAt !== 'string') {
    return null;
  }
  const nullableRecord = (value: unknown) => value === null || value === undefined || isRecord(value);
  if (!nullableRecord(body.actor) || !nullableRecord(body.room) || !nullableRecord(body.club)) return null;
  return {
    ...body,
    read: body.read === true,
    actor: body.actor ?? null,
    room: body.room ?? null,
    club: body.club ?? null,
    data: isRecord(body.data) ? body.data : {},
  } as Notification;
}

/** Newest first, each notification once (live ones may also come back in a page). */
export function mergeNewestFirst(...lists: Notification[][]): Notification[] {
  const seen = new Set<string>();
  const merged: Notification[] = [];
  for (const item of lists.flat()) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    merged.push(item);
  }
  return merged.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
