import { randomUUID } from 'node:crypto';
import { type Db, schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { recordEvent } from '../modules/rooms/rooms.service';

type Role = 'moderator' | 'speaker' | 'listener';

export interface CrowdMember {
  role?: Role;
  joinedAt: Date;
  handRaisedAt?: Date | null;
  invitedAt?: Date | null;
}

/**
 * Puts `count` members in a room straight into the database (thousands in a second or two, where
 * signing each up would take minutes), as a crowd that joined through the API would look. They
 * have no session: tests act as them with the members they sign up themselves. The room's
 * capacity grows to hold them; the streams are told once, as after a batch of joins.
 */
export async function seedCrowd(
  db: Db,
  roomId: string,
  count: number,
  each: (i: number) => CrowdMember,
  prefix = 'crowd',
): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const now = new Date();
  const [room] = await db
    .select({ capacity: schema.rooms.capacity })
    .from(schema.rooms)
    .where(eq(schema.rooms.id, roomId));
  await db
    .update(schema.rooms)
    .set({ capacity: (room?.capacity ?? 0) + count })
    .where(eq(schema.rooms.id, roomId));
  for (let from = 0; from < count; from += 500) {
    const slice = ids.slice(from, from + 500);
    await db.insert(schema.users).values(
      slice.map((id, j) => ({
        id,
        username: `${prefix}${from + j}`,
        displayName: `Crowd ${from + j}`,
        searchName: `crowd ${from + j}`,
        phoneHash: `hash-${id}`,
        phoneKeyVersion: 1,
        webauthnUserId: `handle-${id}`,
        adultAttestedAt: now,
        createdAt: now,
      })),
    );
    await db.insert(schema.roomParticipants).values(
      slice.map((userId, j) => {
        const member = each(from + j);
        const role = member.role ?? 'listener';
        return {
          roomId,
          userId,
          role,
          present: true,
          joinedAt: member.joinedAt,
          handRaisedAt: member.handRaisedAt ?? null,
          invitedAt: member.invitedAt ?? null,
          stageSince: role === 'listener' ? null : member.joinedAt,
        };
      }),
    );
  }
  await recordEvent(db, { roomId, at: now, type: 'participant.joined', data: { seeded: count } });
  return ids;
}
