import OpusScript from 'opusscript';
import { OPUS_RATE } from './ogg';

/** 20 ms frames, Opus's usual size for speech. */
export const FRAME_SAMPLES = (OPUS_RATE * 20) / 1000;
/** Speech at 24 kbit/s mono: transparent enough for a moderator to judge what was said. */
const BITRATE = 24_000;
const OPUS_GET_LOOKAHEAD = 4027;

/** The parts of opusscript's object this module uses beyond its typings (scratch memory). */
interface OpusScriptInternals {
  inOpusPointer: number;
  inOpus: Uint8Array;
}

export interface OpusEncoder {
  /** Samples (48 kHz) of delay the encoder adds: the stream's pre-skip. */
  readonly lookahead: number;
  /** Encodes exactly one 20 ms mono frame. */
  encode(frame: Int16Array): Uint8Array;
  /** Frees the encoder's WebAssembly memory. */
  close(): void;
}

/** libopus (through opusscript's WebAssembly build) encoding 48 kHz mono speech. */
export function createOpusEncoder(): OpusEncoder {
  const encoder = new OpusScript(OPUS_RATE, 1, OpusScript.Application.VOIP);
  let closed = false;
  try {
    encoder.setBitrate(BITRATE);
    const lookahead = readLookahead(encoder);
    return {
      lookahead,
      encode(frame) {
        if (closed) throw new Error('opus: encoder closed');
        if (frame.length !== FRAME_SAMPLES) throw new RangeError(`opus: frames are ${FRAME_SAMPLES} samples`);
        // opusscript wants the samples' bytes (s16le, as Node's Buffer of PCM): it spreads them
        // over its 16-bit heap view itself. Passing the Int16Array would feed it noise.
        const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
        return new Uint8Array(encoder.encode(bytes, FRAME_SAMPLES));
      },
      close() {
        if (closed) return;
        closed = true;
        encoder.delete();
      },
    };
  } catch (error) {
    encoder.delete();
    throw error;
  }
}

/**
 * OPUS_GET_LOOKAHEAD writes an int32 through a pointer; opusscript passes its argument straight
 * to opus_encoder_ctl, so the encoder's own (idle) packet input buffer serves as that memory.
 */
function readLookahead(encoder: OpusScript): number {
  const internals = encoder as unknown as OpusScriptInternals;
  if (typeof internals.inOpusPointer !== 'number' || !(internals.inOpus instanceof Uint8Array))
    throw new Error('opus: unsupported opusscript build (no scratch buffer)');
  encoder.encoderCTL(OPUS_GET_LOOKAHEAD, internals.inOpusPointer);
  const view = internals.inOpus;
  const lookahead = new DataView(view.buffer, view.byteOffset, 4).getInt32(0, true);
  if (!Number.isInteger(lookahead) || lookahead < 0 || lookahead > OPUS_RATE)
    throw new Error(`opus: implausible lookahead ${lookahead}`);
  return lookahead;
}
