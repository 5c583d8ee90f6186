import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sseReader } from '../../testing/sse';
import { type Member, moderationApp, report, statement } from '../moderation/moderation.fixtures';

/** A member removed from a room, by its moderators or by Salon's, may no longer see it. */
let m: Awaited<ReturnType<typeof moderationApp>>;
beforeEach(async () => {
  m = await moderationApp();
});
afterEach(async () => {
  await m.close();
});

type Answer = { status: number; code: string | null };
const answer = (res: { status: number; body: { error?: { code: string } } | null }): Answer => ({
  status: res.status,
  code: res.body?.error?.code ?? null,
});

describe('a member removed from a room', () => {
  async function scene() {
    const host = await m.member('alice');
    const bob = await m.member('bob');
    const carol = await m.member('carol');
    const roomId = await m.openRoom(host);
    for (const who of [host, bob, carol]) await m.join(who, roomId);
    return { host, bob, carol, roomId };
  }

  async function expectClosedTo(who: Member, roomId: string) {
    const unknown = await who.get(`/v1/rooms/${randomUUID()}`);
    const got = await who.get(`/v1/rooms/${roomId}`);
    expect(answer(got)).toEqual({ status: 404, code: 'room.not_found' });
    expect(got.body.error).toEqual(unknown.body.error);
    const events = await who.raw(`/v1/rooms/${roomId}/events`);
    expect(events.status).toBe(404);
    expect(((await events.json()) as { error: { code: string } }).error.code).toBe('room.not_found');
    expect(answer(await who.get(`/v1/rooms/${roomId}/audience`))).toEqual({
      status: 404,
      code: 'room.not_found',
    });
    expect(answer(await who.get(`/v1/rooms/${roomId}/summary`))).toEqual({
      status: 404,
      code: 'room.not_found',
    });
    // Trying to come back says why: they know the room, and the page tells them they cannot.
    expect(answer(await who.post(`/v1/rooms/${roomId}/join`))).toEqual({ status: 403, code: 'room.removed' });
  }

  it('by a room moderator loses the room at once: its stream ends, its page answers 404', async () => {
    const { host, bob, carol, roomId } = await scene();
    const bobStream = sseReader(await bob.raw(`/v1/rooms/${roomId}/events`));
    const carolStream = sseReader(await carol.raw(`/v1/rooms/${roomId}/events`));
    await bobStream.next('snapshot');
    await carolStream.next('snapshot');

    expect((await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'remove' })).status).toBe(204);
    const last = await bobStream.next(undefined, 3000);
    expect(last.event).toBe('removed');
    await bobStream.drain(300);
    expect(bobStream.ended).toBe(true);
    // Everyone else sees bob leave the roster, and keeps their stream.
    const diff = await carolStream.next('roster');
    expect((diff.data as { removals: string[] }).removals).toContain(bob.id);
    expect(carolStream.ended).toBe(false);
    await carolStream.close();

    await expectClosedTo(bob, roomId);
    // Whoever was in a room may still report it, removed or not (DSA art. 16).
    expect((await report(bob, { roomId })).status).toBe(201);
  });

  it('by a decision of Salon’s moderation loses the room the same way', async () => {
    const { bob, carol, roomId } = await scene();
    const mod = await m.staffMember('maud');
    const bobStream = sseReader(await bob.raw(`/v1/rooms/${roomId}/events`));
    await bobStream.next('snapshot');
    const reportId = (await report(carol, { roomId, userId: bob.id })).body.report.id as string;
    await mod.post(`/v1/mod/reports/${reportId}/claim`);
    const decided = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('remove_from_room', { scope: 'This room' }),
    );
    expect(decided.status, JSON.stringify(decided.body)).toBe(201);

    expect((await bobStream.next(undefined, 3000)).event).toBe('removed');
    await bobStream.drain(300);
    expect(bobStream.ended).toBe(true);
    await expectClosedTo(bob, roomId);
  });
});
