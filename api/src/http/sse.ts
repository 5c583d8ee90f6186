import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';

const HEARTBEAT_MS = 20_000;

export interface SseMessage {
  event: string;
  data: string;
  id?: string | undefined;
}

/**
 * A Server-Sent Events response around a subscription. Writes are chained so that the last
 * message (an `ended`, say) is out before the stream closes; a comment line every 20 s keeps
 * proxies from dropping an idle connection.
 */
export function sse(
  c: Context,
  subscribe: (send: (message: SseMessage) => void, close: () => void) => Promise<() => void>,
) {
  c.header('Cache-Control', 'no-store');
  c.header('X-Accel-Buffering', 'no');
  return streamSSE(c, async (stream) => {
    let closed = false;
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const close = () => {
      closed = true;
      finish();
    };
    stream.onAbort(close);
    let writing = Promise.resolve();
    const unsubscribe = await subscribe((message) => {
      if (closed) return;
      writing = writing.then(() =>
        stream.writeSSE({
          event: message.event,
          data: message.data,
          ...(message.id ? { id: message.id } : {}),
        }),
      );
    }, close);
    const heartbeat = setInterval(() => {
      if (!closed) writing = writing.then(() => stream.write(': keep-alive\n\n')).then(() => {});
    }, HEARTBEAT_MS);
    await finished;
    clearInterval(heartbeat);
    unsubscribe();
    await writing;
  });
}
