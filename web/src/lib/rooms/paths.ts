/** `depends()` key of the hallway's load, so "Try again" re-asks only for it. */
export const HALLWAY_DEPENDENCY = 'salon:hallway';

/** `depends()` key of a room page's load. */
export const ROOM_DEPENDENCY = 'salon:room';

export function roomPath(id: string): string {
  return `/rooms/${encodeURIComponent(id)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Room ids are UUIDs; anything else cannot be a room, and is a 404 without asking the API. */
export function isRoomId(value: string): boolean {
  return UUID.test(value);
}
