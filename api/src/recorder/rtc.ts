import type { ReadableStreamDefaultReader } from 'node:stream/web';
import {
  type AudioFrame,
  AudioStream,
  dispose,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  Room,
  RoomEvent,
  TrackKind,
} from '@livekit/rtc-node';
import type { LiveConnector, RoomLink } from './worker';

const RATE = 48_000;

/**
 * The thin binding to LiveKit's native SDK (@livekit/rtc-node): joins a room, turns every
 * subscribed audio track into an AudioFeed of 48 kHz mono PCM (the SDK resamples and downmixes),
 * and ends feeds when their track, participant or connection goes. Everything else is in worker.ts.
 */
export function rtcConnector(url: string): LiveConnector {
  return {
    async join(roomId, token, onTrack): Promise<RoomLink> {
      const room = new Room();
      const feeds = new Map<string, () => void>();
      let settle: (reason: string) => void = () => {};
      const closed = new Promise<string>((resolve) => {
        settle = resolve;
      });
      const end = (sid: string | undefined) => {
        if (!sid) return;
        feeds.get(sid)?.();
        feeds.delete(sid);
      };
      const endAll = () => {
        for (const sid of [...feeds.keys()]) end(sid);
      };

      room.on(
        RoomEvent.TrackSubscribed,
        (track: RemoteTrack, publication: RemoteTrackPublication, participant: RemoteParticipant) => {
          const sid = publication.sid;
          if (track.kind !== TrackKind.KIND_AUDIO || !sid || feeds.has(sid)) return;
          const reader: FrameReader = new AudioStream(track, {
            sampleRate: RATE,
            numChannels: 1,
          }).getReader();
          feeds.set(sid, () => void reader.cancel().catch(() => {}));
          onTrack({ sid, participantId: participant.identity, frames: framesOf(reader) });
        },
      );
      room.on(RoomEvent.TrackUnsubscribed, (_track, publication) => end(publication.sid));
      room.on(RoomEvent.TrackUnpublished, (publication) => end(publication.sid));
      room.on(RoomEvent.ParticipantDisconnected, (participant) => {
        for (const publication of participant.trackPublications.values()) end(publication.sid);
      });
      room.on(RoomEvent.Disconnected, (reason) => {
        endAll();
        settle(`disconnected (${String(reason)})`);
      });

      // Subscribes to everything published (audio only exists in Salon rooms); no video, no data.
      await room.connect(url, token, { autoSubscribe: true, dynacast: false });
      if (room.name !== roomId) {
        await room.disconnect();
        throw new Error(`rtc: joined room ${room.name}, expected ${roomId}`);
      }
      return {
        closed,
        async leave() {
          endAll();
          await room.disconnect();
          settle('left');
        },
      };
    },
  };
}

type FrameReader = ReadableStreamDefaultReader<AudioFrame>;

async function* framesOf(reader: FrameReader): AsyncGenerator<Int16Array> {
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value.sampleRate !== RATE || value.channels !== 1)
        throw new Error(`rtc: expected 48 kHz mono frames, got ${value.sampleRate} Hz × ${value.channels}`);
      yield value.data;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Releases the native SDK (its FFI server and threads) before the process exits. */
export async function disposeRtc() {
  await dispose();
}
