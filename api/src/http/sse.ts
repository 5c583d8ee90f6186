import type { ServerResponse } from 'node:http';
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

const KEEP_ALIVE: SseFrame = { chunks: [encoder.encode(': keep-alive\n\n')], bytes: 14 };

const head = (event: string, id: string | undefined) =>
  `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: `;
const one = (chunk: Uint8Array): SseFrame => ({ chunks: [chunk], bytes: chunk.byteLength });

/** One `event:` / `id:` / `data:` frame; `data` must hold no line break (JSON never does). */
export function sseFrame(event: string, id: string | undefined, data: string): SseFrame {
  return one(encoder.encode(`${head(event, id)}${data}\n\n`));
}

/** The end of a frame's data, encoded once to be shared by many frames (sseFrameAround). */
export const sseTail = (data: string) => encoder.encode(`${data}\n\n`);

/**
 * A frame whose data is `prefix` (this frame's own) followed by a tail shared with other frames:
 * the tail's bytes are not copied, so the same 30 KB go to 5,000 streams as one buffer.
 */
export function sseFrameAround(
  event: string,
  id: string | undefined,
  prefix: string,
  tail: Uint8Array,
): SseFrame {
  const start = encoder.encode(head(event, id) + prefix);
  return { chunks: [start, tail], bytes: start.byteLength + tail.byteLength };
}

/** The same as one buffer, for a frame made once and sent to many streams (one write each). */
export function sseFrameWhole(
  event: string,
  id: string | undefined,
  prefix: string,
  tail: Uint8Array,
): SseFrame {
  const start = encoder.encode(head(event, id) + prefix);
  const whole = new Uint8Array(start.byteLength + tail.byteLength);
  whole.set(start);
  whole.set(tail, start.byteLength);
  return one(whole);
}

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
  onDrop?: (queuedBytes: number, observer: SseObserver | undefined) => void;
}

export interface SseStream {
  /** Bytes queued for the client now: written to the stream, not yet taken by the socket. */
  queued(): number;
  close(): void;
}

/** Told when a stream opens (once its subscription is made) and when it ends, however it ends. */
export interface SseObserver {
  opened(stream: SseStream): void;
  closed(): void;
}

export class SlowConsumer extends Error {
  constructor(queuedBytes: number) {
    super(`stream dropped: the client had not read ${queuedBytes} bytes`);
  }
}

/** Open streams, for the one keep-alive timer they share. */
const open = new Set<EventStream>();
let heartbeat: NodeJS.Timeout | undefined;
const strategies = new Map<number, ByteLengthQueuingStrategy>();

/** The Node response a stream writes to directly when served by @hono/node-server. */
type Outgoing = ServerResponse & { [STREAM]?: EventStream };
const STREAM = Symbol('sse stream');
/** Tells @hono/node-server that the handler answers on the socket itself. */
const ALREADY_SENT = 'x-hono-already-sent';
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-store',
  'Transfer-Encoding': 'chunked',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/** One listener for every Node response's close: no closure per stream. */
function onOutgoingClose(this: Outgoing) {
  this[STREAM]?.cancel();
}

/**
 * The head of a Node response, once the request's middleware has added its headers (security
 * headers, the request id) to the response the handler returned: the next turn of the loop.
 */
function writeHead(stream: EventStream, outgoing: Outgoing, c: Context) {
  if (outgoing.destroyed) return;
  const headers: Record<string, string> = {};
  c.res.headers.forEach((value, name) => {
    if (name !== ALREADY_SENT) headers[name] = value;
  });
  outgoing.writeHead(200, headers);
  // Node keeps the head it sent as a string built by concatenation, one piece per header: about
  // seventy small strings per open stream. Reading a character makes V8 flatten it into one.
  (outgoing as { _header?: unknown })._header?.toString().charCodeAt(0);
  stream.headWritten();
}

/**
 * One stream's state. A class rather than closures: thousands are open at once, and each closure
 * a stream kept would cost it memory of its own (more so under tsx, which names every closure).
 *
 * Served by Node, it writes to the response itself and its queue is what Node holds for the socket
 * (`writableLength`): no web stream in between, which would cost each open stream several
 * kilobytes more. Elsewhere (tests through `app.request`) its body is a byte stream whose queue
 * is measured the same way.
 */
class EventStream implements SseStream {
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #outgoing: Outgoing | undefined;
  /** Node: frames sent before the head is written. */
  #early: Uint8Array[] | undefined;
  #earlyBytes = 0;
  #endAfterHead = false;
  #open = true;
  #unsubscribe: (() => void) | undefined;
  readonly #limit: number;
  readonly #options: SseOptions;
  readonly #observer: SseObserver | undefined;

  constructor(options: SseOptions, outgoing: Outgoing | undefined, observer: SseObserver | undefined) {
    this.#limit = options.maxQueuedBytes;
    this.#options = options;
    this.#observer = observer;
    if (outgoing) {
      this.#outgoing = outgoing;
      this.#early = [];
      outgoing[STREAM] = this;
      outgoing.on('close', onOutgoingClose);
    }
  }

  /** ReadableStream source: the web stream's controller. */
  start(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#controller = controller;
  }

  /** ReadableStream source: the reader went away. Node: the connection closed. */
  cancel() {
    this.#finish();
  }

  get ended() {
    return !this.#open;
  }

  queued() {
    if (!this.#open) return 0;
    if (this.#outgoing) return this.#earlyBytes + this.#outgoing.writableLength;
    return this.#limit - (this.#controller?.desiredSize ?? this.#limit);
  }

  subscribed(unsubscribe: () => void) {
    this.#unsubscribe = unsubscribe;
    open.add(this);
    heartbeat ??= setInterval(() => {
      for (const stream of open) stream.send(KEEP_ALIVE);
    }, HEARTBEAT_MS).unref();
    this.#observer?.opened(this);
  }

  headWritten() {
    const outgoing = this.#outgoing;
    const early = this.#early;
    if (!outgoing || !early) return;
    this.#early = undefined;
    this.#earlyBytes = 0;
    for (const chunk of early) outgoing.write(chunk);
    if (this.#endAfterHead) outgoing.end();
  }

  #finish() {
    if (!this.#open) return false;
    this.#open = false;
    open.delete(this);
    if (open.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
    this.#unsubscribe?.();
    this.#observer?.closed();
    return true;
  }

  close() {
    if (!this.#finish()) return;
    if (!this.#outgoing) this.#controller?.close();
    else if (this.#early) this.#endAfterHead = true;
    else this.#outgoing.end();
  }

  send(message: SseMessage | SseFrame) {
    if (!this.#open) return;
    const frame = 'chunks' in message ? message : sseFrame(message.event, message.id, message.data);
    const held = this.queued();
    // A frame larger than the limit still goes to a client that has read everything (a snapshot).
    if (held > 0 && held + frame.bytes > this.#limit) {
      if (this.#finish()) {
        // Cut the connection: what was queued for it goes with it.
        if (this.#outgoing) this.#outgoing.destroy();
        else this.#controller?.error(new SlowConsumer(held));
        this.#options.onDrop?.(held, this.#observer);
      }
      return;
    }
    const outgoing = this.#outgoing;
    if (!outgoing) {
      for (const chunk of frame.chunks) this.#controller?.enqueue(chunk);
    } else if (this.#early) {
      this.#early.push(...frame.chunks);
      this.#earlyBytes += frame.bytes;
    } else {
      for (const chunk of frame.chunks) outgoing.write(chunk);
    }
  }
}

/**
 * A Server-Sent Events response around a subscription. What a slow client has not read stays
 * queued here, counted, and past `maxQueuedBytes` the connection is cut and the queue released.
 * A normal close lets what is queued (an `ended`, say) go out first. A comment line every 20 s
 * keeps proxies from dropping an idle connection.
 *
 * The subscription is made before the response starts, so a failure to subscribe is an ordinary
 * error answer, not a stream that opens and says nothing.
 */
export async function sse(
  c: Context,
  subscribe: (send: (message: SseMessage | SseFrame) => void, close: () => void) => Promise<() => void>,
  options: SseOptions = { maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES },
  observer?: SseObserver,
): Promise<Response> {
  const outgoing = (c.env as { outgoing?: Outgoing } | undefined)?.outgoing;
  const stream = new EventStream(options, outgoing, observer);
  let body: ReadableStream<Uint8Array> | null = null;
  if (!outgoing) {
    let strategy = strategies.get(options.maxQueuedBytes);
    if (!strategy) {
      strategy = new ByteLengthQueuingStrategy({ highWaterMark: options.maxQueuedBytes });
      strategies.set(options.maxQueuedBytes, strategy);
    }
    body = new ReadableStream<Uint8Array>(stream, strategy);
  }
  let stop: () => void;
  try {
    stop = await subscribe(stream.send.bind(stream), stream.close.bind(stream));
  } catch (error) {
    stream.cancel();
    if (outgoing) outgoing.off('close', onOutgoingClose);
    throw error;
  }
  // The subscription may have ended the stream already (a room that is over).
  if (stream.ended) stop();
  else stream.subscribed(stop);
  if (body || !outgoing) return c.body(body ?? '', 200, SSE_HEADERS);
  setImmediate(writeHead, stream, outgoing, c);
  return c.body(null, 200, { ...SSE_HEADERS, [ALREADY_SENT]: 'true' });
}
