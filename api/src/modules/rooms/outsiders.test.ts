import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Member, moderationApp, report } from '../moderation/moderation.fixtures';

/**
 * A room someone may not see answers them exactly as a room that does not exist, on every route:
 * nothing tells an outsider that it exists, what state it is in or who runs it. A member removed
 * from a room may no longer see it either.
 */
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

/** Every room route, as someone outside the room would call it. */
async function everyRoute(who: Member, roomId: string, hostId: string): Promise<Record<string, Answer>> {
  const raw = async (path: string) => {
    const res = await who.raw(path);
    const text = await res.text();
    return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : null };
  };
  const room = `/v1/rooms/${roomId}`;
  return {
    get: answer(await who.get(room)),
    patch: answer(await who.patch(room, { topic: 'Hijacked' })),
    start: answer(await who.post(`${room}/start`)),
    join: answer(await who.post(`${room}/join`)),
    leave: answer(await who.post(`${room}/leave`)),
    raiseHand: answer(await who.put(`${room}/hand`)),
    lowerHand: answer(await who.delete(`${room}/hand`)),
    stageOther: answer(await who.post(`${room}/stage/${hostId}`, { action: 'mute' })),
    stageSelf: answer(await who.post(`${room}/stage/${who.id}`, { action: 'accept' })),
    invite: answer(await who.post(`${room}/invites`, { username: 'alice' })),
    react: answer(await who.post(`${room}/reactions`, { emoji: '👏' })),
    end: answer(await who.post(`${room}/end`)),
    events: answer(await raw(`${room}/events`)),
    audience: answer(await who.get(`${room}/audience`)),
    summary: answer(await who.get(`${room}/summary`)),
    calendar: answer(await raw(`${room}/calendar.ics`)),
    remind: answer(await who.put(`${room}/reminder`)),
    forget: answer(await who.delete(`${room}/reminder`)),
    report: answer(await report(who, { roomId })),
  };
}

describe('rooms an outsider may not see', () => {
  it('answer every route exactly as a room that does not exist', async () => {
    const host = await m.member('alice');
    const outsider = await m.member('oscar');
    const { body: club } = await host.post('/v1/clubs', {
      name: 'Anciens de Centrale',
      slug: 'anciens-centrale',
      joinPolicy: 'approval',
    });
    const inAWeek = new Date(m.t.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const rooms = {
      closed: await m.openRoom(host, { mode: 'closed' }),
      social: await m.openRoom(host, { mode: 'social' }),
      club: await m.openRoom(host, { mode: 'club', clubId: club.id }),
      scheduledClosed: await m.openRoom(host, { mode: 'closed', scheduledFor: inAWeek }),
      endedSocial: await m.openRoom(host, { mode: 'social' }),
    };
    for (const id of Object.values(rooms)) if (id !== rooms.scheduledClosed) await m.join(host, id);
    expect((await host.post(`/v1/rooms/${rooms.endedSocial}/end`)).status).toBe(204);

    const unknown = await everyRoute(outsider, randomUUID(), host.id);
    for (const route of Object.keys(unknown)) {
      expect(unknown[route]?.status, route).toBe(404);
    }
    for (const [mode, id] of Object.entries(rooms)) {
      expect({ mode, ...(await everyRoute(outsider, id, host.id)) }).toEqual({ mode, ...unknown });
    }
  });

  it('still answers those who may see the room with what applies to them', async () => {
    const host = await m.member('alice');
    const guest = await m.member('bob');
    const roomId = await m.openRoom(host, { mode: 'closed', invitees: ['bob'] });
    await m.join(host, roomId);
    // bob may enter but has not: he learns what he has to do, not that the room is unknown.
    expect(answer(await guest.put(`/v1/rooms/${roomId}/hand`))).toEqual({
      status: 409,
      code: 'room.not_present',
    });
    expect(answer(await guest.patch(`/v1/rooms/${roomId}`, { topic: 'x' }))).toEqual({
      status: 403,
      code: 'room.not_moderator',
    });
    expect((await guest.post(`/v1/rooms/${roomId}/leave`)).status).toBe(204);
  });

  it('answers a member removed from the room as for an unknown room, except when coming back (told why) or reporting it', async () => {
    const host = await m.member('alice');
    const bob = await m.member('bob');
    const roomId = await m.openRoom(host);
    await m.join(host, roomId);
    await m.join(bob, roomId);
    expect((await host.post(`/v1/rooms/${roomId}/stage/${bob.id}`, { action: 'remove' })).status).toBe(204);
    const unknown = await everyRoute(bob, randomUUID(), host.id);
    const removed = await everyRoute(bob, roomId, host.id);
    expect(removed).toEqual({
      ...unknown,
      join: { status: 403, code: 'room.removed' },
      remind: { status: 403, code: 'room.removed' },
      report: { status: 201, code: null },
    });
  });
});
