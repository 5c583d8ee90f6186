import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  type RemoteParticipant,
  type RemoteTrack,
  type RemoteTrackPublication,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';

/**
 * A LiveKit participant for tests, through the native SDK (@livekit/rtc-node): it joins with the
 * token Salon's /join returned, publishes PCM as its microphone, and measures the energy of the
 * audio that *arrives* from each other participant — what a listener would hear.
 */
const RATE = 48_000;
const FRAME = 480; // 10 ms

export interface Received {
  /** Every 10 ms frame's RMS (0–32767) with its arrival time. */
  frames: { at: number; rms: number }[];
  /** When the first frame louder than `audibleRms` arrived. */
  firstAudibleAt: number | undefined;
}

/** Frames louder than this are sound; a silent track decodes to exact zeros or near them. */
export const AUDIBLE_RMS = 200;

export async function joinRtc(url: string, token: string) {
  const room = new Room();
  const received = new Map<string, Received>();
  room.on(
    RoomEvent.TrackSubscribed,
    (track: RemoteTrack, _publication: RemoteTrackPublication, participant: RemoteParticipant) => {
      if (track.kind !== TrackKind.KIND_AUDIO) return;
      const entry: Received = { frames: [], firstAudibleAt: undefined };
      received.set(participant.identity, entry);
      void (async () => {
        for await (const frame of new AudioStream(track, { sampleRate: RATE, numChannels: 1 })) {
          const value = rms(frame.data);
          const at = Date.now();
          entry.frames.push({ at, rms: value });
          if (value > AUDIBLE_RMS && entry.firstAudibleAt === undefined) entry.firstAudibleAt = at;
        }
      })().catch(() => {});
    },
  );
  await room.connect(url, token, { autoSubscribe: true, dynacast: false });
  let publishing: { stop(): Promise<void>; sid: string } | undefined;

  return {
    room,
    identity: room.localParticipant?.identity ?? '',
    received,
    /** The RMS of what arrived from `identity` over the last `ms` (0 when nothing arrived). */
    energyFrom(identity: string, ms = 500): number {
      const since = Date.now() - ms;
      const recent = (received.get(identity)?.frames ?? []).filter((f) => f.at >= since);
      if (recent.length === 0) return 0;
      return Math.sqrt(recent.reduce((sum, f) => sum + f.rms * f.rms, 0) / recent.length);
    },
    /**
     * Publishes `pcm` (48 kHz mono, looped) as the microphone, in real time. Rejects when the
     * server does not accept the track within `timeoutMs` (it ignores a publish it refuses).
     */
    async publish(pcm: Int16Array, timeoutMs = 10_000) {
      const source = new AudioSource(RATE, 1);
      const track = LocalAudioTrack.createAudioTrack('microphone', source);
      const options = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE });
      let timer: NodeJS.Timeout | undefined;
      const refused = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the server did not accept the track')), timeoutMs);
      });
      const publication = await Promise.race([room.localParticipant?.publishTrack(track, options), refused])
        .catch(async (error: unknown) => {
          await source.close();
          throw error;
        })
        .finally(() => clearTimeout(timer));
      if (!publication?.sid) throw new Error('published without a track sid');
      let running = true;
      const loop = (async () => {
        for (let offset = 0; running; offset = (offset + FRAME) % (pcm.length - FRAME)) {
          await source.captureFrame(new AudioFrame(pcm.slice(offset, offset + FRAME), RATE, 1, FRAME));
        }
      })().catch(() => {});
      publishing = {
        sid: publication.sid,
        async stop() {
          running = false;
          await loop;
          await source.close();
        },
      };
      return publication.sid;
    },
    async stopPublishing() {
      await publishing?.stop();
      publishing = undefined;
    },
    /** Stops sending and unpublishes the microphone track, as turning a microphone off does. */
    async unpublish() {
      const sid = publishing?.sid;
      await publishing?.stop();
      publishing = undefined;
      if (sid) await room.localParticipant?.unpublishTrack(sid);
    },
    /** The other participants this client can see (hidden ones are not listed). */
    visible(): string[] {
      return [...room.remoteParticipants.values()].map((p) => p.identity);
    },
    async leave() {
      await publishing?.stop();
      await room.disconnect();
    },
  };
}

export type RtcParticipant = Awaited<ReturnType<typeof joinRtc>>;

export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Polls `check` until it holds, or fails with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
