import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from './env';
import type { AppEnv } from './http/app-env';
import { installErrorHandling, installMiddleware } from './http/middleware';
import { validate } from './http/validate';
import { createLogger } from './logger';
import { createTestApp, memoryLog } from './testing';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('health and meta', () => {
  it('reports the database as up', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('answers 503 when the database does not', async () => {
    const { createApp } = await import('./app');
    const down = createApp({ ...t, database: { ...t.database, ping: async () => false } });
    const res = await down.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'degraded', db: 'down' });
  });

  it('answers 503 within about a second when the database never answers', async () => {
    const { createApp } = await import('./app');
    const hung = createApp({ ...t, database: { ...t.database, ping: () => new Promise<boolean>(() => {}) } });
    const started = performance.now();
    const res = await hung.request('/healthz');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toEqual({ status: 'degraded', db: 'down' });
  });

  it('answers at once when the database is up', async () => {
    const started = performance.now();
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('publishes public facts', async () => {
    const res = await t.app.request('/v1/meta');
    expect(await res.json()).toMatchObject({ name: 'Salon', locales: ['fr', 'en'], inviteOnly: true });
  });

  it('publishes an OpenAPI document generated from the routes', async () => {
    const res = await t.app.request('/v1/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/v1/meta']));
  });
});

describe('errors, request ids and headers', () => {
  it('answers unknown routes with the error envelope and the request id', async () => {
    const res = await t.app.request('/v1/does-not-exist');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string }; requestId: string };
    expect(body.error).toEqual({ code: 'route.not_found', message: expect.any(String), details: [] });
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('sets strict security headers, without HSTS on plain http', async () => {
    const res = await t.app.request('/healthz');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS when the public URL is https', async () => {
    const app = probeApp({ PUBLIC_URL: 'https://salon.example' }).app;
    const res = await app.request('/probe', { method: 'POST', body: '{}' });
    expect(res.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('rejects invalid bodies with one detail per problem', async () => {
    const { app } = probeApp();
    const res = await app.request('/v1/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: '', extra: 1 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('request.invalid');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['', 'topic']);
  });

  it('rejects malformed JSON', async () => {
    const { app } = probeApp();
    const res = await app.request('/v1/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"topic":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request.malformed');
  });

  it('rejects bodies over the limit with 413', async () => {
    const { app } = probeApp({ BODY_LIMIT_BYTES: '1024' });
    const res = await app.request('/v1/probe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ topic: 'x'.repeat(5000) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request.too_large');
  });

  it('hides internal errors but logs them under the request id', async () => {
    const { app, log } = probeApp();
    const res = await app.request('/v1/boom');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string }; requestId: string };
    expect(body.error.code).toBe('internal');
    expect(JSON.stringify(body)).not.toContain('relation');
    const logged = log.entries().find((e) => e.msg === 'unhandled error');
    expect(logged?.requestId).toBe(body.requestId);
  });
});

/** A small app with the real middleware and error handling, plus routes that exercise them. */
function probeApp(env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const log = memoryLog();
  const logger = createLogger({ level: 'info', destination: log.destination });
  const app = new Hono<AppEnv>();
  installMiddleware(app, config, logger);
  installErrorHandling(app, logger);
  app.post('/v1/probe', validate('json', z.strictObject({ topic: z.string().min(1) })), (c) => c.json({}));
  app.post('/probe', (c) => c.json({}));
  app.get('/v1/boom', () => {
    throw new Error('relation "users" does not exist');
  });
  return { app, log };
}
