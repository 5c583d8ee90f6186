// The room stream's own costs for a room of 5,000, in-process on one API instance's hub: reading
// the room (three bands), diffing two reads, the size of the snapshot a listener and a moderator
// get, opening `streams` streams (they share the room's last read) and one change to all of them.
// Over real HTTP with 5,000 open streams, the fan-out and memory rows are in fan-out.ts.
import { randomUUID } from 'node:crypto';
import { type Database, schema, systemClock } from '@salon/db';
import { eq } from 'drizzle-orm';
import { createLogger } from '../api/src/logger';
import { recordEvent } from '../api/src/modules/rooms/rooms.service';
import { loadRoomState } from '../api/src/modules/rooms/roster';
import { createRoomHub, difference } from '../api/src/modules/rooms/stream';
import type { Row } from './scale';

const SPEAKERS = 10;
const ROUNDS = 20;
/** Every fortieth listener has a hand up: the moderators' queue is long too. */
const HAND_EVERY = 40;
const SNAPSHOT_TARGET = 50 * 1024;

export async function roomStreamBench(
  name: string,
  database: Database,
  log: (line: string) => void = console.log,
  people = 5000,
  streams = 200,
  smoke = false,
): Promise<Row[]> {
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
        role:
          i + j === 0
            ? ('moderator' as const)
            : i + j < SPEAKERS
              ? ('speaker' as const)
              : ('listener' as const),
        present: true,
        joinedAt: new Date(now.getTime() - (people - i - j) * 100),
        handRaisedAt: i + j >= SPEAKERS && (i + j) % HAND_EVERY === 0 ? now : null,
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

  // The streams as the hub opens them: every one is given the room as last read, with a snapshot
  // that carries the first pages only (what a listener and the moderator get is measured).
  const hub = createRoomHub({ database, clock: systemClock, logger: createLogger({ level: 'silent' }) }, 50);
  const moderator = ids[0] ?? '';
  const viewers = [moderator, ...ids.slice(people - streams + 1)];
  const snapshotBytes = new Map<string, number>();
  let delivered = 0;
  let arrived: () => void = () => {};
  const stops = [];
  started = performance.now();
  for (const userId of viewers) {
    stops.push(
      await hub.subscribe(
        room.id,
        userId,
        (frame) => {
          const text = Buffer.concat(frame.chunks.map((c) => Buffer.from(c))).toString('utf8', 0, 20);
          if (text.startsWith('event: snapshot')) snapshotBytes.set(userId, frame.bytes);
          if (!text.startsWith('event: roster')) return;
          delivered++;
          if (delivered === viewers.length) arrived();
        },
        () => {},
      ),
    );
  }
  const subscribeMs = (performance.now() - started) / viewers.length;
  const done = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  // One batch as the hub sends it: a listener goes on stage.
  const before = hub.stats();
  started = performance.now();
  await db.transaction(async (tx) => {
    await tx
      .update(schema.roomParticipants)
      .set({ role: 'speaker', stageSince: new Date() })
      .where(eq(schema.roomParticipants.userId, ids[SPEAKERS + 1] ?? ''));
    await recordEvent(tx, {
      roomId: room.id,
      at: new Date(),
      type: 'stage.joined',
      subjectId: ids[SPEAKERS + 1] ?? '',
    });
  });
  await done;
  const batchMs = performance.now() - started;
  const after = hub.stats();
  for (const stop of stops) stop();
  await hub.close();

  const next = await loadRoomState(db, room.id, now);
  if (!next) throw new Error('no state');
  started = performance.now();
  for (let i = 0; i < ROUNDS; i++) difference(state, next);
  const diffMs = (performance.now() - started) / ROUNDS;

  const listenerBytes = snapshotBytes.get(viewers.at(-1) ?? '') ?? 0;
  const moderatorBytes = snapshotBytes.get(moderator) ?? 0;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  log(
    `room of ${people} (${name}): read the room ${loadMs.toFixed(1)} ms ` +
      `(bands ${JSON.stringify(bands)}), diff ${diffMs.toFixed(1)} ms, ` +
      `snapshot ${kb(listenerBytes)} for a listener, ${kb(moderatorBytes)} for a moderator, ` +
      `opening a stream ${subscribeMs.toFixed(2)} ms, one change to ${viewers.length} streams ` +
      `${batchMs.toFixed(0)} ms from the commit in ${after.serialisations - before.serialisations} ` +
      `serialisations and ${after.frames - before.frames} frames`,
  );
  const size = people.toLocaleString('en-US');
  return [
    {
      name: `room stream, ${size} in the room (${name}): snapshot, listener / moderator`,
      figure: `${kb(listenerBytes)} / ${kb(moderatorBytes)}`,
      baseline: smoke ? '—' : '1.27 MB (before)',
      ratio: smoke ? '—' : `${((Math.max(listenerBytes, moderatorBytes) / 1.27e6) * 100).toFixed(1)}%`,
      target: '≤ 50 KB',
      met: Math.max(listenerBytes, moderatorBytes) <= SNAPSHOT_TARGET,
    },
  ];
}
