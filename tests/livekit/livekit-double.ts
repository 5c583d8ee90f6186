import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessToken, type ClaimGrants, TokenVerifier } from 'livekit-server-sdk';

/**
 * A LiveKit protocol TEST DOUBLE — not a LiveKit server — kept ONLY to inject faults the real
 * server cannot be made to produce on demand: LiveKit down (`setDown`, every call 503), and
 * forged, tampered or replayed webhook deliveries (`webhook` signs what the test wants). Everything
 * else (tokens, permissions, hidden listeners, mute, removal, webhooks, the recorder, sound) is
 * tested against the pinned livekit-server: api/src/livekit/real-server.test.ts,
 * api/src/recorder/real-recorder.test.ts and tests/e2e/audio.spec.ts.
 *
 * It speaks what Salon uses of the real protocol: the RoomService Twirp JSON endpoints
 * (authenticated with the API key's JWT), client "connections" with an access token (verified with
 * TokenVerifier), and webhook requests signed as LiveKit signs them (a JWT whose sha256 claim is
 * the body's digest).
 */
export interface FakeParticipant {
  identity: string;
  name: string;
  permission: Record<string, unknown>;
  tracks: { sid: string; type: 'AUDIO'; source: 'MICROPHONE'; muted: boolean }[];
}

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
}

export async function startLiveKitDouble(apiKey: string, apiSecret: string) {
  const verifier = new TokenVerifier(apiKey, apiSecret);
  const rooms = new Map<string, Map<string, FakeParticipant>>();
  const calls: RecordedCall[] = [];
  let down = false;
  let trackCounter = 0;

  const participantJson = (p: FakeParticipant) => ({
    sid: `PA_${p.identity.slice(0, 8)}`,
    identity: p.identity,
    name: p.name,
    state: 'ACTIVE',
    permission: p.permission,
    tracks: p.tracks.map((t) => ({ sid: t.sid, type: t.type, source: t.source, muted: t.muted })),
  });

  function twirpError(res: ServerResponse, status: number, code: string, msg: string) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, msg }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const match = req.url?.match(/^\/twirp\/livekit\.RoomService\/(\w+)$/);
    if (req.method !== 'POST' || !match?.[1]) return twirpError(res, 404, 'bad_route', 'no such route');
    if (down) return twirpError(res, 503, 'unavailable', 'server down');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
    let claims: ClaimGrants;
    try {
      claims = await verifier.verify((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    } catch {
      return twirpError(res, 401, 'unauthenticated', 'invalid token');
    }
    const method = match[1];
    // As livekit-server: DeleteRoom needs roomCreate; participant calls need roomAdmin for that room.
    const allowed =
      method === 'DeleteRoom'
        ? claims.video?.roomCreate === true
        : claims.video?.roomAdmin === true && claims.video.room === body.room;
    if (!allowed) return twirpError(res, 403, 'permission_denied', 'permissions denied');
    calls.push({ method, body });
    const room = rooms.get(body.room ?? '');
    const participant = room?.get(body.identity ?? '');
    const ok = (payload: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    switch (method) {
      case 'GetParticipant':
        return participant
          ? ok(participantJson(participant))
          : twirpError(res, 404, 'not_found', 'participant not found');
      case 'UpdateParticipant': {
        if (!participant) return twirpError(res, 404, 'not_found', 'participant not found');
        // Like LiveKit: the permission set is replaced whole, omitted fields become false/empty.
        participant.permission =
          (body as unknown as { permission: Record<string, unknown> }).permission ?? {};
        if (!participant.permission.canPublish) participant.tracks = [];
        return ok(participantJson(participant));
      }
      case 'MutePublishedTrack': {
        const track = participant?.tracks.find((t) => t.sid === (body as Record<string, string>).trackSid);
        if (!track) return twirpError(res, 404, 'not_found', 'track not found');
        track.muted = Boolean((body as unknown as { muted: boolean }).muted);
        return ok({ track: { sid: track.sid, type: track.type, source: track.source, muted: track.muted } });
      }
      case 'RemoveParticipant':
        if (!participant) return twirpError(res, 404, 'not_found', 'participant not found');
        room?.delete(participant.identity);
        return ok({});
      case 'DeleteRoom':
        rooms.delete(body.room ?? '');
        return ok({});
      case 'ListParticipants':
        return ok({ participants: [...(room?.values() ?? [])].map(participantJson) });
      default:
        return twirpError(res, 404, 'bad_route', `${method} is not implemented by the test double`);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error) => twirpError(res, 500, 'internal', String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    rooms,
    /** Makes every RoomService call fail with 503, as an unreachable LiveKit would. */
    setDown(value: boolean) {
      down = value;
    },
    /**
     * A client connecting with its token: verified and applied as the SFU does. Returns the
     * grants; a participant allowed to publish starts publishing its microphone.
     */
    async connect(token: string) {
      const claims = await verifier.verify(token);
      const video = claims.video;
      if (!video?.roomJoin || !video.room || !claims.sub)
        throw new Error('token does not allow joining a room');
      const room = rooms.get(video.room) ?? new Map<string, FakeParticipant>();
      rooms.set(video.room, room);
      const participant: FakeParticipant = {
        identity: claims.sub,
        name: claims.name ?? '',
        permission: { ...video },
        tracks: video.canPublish
          ? [{ sid: `TR_${++trackCounter}`, type: 'AUDIO', source: 'MICROPHONE', muted: false }]
          : [],
      };
      room.set(claims.sub, participant);
      return claims;
    },
    /** A webhook request as LiveKit sends it: JSON body, Authorization = JWT with the body's sha256. */
    async webhook(event: {
      id: string;
      event: string;
      room?: { name: string };
      participant?: { identity: string };
    }) {
      const body = JSON.stringify({ ...event, createdAt: String(Math.floor(Date.now() / 1000)) });
      const token = new AccessToken(apiKey, apiSecret);
      token.sha256 = createHash('sha256').update(body).digest('base64');
      return { body, authorization: await token.toJwt() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type LiveKitDouble = Awaited<ReturnType<typeof startLiveKitDouble>>;
