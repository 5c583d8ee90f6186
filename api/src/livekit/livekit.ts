import {
  AccessToken,
  type ParticipantPermission,
  RoomServiceClient,
  TrackSource,
  TrackType,
  TwirpError,
  WebhookReceiver,
} from 'livekit-server-sdk';
import type { Config, Secrets } from '../env';
import type { Logger } from '../logger';

/**
 * The only module that talks to LiveKit. The database is the source of truth for who may speak;
 * this turns a role into a token or into LiveKit's permission set, and keeps LiveKit in step.
 */
export type LiveRole = 'listener' | 'speaker' | 'moderator' | 'recorder';

const TOKEN_TTL = '10m';
const CALL_TIMEOUT_SECONDS = 3;
const RETRIES = 2;

/**
 * The full permission set for a role. LiveKit replaces every field that an update omits, so the
 * whole set is always sent. Listeners are hidden: 5,000 of them would otherwise cost every client
 * an O(n²) stream of participant updates; the audience list comes from Salon's own stream.
 */
export function permissionsFor(role: LiveRole): Partial<ParticipantPermission> {
  const onStage = role === 'speaker' || role === 'moderator';
  return {
    canSubscribe: true,
    canPublish: onStage,
    canPublishData: false,
    canPublishSources: onStage ? [TrackSource.MICROPHONE] : [],
    canUpdateMetadata: false,
    hidden: !onStage,
    recorder: role === 'recorder',
  };
}

export interface LiveKit {
  /** The URL browsers connect to, or null when no LiveKit is configured (audio unavailable). */
  readonly url: string | null;
  token(input: { roomId: string; userId: string; name: string; role: LiveRole }): Promise<string>;
  setRole(roomId: string, userId: string, role: LiveRole): Promise<void>;
  muteMicrophone(roomId: string, userId: string): Promise<void>;
  removeParticipant(roomId: string, userId: string, options: { revokeTokens: boolean }): Promise<void>;
  endRoom(roomId: string): Promise<void>;
  verifyWebhook(body: string, authorization: string | undefined): Promise<WebhookEventLike>;
}

export interface WebhookEventLike {
  id: string;
  event: string;
  room?: { name: string } | undefined;
  /** `replaced`: LiveKit closed this connection because the same identity connected again. */
  participant?: { identity: string; replaced?: boolean } | undefined;
}

/** livekit.DisconnectReason.DUPLICATE_IDENTITY (the server SDK does not export the enum). */
const DUPLICATE_IDENTITY = 2;

export function createLiveKit(deps: { config: Config; secrets: Secrets; logger: Logger }): LiveKit {
  const { config, secrets, logger } = deps;
  const apiUrl = config.livekit.apiUrl;
  const client = apiUrl
    ? new RoomServiceClient(apiUrl, secrets.livekitApiKey, secrets.livekitApiSecret, {
        requestTimeout: CALL_TIMEOUT_SECONDS,
        failover: false,
      })
    : undefined;
  const receiver = new WebhookReceiver(secrets.livekitApiKey, secrets.livekitApiSecret);

  /** Retries transient failures; a participant who is not connected is not an error. */
  async function call<T>(what: string, run: (c: RoomServiceClient) => Promise<T>): Promise<T | undefined> {
    if (!client) return undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(client);
      } catch (error) {
        if (error instanceof TwirpError && error.status === 404) return undefined;
        const transient = !(error instanceof TwirpError) || error.status >= 500;
        if (!transient || attempt >= RETRIES) {
          logger.warn({ livekit: what, attempt, err: error }, 'livekit call failed');
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 3 ** attempt));
      }
    }
  }

  return {
    url: config.livekit.url ?? null,
    async token({ roomId, userId, name, role }) {
      const token = new AccessToken(secrets.livekitApiKey, secrets.livekitApiSecret, {
        identity: userId,
        name,
        ttl: TOKEN_TTL,
      });
      const permissions = permissionsFor(role);
      token.addGrant({
        roomJoin: true,
        room: roomId,
        canSubscribe: permissions.canSubscribe,
        canPublish: permissions.canPublish,
        canPublishData: permissions.canPublishData,
        canPublishSources: permissions.canPublishSources,
        canUpdateOwnMetadata: false,
        hidden: permissions.hidden,
        recorder: permissions.recorder,
      });
      return token.toJwt();
    },
    async setRole(roomId, userId, role) {
      await call('updateParticipant', (c) =>
        c.updateParticipant(roomId, userId, { permission: permissionsFor(role) }),
      );
    },
    async muteMicrophone(roomId, userId) {
      const participant = await call('getParticipant', (c) => c.getParticipant(roomId, userId));
      const microphone = participant?.tracks.find(
        (t) => t.source === TrackSource.MICROPHONE || t.type === TrackType.AUDIO,
      );
      if (microphone)
        await call('mutePublishedTrack', (c) => c.mutePublishedTrack(roomId, userId, microphone.sid, true));
    },
    async removeParticipant(roomId, userId, { revokeTokens }) {
      // revokeTokenTs: tokens issued before now stop working, so a removed person cannot reconnect.
      const options = revokeTokens ? { revokeTokenTs: BigInt(Math.floor(Date.now() / 1000)) } : undefined;
      await call('removeParticipant', (c) => c.removeParticipant(roomId, userId, options));
    },
    async endRoom(roomId) {
      await call('deleteRoom', (c) => c.deleteRoom(roomId));
    },
    async verifyWebhook(body, authorization) {
      const event = await receiver.receive(body, authorization);
      return {
        id: event.id,
        event: event.event,
        room: event.room ? { name: event.room.name } : undefined,
        participant: event.participant
          ? {
              identity: event.participant.identity,
              replaced: event.participant.disconnectReason === DUPLICATE_IDENTITY,
            }
          : undefined,
      };
    },
  };
}
