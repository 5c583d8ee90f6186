import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { createTestApp } from '../../testing';
import { memberFactory, testClient } from '../../testing/client';
import { sseReader } from '../../testing/sse';
import type { RosterEntry } from './roster';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;
beforeEach(async () => {
  t = await createTestApp();
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;

async function liveRoom() {
  const host = await member('alice');
  const bob = await member('bob');
  const carol = await member('carol');
  const { body } = await host.post('/v1/rooms', { topic: 'Podcasts', mode: 'open' });
  for (const who of [host, bob, carol]) await who.post(`/v1/rooms/${body.id}/join`);
  return { roomId: body.id as string, host, bob, carol };
}

const open = async (who: Member, roomId: string, lastEventId?: string) =>
  sseReader(await who.raw(`/v1/rooms/${roomId}/events`, lastEventId ? { 'last-event-id': lastEventId } : {}));

const byName = (roster: RosterEntry[]) => Object.fromEntries(roster.map((e) => [e.username, e]));

describe('live room stream', () => {
  it('starts with a snapshot of the three bands', async () => {
    const { roomId, host, bob } = await liveRoom();
    await host.put('/v1/users/bob/follow');
    const stream = await open(bob, roomId);
    const snapshot = await stream.next('snapshot');
    const data = snapshot.data as { room: { topic: string }; roster: RosterEntry[]; you: RosterEntry };
    expect(data.room).toMatchObject({ topic: 'Podcasts', mode: 'open', status: 'live', recording: true });
    const people = byName(data.roster);
    expect(people.alice).toMatchObject({ role: 'moderator', band: 'stage', isNew: true });
    expect(people.bob?.band).toBe('followed'); // followed by a speaker
    expect(people.carol?.band).toBe('audience');
    expect(data.you.username).toBe('bob');
    expect(Number(snapshot.id)).toBeGreaterThan(0);
    await stream.close();
  });

  it('sends batched differences, showing raised hands to moderators only', async () => {
    const { roomId, host, bob, carol } = await liveRoom();
    const moderatorView = await open(host, roomId);
    const listenerView = await open(carol, roomId);
    await moderatorView.next('snapshot');
    await listenerView.next('snapshot');

    await bob.put(`/v1/rooms/${roomId}/hand`);
    const forModerator = await moderatorView.next('roster');
    expect(forModerator.data).toEqual({
      upserts: [expect.objectContaining({ username: 'bob', handRaised: true })],
      removals: [],
    });
    const forListener = await listenerView.next('roster');
    expect((forListener.data as { upserts: RosterEntry[] }).upserts[0]).toMatchObject({
      username: 'bob',
      handRaised: false,
    });

    await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'invite' });
    await bob.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'accept' });
    await carol.post(`/v1/rooms/${roomId}/leave`);
    const changes = await moderatorView.drain(700);
    const upserts = changes.flatMap((e) =>
      e.event === 'roster' ? (e.data as { upserts: RosterEntry[] }).upserts : [],
    );
    const removals = changes.flatMap((e) =>
      e.event === 'roster' ? (e.data as { removals: string[] }).removals : [],
    );
    expect(upserts.at(-1)).toMatchObject({ username: 'bob', role: 'speaker', band: 'stage' });
    expect(removals).toEqual([carol.id]);
    // Three changes within one batch window arrive as one or two messages, not one per change per listener.
    expect(changes.filter((e) => e.event === 'roster').length).toBeLessThanOrEqual(2);
    await moderatorView.close();
    await listenerView.close();
  });

  it('resumes from Last-Event-ID without a snapshot when nothing was missed, and with one otherwise', async () => {
    const { roomId, host, bob } = await liveRoom();
    const first = await open(bob, roomId);
    const { id } = await first.next('snapshot');
    await first.close();
    const resumed = await open(bob, roomId, id);
    expect(await resumed.drain(300)).toEqual([]);
    await resumed.close();
    await host.patch(`/v1/rooms/${roomId}`, { topic: 'Podcasts et radio' });
    const stale = await open(bob, roomId, id);
    const snapshot = await stale.next('snapshot');
    expect((snapshot.data as { room: { topic: string } }).room.topic).toBe('Podcasts et radio');
    expect(Number(snapshot.id)).toBeGreaterThan(Number(id));
    await stale.close();
  });

  it('fans out across API instances through Postgres LISTEN/NOTIFY', async () => {
    const { roomId, host, bob } = await liveRoom();
    const otherInstance = createApp(t); // a second API process on the same database
    const cookie = [...bob.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const stream = sseReader(
      await otherInstance.request(`/v1/rooms/${roomId}/events`, { headers: { cookie } }),
    );
    await stream.next('snapshot');
    await host.patch(`/v1/rooms/${roomId}`, { mode: 'social' }); // handled by the first instance
    const change = await stream.next('room');
    expect(change.data).toMatchObject({ mode: 'social' });
    await stream.close();
  });

  it('carries reactions and the end of the room, then closes', async () => {
    const { roomId, host, bob } = await liveRoom();
    const stream = await open(bob, roomId);
    await stream.next('snapshot');
    await host.post(`/v1/rooms/${roomId}/reactions`, { emoji: '👏' });
    await bob.post(`/v1/rooms/${roomId}/reactions`, { emoji: '👏' });
    await bob.post(`/v1/rooms/${roomId}/reactions`, { emoji: '🔥' });
    const reactions = await stream.next('reactions');
    expect(reactions.data).toEqual({ counts: { '👏': 2, '🔥': 1 } });
    await host.post(`/v1/rooms/${roomId}/end`);
    expect((await stream.next('ended')).event).toBe('ended');
    await stream.drain(200);
    expect(stream.ended).toBe(true);
  });

  it('is refused to people who may not see the room', async () => {
    const { roomId, host } = await liveRoom();
    await host.patch(`/v1/rooms/${roomId}`, { mode: 'closed' });
    const outsider = await member('dave');
    const res = await outsider.raw(`/v1/rooms/${roomId}/events`);
    expect(res.status).toBe(404);
    expect((await testClient(t).raw(`/v1/rooms/${roomId}/events`)).status).toBe(401);
  });
});
