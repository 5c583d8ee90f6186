import { dispose } from '@livekit/rtc-node';
import { schema } from '@salon/db';
import { and, eq } from 'drizzle-orm';
import { RoomServiceClient, TokenVerifier, TrackSource } from 'livekit-server-sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moderationApp, report, statement } from '../modules/moderation/moderation.fixtures';
import { tonePcm } from '../recorder/test-audio';
import { testSecrets } from '../testing';
import { describeWithLiveKit, lateBoundServer, startRealLiveKit } from '../testing/real-livekit';
import { AUDIBLE_RMS, eventually, joinRtc, type RtcParticipant } from '../testing/rtc-participant';

/**
 * Salon's stage rules on the real livekit-server: tokens from /join, RoomServiceClient calls from
 * the stage service, webhooks back into the app. Every claim about sound is checked on the audio
 * that arrives at another participant (RMS of the decoded frames), with silence as the control.
 */
type Moderation = Awaited<ReturnType<typeof moderationApp>>;
type Member = Awaited<ReturnType<Moderation['member']>>;

let m: Moderation;
let t: Moderation['t'];
let member: Moderation['member'];
let lk: Awaited<ReturnType<typeof startRealLiveKit>>;
let http: Awaited<ReturnType<typeof lateBoundServer>>;
let rooms: RoomServiceClient;
const clients: RtcParticipant[] = [];
const TONE = tonePcm(2, 440, 8000);
const SILENCE = new Int16Array(48_000);

describeWithLiveKit('real LiveKit server', () => {
  beforeAll(async () => {
    const secrets = await testSecrets();
    http = await lateBoundServer();
    lk = await startRealLiveKit(secrets, { webhookUrl: `${http.url}/v1/livekit/webhook` });
    m = await moderationApp({ url: lk.url, secrets });
    t = m.t;
    http.serve(t.app);
    member = m.member;
    rooms = new RoomServiceClient(lk.apiUrl, secrets.livekitApiKey, secrets.livekitApiSecret);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.leave().catch(() => {})));
    await dispose();
    await lk?.stop();
    await http?.close();
    await m?.close();
  }, 60_000);

  async function openRoom(host: Member) {
    const res = await host.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** /join through the API, then into LiveKit with the token it returned. */
  async function enter(who: Member, roomId: string) {
    const joinedAt = Date.now();
    const res = await who.post(`/v1/rooms/${roomId}/join`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.livekitUrl).toBe(lk.url);
    const client = await joinRtc(res.body.livekitUrl, res.body.token);
    clients.push(client);
    return Object.assign(client, { token: res.body.token as string, joinedAt });
  }

  const stage = (who: Member, roomId: string, target: string, action: string) =>
    who.post(`/v1/rooms/${roomId}/stage/${target}`, { action });

  const onServer = async (roomId: string, identity: string) =>
    (await rooms.listParticipants(roomId)).find((p) => p.identity === identity);

  const audible = (listener: RtcParticipant, from: string) => () => listener.energyFrom(from) > AUDIBLE_RMS;
  const silent = (listener: RtcParticipant, from: string) => () =>
    listener.energyFrom(from) < AUDIBLE_RMS / 10;

  /** Brings a listener on stage the way the product does: hand, invite, accept. */
  async function bringOnStage(host: Member, guest: Member, roomId: string) {
    expect((await guest.put(`/v1/rooms/${roomId}/hand`)).status).toBe(204);
    expect((await stage(host, roomId, guest.id, 'invite')).status).toBe(204);
    expect((await stage(guest, roomId, guest.id, 'accept')).status).toBe(204);
  }

  it('a listener hears the host; a silent speaker reads as silent; listeners are hidden', async () => {
    const host = await member('helene');
    const quiet = await member('quentin');
    const guest = await member('marc');
    const roomId = await openRoom(host);

    const h = await enter(host, roomId);
    await h.publish(TONE);
    const q = await enter(quiet, roomId);
    await bringOnStage(host, quiet, roomId);
    await q.publish(SILENCE);
    const g = await enter(guest, roomId);

    await eventually('the listener hears the host', audible(g, host.id));
    const joinToFirstAudio = (g.received.get(host.id)?.firstAudibleAt ?? 0) - g.joinedAt;
    await eventually(
      'the silent speaker has been received for a while',
      () => (g.received.get(quiet.id)?.frames.length ?? 0) > 100,
    );
    expect(g.energyFrom(quiet.id, 1000)).toBeLessThan(AUDIBLE_RMS / 10);
    expect(g.energyFrom(host.id, 1000)).toBeGreaterThan(AUDIBLE_RMS);
    console.info(
      `received energy: host ${g.energyFrom(host.id, 1000).toFixed(0)} RMS, silent speaker ` +
        `${g.energyFrom(quiet.id, 1000).toFixed(1)} RMS; join to first audio ${joinToFirstAudio} ms`,
    );

    // The listener is hidden from the others; the speakers are not.
    expect(g.visible().sort()).toEqual([host.id, quiet.id].sort());
    expect(h.visible()).toEqual([quiet.id]);
    const listener = await onServer(roomId, guest.id);
    expect(listener?.permission).toMatchObject({ hidden: true, canPublish: false, canSubscribe: true });
    expect((await onServer(roomId, host.id))?.permission).toMatchObject({
      hidden: false,
      canPublish: true,
      canPublishData: false,
      canSubscribe: true,
      canPublishSources: [TrackSource.MICROPHONE],
    });
    // The identity is the member's id from the session, never chosen by the client; 10 minutes.
    const claims = await new TokenVerifier(t.secrets.livekitApiKey, t.secrets.livekitApiSecret).verify(
      g.token,
    );
    expect(claims.sub).toBe(guest.id);
    expect((claims.exp ?? 0) - (claims.nbf ?? 0)).toBeLessThanOrEqual(600);
  });

  it('a listener cannot publish: the server ignores the track; on stage, a fresh token publishes', async () => {
    const host = await member('ines');
    const guest = await member('paul');
    const roomId = await openRoom(host);
    const h = await enter(host, roomId);
    const g = await enter(guest, roomId);
    await expect(g.publish(TONE, 3000)).rejects.toThrow('the server did not accept the track');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await onServer(roomId, guest.id))?.tracks).toEqual([]);
    expect(h.received.has(guest.id)).toBe(false);

    // The SDK keeps the refused publication pending on that connection. The web app's recovery
    // (RoomView's toggleMicrophone) is a fresh /join token and a new connection: heard at once.
    await bringOnStage(host, guest, roomId);
    await g.leave();
    const again = await enter(guest, roomId);
    await again.publish(TONE);
    await eventually('the host hears the speaker after reconnecting', audible(h, guest.id));
  });

  it('hand → invite is still silent; accept lets the new speaker be heard by the host and the audience', async () => {
    const host = await member('chloe');
    const guest = await member('nadia');
    const other = await member('oscar');
    const roomId = await openRoom(host);
    const h = await enter(host, roomId);
    const g = await enter(guest, roomId);
    const o = await enter(other, roomId);

    expect((await guest.put(`/v1/rooms/${roomId}/hand`)).status).toBe(204);
    expect((await stage(host, roomId, guest.id, 'invite')).status).toBe(204);
    // Invited is not yet allowed: LiveKit still has the listener's permissions.
    expect((await onServer(roomId, guest.id))?.permission).toMatchObject({ canPublish: false, hidden: true });

    expect((await stage(guest, roomId, guest.id, 'accept')).status).toBe(204);
    // The same connection: updateParticipant gave it the speaker's permissions.
    await eventually('LiveKit lets the speaker publish', async () =>
      Boolean((await onServer(roomId, guest.id))?.permission?.canPublish),
    );
    await g.publish(TONE);
    await eventually('the host hears the new speaker', audible(h, guest.id));
    await eventually('the audience hears the new speaker', audible(o, guest.id));
    // On stage, the speaker is visible to the others.
    await eventually('the speaker becomes visible', () => h.visible().includes(guest.id));
    expect((await onServer(roomId, guest.id))?.permission?.hidden).toBe(false);
  });

  it('mute silences a speaker for everyone; back to the audience unpublishes and forbids republishing', async () => {
    const host = await member('lucie');
    const guest = await member('remi');
    const other = await member('sarah');
    const roomId = await openRoom(host);
    await enter(host, roomId);
    const g = await enter(guest, roomId);
    const o = await enter(other, roomId);
    await bringOnStage(host, guest, roomId);
    await g.publish(TONE);
    await eventually('the audience hears the speaker', audible(o, guest.id));

    expect((await stage(host, roomId, guest.id, 'mute')).status).toBe(204);
    await eventually('the speaker is silent for the audience', silent(o, guest.id));
    const track = (await onServer(roomId, guest.id))?.tracks[0];
    expect(track?.muted).toBe(true);

    expect((await stage(host, roomId, guest.id, 'audience')).status).toBe(204);
    await eventually(
      'the track is gone from the server',
      async () => ((await onServer(roomId, guest.id))?.tracks.length ?? 1) === 0,
    );
    await g.stopPublishing();
    await expect(g.publish(TONE, 3000)).rejects.toThrow('the server did not accept the track');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await onServer(roomId, guest.id))?.tracks).toEqual([]);
  });

  it('remove disconnects, the earlier token cannot reconnect, and /join refuses', async () => {
    const host = await member('yann');
    const guest = await member('zoe');
    const roomId = await openRoom(host);
    await enter(host, roomId);
    const g = await enter(guest, roomId);
    let disconnected = false;
    g.room.on('disconnected', () => {
      disconnected = true;
    });

    expect((await stage(host, roomId, guest.id, 'remove')).status).toBe(204);
    await eventually('the removed member is disconnected', () => disconnected);
    expect(await onServer(roomId, guest.id)).toBeUndefined();
    // livekit-server 1.13.5 ignores revokeTokenTs, so the earlier token still connects: the
    // participant_joined webhook makes Salon disconnect it at once.
    const startedAt = Date.now();
    const intruder = await joinRtc(lk.url, g.token);
    clients.push(intruder);
    await eventually('the earlier token is disconnected', () => !intruder.room.isConnected);
    console.info(`a removed member's earlier token was disconnected after ${Date.now() - startedAt} ms`);
    await eventually('the server no longer lists them', async () => !(await onServer(roomId, guest.id)));
    const again = await guest.post(`/v1/rooms/${roomId}/join`);
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('room.removed');
  });

  it('a client gone without leaving is marked gone by the participant_left webhook; ending disconnects everyone', async () => {
    const host = await member('alain');
    const guest = await member('berthe');
    const roomId = await openRoom(host);
    const h = await enter(host, roomId);
    const g = await enter(guest, roomId);
    const present = async (userId: string) => {
      const [row] = await t.database.db
        .select({ present: schema.roomParticipants.present })
        .from(schema.roomParticipants)
        .where(and(eq(schema.roomParticipants.roomId, roomId), eq(schema.roomParticipants.userId, userId)));
      return row?.present;
    };
    expect(await present(guest.id)).toBe(true);
    // Like a closed tab: the connection goes, nobody calls /leave.
    await g.room.disconnect();
    await eventually('the webhook marks the listener gone', async () => (await present(guest.id)) === false);

    let hostDisconnected = false;
    h.room.on('disconnected', () => {
      hostDisconnected = true;
    });
    expect((await host.post(`/v1/rooms/${roomId}/end`)).status).toBe(204);
    await eventually('ending the room disconnects the host', () => hostDisconnected);
  });

  it('the same member connecting again (a second tab) replaces the first connection without leaving', async () => {
    const host = await member('gaspard');
    const guest = await member('hortense');
    const roomId = await openRoom(host);
    await enter(host, roomId);
    const first = await enter(guest, roomId);
    const leftHooks = async () =>
      (
        await t.database.db
          .select({ id: schema.livekitWebhookEvents.id })
          .from(schema.livekitWebhookEvents)
          .where(eq(schema.livekitWebhookEvents.event, 'participant_left'))
      ).length;
    const before = await leftHooks();
    const second = await enter(guest, roomId);
    await eventually('LiveKit closes the first connection', () => !first.room.isConnected);
    await eventually(
      'the replaced connection’s participant_left arrives',
      async () => (await leftHooks()) > before,
    );
    const [row] = await t.database.db
      .select({ present: schema.roomParticipants.present })
      .from(schema.roomParticipants)
      .where(and(eq(schema.roomParticipants.roomId, roomId), eq(schema.roomParticipants.userId, guest.id)));
    expect(row?.present).toBe(true);
    const timeline = await t.database.db
      .select({ type: schema.roomEvents.type })
      .from(schema.roomEvents)
      .where(and(eq(schema.roomEvents.roomId, roomId), eq(schema.roomEvents.subjectId, guest.id)));
    expect(timeline.map((e) => e.type)).toEqual(['participant.joined']);
    expect(second.room.isConnected).toBe(true);
    expect(await onServer(roomId, guest.id)).toBeDefined();
  });

  it('a moderation decision takes the person out of LiveKit; ending the room by decision disconnects everyone', async () => {
    const host = await member('diane');
    const bob = await member('eliott');
    const carol = await member('fanny');
    const mod = await m.staffMember('maud');
    const roomId = await openRoom(host);
    const h = await enter(host, roomId);
    const b = await enter(bob, roomId);
    await enter(carol, roomId);
    const reportId = (await report(carol, { roomId, userId: bob.id })).body.report.id as string;
    await mod.post(`/v1/mod/reports/${reportId}/claim`);
    const removed = await mod.post(
      `/v1/mod/reports/${reportId}/decision`,
      statement('remove_from_room', { scope: 'This room' }),
    );
    expect(removed.status, JSON.stringify(removed.body)).toBe(201);
    await eventually('the removed member is disconnected', () => !b.room.isConnected);
    expect(await onServer(roomId, bob.id)).toBeUndefined();

    const second = (await report(carol, { roomId, userId: host.id })).body.report.id as string;
    await mod.post(`/v1/mod/reports/${second}/claim`);
    const ended = await mod.post(
      `/v1/mod/reports/${second}/decision`,
      statement('end_room', { ground: 'law', groundDetail: 'LCEN art. 6-I-2', subjectId: host.id }),
    );
    expect(ended.status, JSON.stringify(ended.body)).toBe(201);
    await eventually('ending the room disconnects the host', () => !h.room.isConnected);
    expect((await rooms.listRooms([roomId])).length).toBe(0);
  });

  it('room_finished from LiveKit ends a room everybody left', async () => {
    const host = await member('camille');
    const roomId = await openRoom(host);
    const h = await enter(host, roomId);
    await h.room.disconnect();
    await eventually(
      'the room is ended by the webhook',
      async () => {
        const [room] = await t.database.db
          .select({ status: schema.rooms.status })
          .from(schema.rooms)
          .where(eq(schema.rooms.id, roomId));
        return room?.status === 'ended';
      },
      20_000,
    );
  });
});
