import type { Context } from 'hono';

const HEARTBEAT_MS = 20_000;
const encoder = new TextEncoder();

export interface SseMessage {
  event: string;
  data: string;
  id?: string | undefined;
}

/**
 * An event already on the wire format. A hub encodes an event once and hands the same frame to
 * every stream it goes to: the chunks are shared, never copied, so a change sent to 5,000 streams
 * costs one serialisation and one encoding, and the streams' queues point at the same bytes.
 */
export interface SseFrame {
  readonly chunks: readonly Uint8Array[];
  readonly bytes: number;
}

const END = encoder.encode('\n\n');
const KEEP_ALIVE: SseFrame = { chunks: [encoder.encode(': keep-alive\n\n')], bytes: 14 };

/**
 * One `event:` / `id:` / `data:` frame. `data` is the concatenation of its parts, text (encoded
 * here) or bytes encoded once elsewhere and shared; it must hold no line break (JSON never does).
 */
export function sseFrame(event: string, id: string | undefined, ...data: (string | Uint8Array)[]): SseFrame {
  const chunks: Uint8Array[] = [];
  let text = `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: `;
  for (const part of data) {
    if (typeof part === 'string') text += part;
    else {
      chunks.push(encoder.encode(text), part);
      text = '';
    }
  }
  if (text) chunks.push(encoder.encode(text));
  chunks.push(END);
  return { chunks, bytes: chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0) };
}

/** Encodes text once, to be shared by many frames (see sseFrame). */
export const encodeText = (text: string) => encoder.encode(text);

/** See SseOptions.maxQueuedBytes: about five of the largest room snapshots. */
export const DEFAULT_MAX_QUEUED_BYTES = 256 * 1024;

export interface SseOptions {
  /**
   * The most a stream may hold queued for its client (bytes written to it that the client has
   * not taken yet). A stream that would exceed it is dropped at once rather than buffered: the
   * client's EventSource reconnects with Last-Event-ID and is brought up to date then.
   */
  maxQueuedBytes: number;
  /** Told when a stream is dropped for a client too slow to read it, with the bytes it held. */
  onDrop?: (queuedBytes: number) => void;
}

export interface SseStream {
  /** Bytes queued for the client now: written to the stream, not yet taken by the socket. */
  queued(): number;
}

export class SlowConsumer extends Error {
  constructor(queuedBytes: number) {
    super(`stream dropped: the client had not read ${queuedBytes} bytes`);
  }
}

/**
 * A Server-Sent Events response around a subscription. The body is a byte stream whose queue is
 * measured: the HTTP layer takes from it only as fast as the socket drains, so what a slow client
 * has not read stays here, counted, and past `maxQueuedBytes` the connection is cut and what was
 * queued for it is released. A normal close lets what is queued (an `ended`,
 * say) go out first. A comment line every 20 s keeps proxies from dropping an idle connection.
 *
 * The subscription is made before the response starts, so a failure to subscribe is an ordinary
 * error answer, not a stream that opens and says nothing.
 */
export async function sse(
  c: Context,
  subscribe: (send: (message: SseMessage | SseFrame) => void, close: () => void) => Promise<() => void>,
  options: SseOptions = { maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES },
  onOpen: (stream: SseStream) => void = () => {},
): Promise<Response> {
  const limit = options.maxQueuedBytes;
  const outgoing = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let state: 'open' | 'done' = 'open';
  let unsubscribe: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const queued = () => (state === 'open' ? limit - (controller.desiredSize ?? limit) : 0);
  const ended = () => state === 'done';

  const finish = () => {
    if (state === 'done') return false;
    state = 'done';
    clearInterval(heartbeat);
    unsubscribe?.();
    return true;
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      cancel() {
        finish();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: limit }),
  );
  const close = () => {
    if (finish()) controller.close();
  };
  const send = (message: SseMessage | SseFrame) => {
    if (state !== 'open') return;
    const frame = 'chunks' in message ? message : sseFrame(message.event, message.id, message.data);
    const held = queued();
    // A frame larger than the limit still goes to a client that has read everything (a snapshot).
    if (held > 0 && held + frame.bytes > limit) {
      if (finish()) {
        // Served by Node: cut the connection, and the HTTP layer cancels the body (its queue goes
        // with it). Erroring the body there instead would have it log and write the error out.
        if (outgoing) outgoing.destroy();
        else controller.error(new SlowConsumer(held));
        options.onDrop?.(held);
      }
      return;
    }
    for (const chunk of frame.chunks) controller.enqueue(chunk);
  };
  c.req.raw.signal?.addEventListener('abort', close, { once: true });

  let stop: () => void;
  try {
    stop = await subscribe(send, close);
  } catch (error) {
    finish();
    throw error;
  }
  // The subscription may have ended the stream already (a room that is over).
  if (ended()) stop();
  else {
    unsubscribe = stop;
    heartbeat = setInterval(() => send(KEEP_ALIVE), HEARTBEAT_MS);
    onOpen({ queued });
  }
  return c.body(body, 200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-store',
    // Told up front, so the HTTP layer streams at once instead of waiting to measure the body.
    'Transfer-Encoding': 'chunked',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
}
