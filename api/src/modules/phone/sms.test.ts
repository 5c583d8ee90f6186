import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../app';
import { loadConfig } from '../../env';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';
import { brevoProvider, outboxProvider } from './sms';

/** A local stand-in for Brevo's endpoint that records what it was sent. */
async function fakeBrevo(status: number) {
  const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(status < 300 ? '{"messageId":1511882900176220}' : '{"code":"unauthorized"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/transactionalSMS/send`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('SMS providers', () => {
  it('sends through Brevo’s transactional SMS API with the API key header', async () => {
    const brevo = await fakeBrevo(201);
    close = brevo.close;
    const provider = brevoProvider({ url: brevo.url, apiKey: 'xkeysib-test', sender: 'Salon' });
    await provider.send({ to: '+33612345678', body: 'Salon : votre code est 123456.', challengeId: 'c1' });
    expect(brevo.received).toEqual([
      {
        headers: expect.objectContaining({ 'api-key': 'xkeysib-test', 'content-type': 'application/json' }),
        body: {
          sender: 'Salon',
          recipient: '33612345678',
          content: 'Salon : votre code est 123456.',
          type: 'transactional',
        },
      },
    ]);
  });

  it('reports a refusal or an unreachable provider as sms.unavailable', async () => {
    const brevo = await fakeBrevo(401);
    close = brevo.close;
    const refused = brevoProvider({ url: brevo.url, apiKey: 'bad', sender: 'Salon' });
    await expect(refused.send({ to: '+33612345678', body: 'x', challengeId: 'c' })).rejects.toMatchObject({
      code: 'sms.unavailable',
    });
    const unreachable = brevoProvider({
      url: 'http://127.0.0.1:9/none',
      apiKey: 'k',
      sender: 'Salon',
      timeoutMs: 500,
    });
    await expect(unreachable.send({ to: '+33612345678', body: 'x', challengeId: 'c' })).rejects.toMatchObject(
      { code: 'sms.unavailable' },
    );
  });

  it('appends to a private outbox file in development', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'salon-outbox-')), 'nested', 'sms-outbox.jsonl');
    const outbox = outboxProvider(file, () => new Date('2026-11-21T12:00:00Z'));
    await outbox.send({ to: '+33612345678', body: 'code 123456', challengeId: 'c1' });
    await outbox.send({ to: '+33612345679', body: 'code 654321', challengeId: 'c2' });
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { to: '+33612345678', body: 'code 123456', challengeId: 'c1', at: '2026-11-21T12:00:00.000Z' },
      { to: '+33612345679', body: 'code 654321', challengeId: 'c2', at: '2026-11-21T12:00:00.000Z' },
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('development SMS route', () => {
  it('shows the code of a phone check only with the outbox provider, never in production', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salon-dev-sms-'));
    const sms = outboxProvider(join(dir, 'sms-outbox.jsonl'), () => new Date());
    // One fresh database for both apps: migrating a second one is most of this test's time on a
    // loaded machine, and the route's presence depends on the configuration only.
    const dev = await createTestApp({ NODE_ENV: 'development', DATA_DIR: dir }, { sms });
    try {
      const client = testClient(dev);
      const started = await client.post('/v1/auth/otp/start', { phone: '0612345678' });
      const shown = await client.get(`/v1/dev/sms/${started.body.challengeId}`);
      expect(shown.body).toEqual({ code: expect.stringMatching(/^\d{6}$/) });
      const prod = createApp({
        ...dev,
        sms,
        config: loadConfig({
          NODE_ENV: 'production',
          DATA_DIR: '/nonexistent/salon-test',
          TRUST_PROXY: 'true',
          SMS_PROVIDER: 'brevo',
          OPERATOR_NAME: 'Association Salon',
          OPERATOR_CONTACT: 'privacy@salon.example',
        }),
      });
      expect((await prod.request(`/v1/dev/sms/${started.body.challengeId}`)).status).toBe(404);
    } finally {
      await dev.close();
    }
  }, 30_000);
});
