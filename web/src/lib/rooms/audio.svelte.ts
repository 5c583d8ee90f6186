import type { Room as LiveKitRoom, Participant, RemoteParticipant, RemoteTrack } from 'livekit-client';

/**
 * off: not connected (yet); connecting; connected; unavailable: no LiveKit configured, or it
 * could not be reached — the room works without sound and says so.
 */
export type AudioStatus = 'off' | 'connecting' | 'connected' | 'unavailable';
export type MicOutcome = 'ok' | 'denied' | 'failed';

const CONNECT_TIMEOUT_MS = 15_000;

/**
 * The room's sound through LiveKit. `livekit-client` is loaded only in the browser and only when
 * a room gives a LiveKit URL, so server rendering never touches WebRTC. The database decides who
 * may speak: the token says so, and the microphone is published only when it allows it.
 */
export class RoomAudio {
  status = $state<AudioStatus>('off');
  micOn = $state(false);
  micBusy = $state(false);
  /** The browser refused to play sound before a gesture: a button has to ask for it. */
  blocked = $state(false);
  /** Salon's recorder is in the room now (LiveKit tells every client: `room.isRecording`). */
  recording = $state(false);
  /** Member ids LiveKit hears speaking now (its active speakers, from the audio that arrives). */
  speaking = $state.raw<ReadonlySet<string>>(new Set());
  /** Member ids whose microphone is live (published and not muted), as LiveKit reports it. */
  microphones = $state.raw<ReadonlySet<string>>(new Set());
  #room: LiveKitRoom | null = null;
  #elements = new Set<HTMLMediaElement>();
  #generation = 0;
  /** Told when the microphone was turned off by someone else (a moderator's mute). */
  onremotemute: () => void = () => {};

  /** Connects with a join grant; a null URL or token means the server has no audio. */
  async connect(url: string | null, token: string | null): Promise<void> {
    this.disconnect();
    const generation = ++this.#generation;
    if (!url || !token) {
      this.status = 'unavailable';
      return;
    }
    this.status = 'connecting';
    try {
      const { Room, RoomEvent, Track, setLogLevel } = await import('livekit-client');
      setLogLevel('warn');
      if (generation !== this.#generation) return;
      // The session leaves on pagehide, telling the API before the connection goes: left to
      // itself, LiveKit would disconnect first (on beforeunload) and the room, seeing the member
      // drop, would bring them back just as the page closes.
      const room = new Room({
        adaptiveStream: false,
        dynacast: false,
        stopLocalTrackOnUnpublish: true,
        disconnectOnPageLeave: false,
      });
      room
        .on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _publication, participant: RemoteParticipant) => {
          if (track.kind !== Track.Kind.Audio) return;
          const element = track.attach();
          element.dataset.roomAudio = '';
          // Whose voice this is (a member id, as on the roster): lets the browser tests measure
          // the audio that arrives from each speaker.
          element.dataset.participant = participant.identity;
          document.body.append(element);
          this.#elements.add(element);
        })
        .on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
          for (const element of track.detach()) {
            element.remove();
            this.#elements.delete(element);
          }
        })
        .on(RoomEvent.ActiveSpeakersChanged, (speakers: Participant[]) => {
          this.speaking = new Set(speakers.map((p) => p.identity));
        })
        .on(RoomEvent.TrackPublished, () => this.#readMicrophones(room))
        .on(RoomEvent.TrackUnpublished, () => this.#readMicrophones(room))
        .on(RoomEvent.LocalTrackPublished, () => this.#readMicrophones(room))
        .on(RoomEvent.TrackUnmuted, () => this.#readMicrophones(room))
        .on(RoomEvent.ParticipantDisconnected, () => this.#readMicrophones(room))
        .on(RoomEvent.RecordingStatusChanged, (recording: boolean) => {
          this.recording = recording;
        })
        .on(RoomEvent.AudioPlaybackStatusChanged, () => {
          this.blocked = !room.canPlaybackAudio;
        })
        .on(RoomEvent.TrackMuted, (publication, participant) => {
          this.#readMicrophones(room);
          if (participant !== room.localParticipant || publication.source !== Track.Source.Microphone) return;
          if (this.micOn && !this.micBusy) {
            this.micOn = false;
            this.onremotemute();
          }
        })
        .on(RoomEvent.LocalTrackUnpublished, (publication) => {
          this.#readMicrophones(room);
          if (publication.source === Track.Source.Microphone) this.micOn = false;
        })
        .on(RoomEvent.Disconnected, () => {
          if (generation !== this.#generation) return;
          this.micOn = false;
          this.recording = false;
          this.status = 'unavailable';
        });
      await withTimeout(room.connect(url, token, { autoSubscribe: true }), CONNECT_TIMEOUT_MS);
      if (generation !== this.#generation) {
        void room.disconnect();
        return;
      }
      this.#room = room;
      this.#readMicrophones(room);
      this.status = 'connected';
      this.blocked = !room.canPlaybackAudio;
      this.recording = room.isRecording;
    } catch {
      if (generation === this.#generation) this.status = 'unavailable';
    }
  }

  #readMicrophones(room: LiveKitRoom) {
    const live = new Set<string>();
    for (const participant of [room.localParticipant, ...room.remoteParticipants.values()]) {
      if (participant.isMicrophoneEnabled) live.add(participant.identity);
    }
    this.microphones = live;
  }

  /** Asks the browser to play the room's sound (must run inside a click). */
  async play(): Promise<void> {
    try {
      await this.#room?.startAudio();
      this.blocked = !(this.#room?.canPlaybackAudio ?? true);
    } catch {
      // Still blocked: the button stays.
    }
  }

  /** Turns the microphone on or off; only call it for someone the server put on stage. */
  async setMicrophone(on: boolean): Promise<MicOutcome> {
    const room = this.#room;
    if (!room || this.micBusy) return 'failed';
    this.micBusy = true;
    try {
      await room.localParticipant.setMicrophoneEnabled(on);
      this.micOn = on;
      this.#readMicrophones(room);
      return 'ok';
    } catch (error) {
      this.micOn = false;
      const name = error instanceof Error ? error.name : '';
      return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'failed';
    } finally {
      this.micBusy = false;
    }
  }

  /** Stops publishing at once (moved to the audience, leaving). */
  async stopMicrophone(): Promise<void> {
    if (!this.micOn) return;
    this.micOn = false;
    try {
      await this.#room?.localParticipant.setMicrophoneEnabled(false);
    } catch {
      // The server revokes publishing anyway; nothing more to do here.
    }
  }

  disconnect(): void {
    this.#generation += 1;
    const room = this.#room;
    this.#room = null;
    if (room) void room.disconnect();
    for (const element of this.#elements) element.remove();
    this.#elements.clear();
    this.micOn = false;
    this.blocked = false;
    this.recording = false;
    this.speaking = new Set();
    this.microphones = new Set();
    this.status = 'off';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
