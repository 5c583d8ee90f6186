import type { Clock, Database } from '@salon/db';
import type { DataMap } from '@salon/policies';
import type { Crypto } from '../crypto';
import type { Config, Secrets } from '../env';
import type { LiveKit } from '../livekit/livekit';
import type { Logger } from '../logger';
import type { SmsProvider } from '../modules/phone/sms';
import type { RoomHub } from '../modules/rooms/stream';
import type { StreamRegistry } from './streams';

/** What createApp needs; nothing global, so tests build as many apps as they like. */
export interface AppDeps {
  database: Database;
  config: Config;
  secrets: Secrets;
  logger: Logger;
  clock: Clock;
  crypto: Crypto;
  sms: SmsProvider;
  livekit: LiveKit;
  /**
   * policies/data-map.yaml, read and checked once at start: the retention sweeper, the privacy
   * documents, exports, room-creation keys and the audit log's pruning take their periods from it.
   */
  dataMap: DataMap;
  /**
   * A development server's clock (the same as `clock`), which the browser tests may move forward
   * (POST /v1/dev/clock); absent everywhere else.
   */
  devClock?: Clock & { advance(ms: number): void };
  /** The open Server-Sent Events streams and their limits; createApp makes one when not given. */
  streams?: StreamRegistry;
  /** The room streams' hub (batching, fan-out); createApp makes one when not given. */
  roomHub?: RoomHub;
}

export interface SessionUser {
  userId: string;
  sessionId: string;
  /** The member asked for deletion and signed in again during the grace period: only cancelling is open. */
  deactivated: boolean;
  /** A suspended or banned member may read the decisions about them, appeal, and use their GDPR rights. */
  restriction?: 'suspended' | 'banned' | undefined;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    /** Set by the session middleware when a valid session cookie came with the request. */
    auth: SessionUser | undefined;
  };
}
