import { describe, expect, it, vi } from 'vitest';
import { checkService } from './service-status';

const meta = {
  name: 'Salon',
  version: '0.1.0',
  locales: ['fr', 'en'],
  inviteOnly: true,
  audio: { configured: false },
};

/** A stand-in for SvelteKit's fetch that answers by path. */
function fakeFetch(routes: Record<string, () => Response | Promise<Response>>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    const route = routes[path];
    if (!route) return new Response('Not found', { status: 404 });
    return route();
  }) as typeof fetch;
}

describe('checkService', () => {
  it('reports a healthy service with its public facts', async () => {
    const status = await checkService(
      fakeFetch({
        '/healthz': () => Response.json({ status: 'ok', db: 'ok' }),
        '/v1/meta': () => Response.json(meta),
      }),
    );
    expect(status).toEqual({
      state: 'up',
      meta: { version: '0.1.0', inviteOnly: true, audioConfigured: false },
    });
  });

  it('reports a degraded service when the database is down', async () => {
    const status = await checkService(
      fakeFetch({
        '/healthz': () => Response.json({ status: 'degraded', db: 'down' }, { status: 503 }),
        '/v1/meta': () => Response.json(meta),
      }),
    );
    expect(status.state).toBe('degraded');
  });

  it('still reports an up service when only the facts are missing', async () => {
    const status = await checkService(
      fakeFetch({ '/healthz': () => Response.json({ status: 'ok', db: 'ok' }) }),
    );
    expect(status).toEqual({ state: 'up', meta: null });
  });

  it('reports an unreachable service instead of throwing', async () => {
    const refused = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    await expect(checkService(refused)).resolves.toEqual({ state: 'unreachable' });
  });

  it('treats something other than the API answering (e.g. an HTML 404) as unreachable', async () => {
    await expect(checkService(fakeFetch({}))).resolves.toEqual({ state: 'unreachable' });
  });

  it('reads every answer to its end, so nothing stays open until the timeout', async () => {
    // An answer whose body is never read keeps its request open (pending in the browser, a held
    // connection on the server) until the timeout aborts it, and SvelteKit cannot hand it over to
    // the browser with the page, which then asks again.
    const answers: Response[] = [];
    const signals: AbortSignal[] = [];
    const recording = ((input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.signal) signals.push(init.signal);
      const path = String(input);
      const response = path === '/healthz' ? Response.json({ status: 'ok', db: 'ok' }) : Response.json(meta);
      answers.push(response);
      return Promise.resolve(response);
    }) as typeof fetch;
    // The check's timeout runs on a fake clock: it can be moved past it without waiting.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const started = performance.now();
      await expect(checkService(recording, 80)).resolves.toMatchObject({ state: 'up' });
      expect(performance.now() - started).toBeLessThan(50);
      expect(answers).toHaveLength(2);
      expect(answers.every((a) => a.bodyUsed)).toBe(true);
      // Once answered, nothing is left to cancel: the timeout is gone with the check.
      vi.advanceTimersByTime(150);
      expect(signals.length).toBeGreaterThan(0);
      expect(signals.some((s) => s.aborted)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads a degraded answer too', async () => {
    const answer = Response.json({ status: 'degraded', db: 'down' }, { status: 503 });
    const status = await checkService(
      fakeFetch({ '/healthz': () => answer, '/v1/meta': () => Response.json(meta) }),
    );
    expect(status.state).toBe('degraded');
    expect(answer.bodyUsed).toBe(true);
  });

  it('gives up on an API that does not answer in time', async () => {
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    await expect(checkService(hanging, 20)).resolves.toEqual({ state: 'unreachable' });
  });
});
