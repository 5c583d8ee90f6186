import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';
import { sseReader } from '../../testing/sse';
import type { Snapshot } from './stream';

let t: Awaited<ReturnType<typeof createTestApp>>;
let member: ReturnType<typeof memberFactory>;

beforeEach(async () => {
  t = await createTestApp();
  member = memberFactory(t);
});
afterEach(async () => {
  await t.close();
});

describe('raised hands, for the moderators’ queue', () => {
  it('carries when each hand went up, to moderators and the person only, and lets a moderator lower it', async () => {
    const host = await member('alice');
    const bob = await member('bob');
    const carol = await member('carol');
    const roomId = (await host.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open' })).body
      .id as string;
    for (const who of [host, bob, carol])
      expect((await who.post(`/v1/rooms/${roomId}/join`)).status).toBe(200);
    expect((await bob.put(`/v1/rooms/${roomId}/hand`)).status).toBe(204);
    t.clock.advance(5_000);
    expect((await carol.put(`/v1/rooms/${roomId}/hand`)).status).toBe(204);

    const seen = async (viewer: typeof host) => {
      const stream = sseReader(await viewer.raw(`/v1/rooms/${roomId}/events`));
      const snapshot = await stream.next('snapshot');
      await stream.close();
      const { stage, followed, audience } = snapshot.data as Snapshot;
      const roster = [...stage, ...followed.entries, ...audience.entries];
      return Object.fromEntries(roster.map((e) => [e.username, e.handRaisedAt]));
    };
    const forHost = await seen(host);
    expect(Date.parse(forHost.carol ?? '') - Date.parse(forHost.bob ?? '')).toBe(5_000);
    // Another listener sees nobody's hand.
    expect((await seen(carol)).bob).toBeNull();

    const stage = (who: typeof host, target: string) =>
      who.post(`/v1/rooms/${roomId}/stage/${target}`, { action: 'lower' });
    expect((await stage(carol, bob.id)).body.error.code).toBe('room.not_moderator');
    expect((await stage(host, bob.id)).status).toBe(204);
    expect((await bob.get(`/v1/rooms/${roomId}`)).body.me).toMatchObject({ handRaised: false });
    expect((await stage(host, bob.id)).body.error.code).toBe('stage.no_hand');
  });
});
