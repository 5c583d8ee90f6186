import { connect } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from './node-server';
import { type SseObserver, type SseStream, sse, sseFrame } from './sse';

/** Server-Sent Events as Node serves them: straight onto the socket, with a bounded queue. */
const servers: ReturnType<typeof createHttpServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(app: Hono) {
  const server = createHttpServer(getRequestListener(app.fetch));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Records what the stream layer tells its owner. */
function observer() {
  const seen = { opened: 0, closed: 0, stream: undefined as SseStream | undefined };
  const value: SseObserver = {
    opened(stream) {
      seen.opened++;
      seen.stream = stream;
    },
    closed() {
      seen.closed++;
    },
  };
  return { seen, value };
}

const until = async (done: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('a stream served by Node', () => {
  it('answers with the headers the middleware added, every frame, and ends after the last', async () => {
    const watch = observer();
    let unsubscribed = 0;
    const app = new Hono()
      .use(async (c, next) => {
        await next();
        c.res.headers.set('X-Content-Type-Options', 'nosniff');
      })
      .get('/events', (c) =>
        sse(
          c,
          async (send, close) => {
            send({ event: 'snapshot', id: '7', data: '{"a":1}' });
            setTimeout(() => {
              send(sseFrame('ended', '8', '{}'));
              close();
            }, 50);
            return () => unsubscribed++;
          },
          { maxQueuedBytes: 64 * 1024 },
          watch.value,
        ),
      );
    const port = await serve(app);
    const res = await fetch(`http://127.0.0.1:${port}/events`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-hono-already-sent')).toBeNull();
    expect(await res.text()).toBe(
      'event: snapshot\nid: 7\ndata: {"a":1}\n\nevent: ended\nid: 8\ndata: {}\n\n',
    );
    expect({ ...watch.seen, stream: undefined, unsubscribed }).toEqual({
      opened: 1,
      closed: 1,
      stream: undefined,
      unsubscribed: 1,
    });
  });

  it('forgets a stream whose client went away', async () => {
    const watch = observer();
    let unsubscribed = 0;
    const app = new Hono().get('/events', (c) =>
      sse(
        c,
        async (send) => {
          send({ event: 'hello', data: '{}' });
          return () => unsubscribed++;
        },
        { maxQueuedBytes: 64 * 1024 },
        watch.value,
      ),
    );
    const port = await serve(app);
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/events`, { signal: controller.signal });
    const reader = res.body?.getReader();
    await reader?.read();
    controller.abort();
    await until(() => unsubscribed === 1);
    expect(watch.seen.closed).toBe(1);
  });

  it('cuts a client that does not read once its queue would pass the bound, never holding more', async () => {
    const limit = 256 * 1024;
    const frame = sseFrame('roster', '1', `{"pad":"${'x'.repeat(16 * 1024)}"}`);
    const watch = observer();
    let largest = 0;
    const drops: number[] = [];
    let timer: NodeJS.Timeout | undefined;
    const app = new Hono().get('/events', (c) =>
      sse(
        c,
        async (send) => {
          timer = setInterval(() => {
            largest = Math.max(largest, watch.seen.stream?.queued() ?? 0);
            send(frame);
          }, 1);
          return () => clearInterval(timer);
        },
        { maxQueuedBytes: limit, onDrop: (held) => drops.push(held) },
        watch.value,
      ),
    );
    const port = await serve(app);
    // A client that sends its request and then reads nothing: the kernel's buffers fill (a few
    // megabytes on loopback), then Node's, then the stream's bound is reached.
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n'));
    socket.pause();
    socket.on('error', () => {});
    await until(() => drops.length > 0, 15_000);
    expect(drops).toHaveLength(1);
    expect(drops[0]).toBeLessThanOrEqual(limit);
    expect(largest).toBeLessThanOrEqual(limit + frame.bytes);
    expect(watch.seen.closed).toBe(1);
    expect(watch.seen.stream?.queued()).toBe(0);
    socket.destroy();
  }, 20_000);
});
