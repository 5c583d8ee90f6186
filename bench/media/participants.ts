import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  type RemoteParticipant,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { rms } from '../../api/src/testing/rtc-participant';

/**
 * Lighter rtc-node participants than api/src/testing/rtc-participant.ts, for a machine that also
 * runs the server and the listeners: `joinRtc` subscribes every client to everyone and decodes in
 * 10 ms frames, so ten speakers cost this process about 0.13 core each and starved the probe on two
 * shared cores. Here speakers subscribe to nobody and send 100 ms frames; the probe decodes in
 * 100 ms frames. What the server forwards to the listeners is the same.
 */
const RATE = 48_000;
const FRAME = 4_800; // 100 ms

/** A speaker already allowed to publish: sends `pcm` (48 kHz mono, looped) in real time. */
export async function speak(url: string, token: string, pcm: Int16Array) {
  const room = new Room();
  await room.connect(url, token, { autoSubscribe: false, dynacast: false });
  const source = new AudioSource(RATE, 1);
  const track = LocalAudioTrack.createAudioTrack('microphone', source);
  await room.localParticipant?.publishTrack(
    track,
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  let running = true;
  const loop = (async () => {
    for (let offset = 0; running; offset = (offset + FRAME) % (pcm.length - FRAME)) {
      await source.captureFrame(new AudioFrame(pcm.slice(offset, offset + FRAME), RATE, 1, FRAME));
    }
  })().catch(() => {});
  return {
    identity: room.localParticipant?.identity ?? '',
    async leave() {
      running = false;
      await loop;
      await source.close();
      await room.disconnect();
    },
  };
}

/** A listener that keeps the RMS of every 100 ms of each speaker's decoded audio. */
export async function listen(url: string, token: string) {
  const room = new Room();
  const frames = new Map<string, { at: number; rms: number }[]>();
  room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, participant: RemoteParticipant) => {
    if (track.kind !== TrackKind.KIND_AUDIO) return;
    const list: { at: number; rms: number }[] = [];
    frames.set(participant.identity, list);
    void (async () => {
      for await (const frame of new AudioStream(track, {
        sampleRate: RATE,
        numChannels: 1,
        frameSizeMs: 100,
      }))
        list.push({ at: Date.now(), rms: rms(frame.data) });
    })().catch(() => {});
  });
  await room.connect(url, token, { autoSubscribe: true, dynacast: false });
  return {
    /** RMS of `identity`'s audio between two times, and the share of its 100 ms frames that came. */
    between(identity: string, from: number, to: number) {
      const inside = (frames.get(identity) ?? []).filter((f) => f.at >= from && f.at <= to);
      const energy =
        inside.length === 0 ? 0 : Math.sqrt(inside.reduce((s, f) => s + f.rms * f.rms, 0) / inside.length);
      return { rms: energy, frames: inside.length / ((to - from) / 100) };
    },
    /** Forgets frames older than `before` (a long run would otherwise keep them all). */
    forget(before: number) {
      for (const list of frames.values()) {
        const kept = list.findIndex((f) => f.at >= before);
        list.splice(0, kept === -1 ? list.length : kept);
      }
    },
    leave: () => room.disconnect(),
  };
}
