// The cost of one live-stream batch for a room of 5,000: reading the room (roster in three bands),
// diffing it, and fanning the diff out to the listeners' streams on one API instance. Each new
// stream reads the whole room, so opening 5,000 of them is quadratic: `streams` of them are opened
// (their cost per stream is reported) and the batch goes to those.
import { randomUUID } from 'node:crypto';
import { type Database, schema, systemClock } from '@salon/db';
import { eq } from 'drizzle-orm';
import { createLogger } from '../api/src/logger';
import { recordEvent } from '../api/src/modules/rooms/rooms.service';
import { diffRoster, loadRoomState } from '../api/src/modules/rooms/roster';
import { createRoomHub, type StreamMessage } from '../api/src/modules/rooms/stream';

const SPEAKERS = 10;
const ROUNDS = 20;

export async function roomStreamBench(
  name: string,
  database: Database,
  log: (line: string) => void = console.log,
  people = 5000,
  streams = 200,
) {
  const db = database.db;
  const now = new Date();
  const ids = Array.from({ length: people }, () => randomUUID());
  for (let i = 0; i < people; i += 500) {
    await db.insert(schema.users).values(
      ids.slice(i, i + 500).map((id, j) => ({
        id,
        username: `member${i + j}`,
        displayName: `Member ${i + j}`,
        searchName: `member ${i + j}`,
        phoneHash: `hash-${id}`,
        phoneKeyVersion: 1,
        webauthnUserId: `handle-${id}`,
        adultAttestedAt: now,
        createdAt: now,
      })),
    );
  }
  const [room] = await db
    .insert(schema.rooms)
    .values({
      hostId: ids[0],
      topic: 'Bench',
      mode: 'open',
      status: 'live',
      capacity: people,
      createdAt: now,
      startedAt: now,
    })
    .returning();
  if (!room) throw new Error('no room');
  for (let i = 0; i < people; i += 500) {
    await db.insert(schema.roomParticipants).values(
      ids.slice(i, i + 500).map((userId, j) => ({
        roomId: room.id,
        userId,
        role: i + j < SPEAKERS ? ('speaker' as const) : ('listener' as const),
        present: true,
        joinedAt: now,
      })),
    );
  }
  // Each speaker follows 100 listeners, so the "followed by the speakers" band is not empty.
  await db
    .insert(schema.follows)
    .values(
      ids
        .slice(0, SPEAKERS)
        .flatMap((followerId, s) =>
          ids
            .slice(SPEAKERS + s * 100, SPEAKERS + (s + 1) * 100)
            .map((followeeId) => ({ followerId, followeeId, createdAt: now })),
        ),
    );

  let started = performance.now();
  let state = await loadRoomState(db, room.id, now);
  for (let i = 0; i < ROUNDS; i++) state = await loadRoomState(db, room.id, now);
  const loadMs = (performance.now() - started) / (ROUNDS + 1);
  if (!state) throw new Error('no state');
  const bands = [...state.roster.values()].reduce<Record<string, number>>((acc, e) => {
    acc[e.band] = (acc[e.band] ?? 0) + 1;
    return acc;
  }, {});

  // One batch as the hub sends it: `streams` open streams, one hand raised.
  const hub = createRoomHub({ database, clock: systemClock, logger: createLogger({ level: 'silent' }) }, 50);
  let delivered = 0;
  let arrived: () => void = () => {};
  const stops = [];
  started = performance.now();
  for (const userId of ids.slice(0, streams)) {
    stops.push(
      await hub.subscribe(
        room.id,
        userId,
        (message: StreamMessage) => {
          if (message.event !== 'roster') return;
          delivered++;
          if (delivered === streams) arrived();
        },
        () => {},
      ),
    );
  }
  const subscribeMs = (performance.now() - started) / streams;
  const done = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  started = performance.now();
  await db.transaction(async (tx) => {
    await tx
      .update(schema.roomParticipants)
      .set({ handRaisedAt: new Date() })
      .where(eq(schema.roomParticipants.userId, ids[people - 1] ?? ''));
    await recordEvent(tx, { roomId: room.id, at: new Date(), type: 'hand.raised' });
  });
  await done;
  const batchMs = performance.now() - started;
  for (const stop of stops) stop();
  await hub.close();

  const before = state.roster;
  const after = new Map(before);
  started = performance.now();
  for (let i = 0; i < ROUNDS; i++) diffRoster(before, after);
  const diffMs = (performance.now() - started) / ROUNDS;

  log(
    `room of ${people} (${name}): read roster ${loadMs.toFixed(1)} ms ` +
      `(bands ${JSON.stringify(bands)}), diff ${diffMs.toFixed(1)} ms, ` +
      `opening a stream ${subscribeMs.toFixed(1)} ms (${people} of them: ${((subscribeMs * people) / 1000).toFixed(0)} s), ` +
      `one change to ${streams} streams ${batchMs.toFixed(0)} ms (incl. 50 ms batch window)`,
  );
}
