import { type Db, schema } from '@salon/db';
import { type DataMap, periodMs } from '@salon/policies';
import { and, eq, gt, lte } from 'drizzle-orm';

const { roomCreationKeys } = schema;

/** How long a room creation's Idempotency-Key holds: its retention in policies/data-map.yaml. */
function creationKeyMs(map: DataMap) {
  const rule = map.tables.room_creation_keys?.retention;
  if (rule?.rule !== 'older_than') {
    throw new Error('policies/data-map.yaml: room_creation_keys needs an older_than rule');
  }
  return periodMs(rule.period);
}

/** Another request with the same Idempotency-Key opened the room first; this one opens nothing. */
export class CreationKeyTaken extends Error {}

/** The room a member's Idempotency-Key opened within the last 24 hours, if any. */
export async function roomOpenedWith(db: Db, map: DataMap, hostId: string, key: string, now: Date) {
  const [row] = await db
    .select({ roomId: roomCreationKeys.roomId })
    .from(roomCreationKeys)
    .where(
      and(
        eq(roomCreationKeys.userId, hostId),
        eq(roomCreationKeys.key, key),
        gt(roomCreationKeys.createdAt, new Date(now.getTime() - creationKeyMs(map))),
      ),
    );
  return row?.roomId;
}

/**
 * Ties the key to the room being opened, in the transaction that opens it, or throws
 * CreationKeyTaken when the key already opened a room in the last 24 hours. The primary key
 * decides between simultaneous requests: the second waits for the first to commit, then finds
 * its key taken (an expired key is taken over).
 */
export async function claimCreationKey(
  tx: Db,
  map: DataMap,
  hostId: string,
  key: string,
  roomId: string,
  now: Date,
) {
  const claimed = await tx
    .insert(roomCreationKeys)
    .values({ userId: hostId, key, roomId, createdAt: now })
    .onConflictDoUpdate({
      target: [roomCreationKeys.userId, roomCreationKeys.key],
      set: { roomId, createdAt: now },
      setWhere: lte(roomCreationKeys.createdAt, new Date(now.getTime() - creationKeyMs(map))),
    })
    .returning({ roomId: roomCreationKeys.roomId });
  if (claimed.length === 0) throw new CreationKeyTaken();
}
