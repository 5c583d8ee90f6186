import { connect } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer, SERVER_TIMEOUTS } from './node-server';
import { sse } from './sse';

const servers: ReturnType<typeof createHttpServer>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP server on a free loopback port, with the production timeouts unless told otherwise. */
async function serve(app: Hono, timeouts = SERVER_TIMEOUTS) {
  const server = createHttpServer(getRequestListener(app.fetch), timeouts);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Opens a raw TCP connection, writes `head`, and resolves with what came back once the server
 * closes it (or once `enough` says the answer is complete).
 */
function rawRequest(port: number, head: string, giveUpMs: number, enough = (_answer: string) => false) {
  return new Promise<{ closedAfterMs: number; answer: string }>((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      answer += chunk;
      if (enough(answer)) socket.end();
    });
    socket.on('error', () => {});
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closedAfterMs: performance.now() - started, answer });
    });
  });
}

describe('the HTTP server', () => {
  it('drops a request whose declared body never arrives within seconds', { timeout: 20_000 }, async () => {
    let bodies = 0;
    const app = new Hono().post('/v1/anything', async (c) => {
      await c.req.text();
      bodies++;
      return c.body(null, 204);
    });
    const port = await serve(app);
    const { closedAfterMs, answer } = await rawRequest(
      port,
      'POST /v1/anything HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n',
      15_000,
    );
    expect(closedAfterMs).toBeLessThan(10_500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(bodies).toBe(0);
  });

  it('drops a connection whose headers never end', { timeout: 20_000 }, async () => {
    const port = await serve(new Hono());
    const { closedAfterMs } = await rawRequest(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 15_000);
    expect(closedAfterMs).toBeLessThan(10_500);
  });

  it('does not cut a stream that outlives those timeouts', { timeout: 20_000 }, async () => {
    const short = { headersTimeoutMs: 500, requestTimeoutMs: 500, checkEveryMs: 100 };
    const app = new Hono().get('/v1/stream', (c) =>
      sse(c, async (send, close) => {
        const timer = setTimeout(() => {
          send({ event: 'late', data: '{}' });
          close();
        }, 2_000);
        return () => clearTimeout(timer);
      }),
    );
    const port = await serve(app, short);
    const { closedAfterMs, answer } = await rawRequest(
      port,
      'GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      10_000,
      (sofar) => sofar.includes('event: late'),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('event: late');
    expect(closedAfterMs).toBeGreaterThan(1_900);
  });
});
