import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';
import { normalizePhone } from './phone';

const EU = ['FR', 'BE', 'DE'];

describe('phone normalisation', () => {
  it('accepts mobile numbers in any usual form and returns E.164', () => {
    for (const typed of ['06 12 34 56 78', '+33 6 12 34 56 78', '0033612345678', '+33612345678']) {
      expect(normalizePhone(typed, 'FR', EU)).toEqual({ e164: '+33612345678', country: 'FR' });
    }
    expect(normalizePhone('0470 12 34 56', 'BE', EU).e164).toBe('+32470123456');
  });

  it('gives distinct errors for invalid, landline and unsupported numbers', () => {
    expect(() => normalizePhone('12', 'FR', EU)).toThrow(expect.objectContaining({ code: 'phone.invalid' }));
    expect(() => normalizePhone('not a number', 'FR', EU)).toThrow(
      expect.objectContaining({ code: 'phone.invalid' }),
    );
    expect(() => normalizePhone('01 42 68 53 00', 'FR', EU)).toThrow(
      expect.objectContaining({ code: 'phone.not_mobile' }),
    );
    expect(() => normalizePhone('+44 7400 123456', 'FR', EU)).toThrow(
      expect.objectContaining({ code: 'phone.unsupported_country' }),
    );
  });
});

describe('phone check', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeEach(async () => {
    t = await createTestApp({ OTP_MAX_PER_IP_PREFIX_PER_HOUR: '8', OTP_MAX_PER_COUNTRY_PER_HOUR: '12' });
  });
  afterEach(async () => {
    await t.close();
  });

  it('sends a 6-digit code in the chosen language and accepts it once', async () => {
    const client = testClient(t);
    const started = await client.post('/v1/auth/otp/start', { phone: '06 12 34 56 78', locale: 'en' });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ challengeId: expect.any(String), retryAfterSeconds: 30 });
    expect(t.sms.sent[0]?.to).toBe('+33612345678');
    expect(t.sms.sent[0]?.body).toMatch(/^Salon: your code is \d{6}\./);
    const code = t.sms.codeFor(started.body.challengeId);
    const verified = await client.post('/v1/auth/otp/verify', {
      challengeId: started.body.challengeId,
      code,
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ ticket: expect.any(String), accountExists: false });
    const again = await client.post('/v1/auth/otp/verify', { challengeId: started.body.challengeId, code });
    expect(again.body.error.code).toBe('otp.expired');
  });

  it('rejects wrong codes, then locks the challenge after five tries, even for the right code', async () => {
    const client = testClient(t);
    const { body } = await client.post('/v1/auth/otp/start', { phone: '0612345678' });
    const code = t.sms.codeFor(body.challengeId);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let remaining = 4; remaining >= 1; remaining--) {
      const res = await client.post('/v1/auth/otp/verify', { challengeId: body.challengeId, code: wrong });
      expect(res.body.error).toMatchObject({
        code: 'otp.wrong_code',
        details: [{ remainingAttempts: remaining }],
      });
    }
    expect(
      (await client.post('/v1/auth/otp/verify', { challengeId: body.challengeId, code: wrong })).body.error
        .code,
    ).toBe('otp.locked');
    const right = await client.post('/v1/auth/otp/verify', { challengeId: body.challengeId, code });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('otp.locked');
  });

  it('expires codes after ten minutes', async () => {
    const client = testClient(t);
    const { body } = await client.post('/v1/auth/otp/start', { phone: '0612345678' });
    t.clock.advance(10 * 60_000 + 1);
    const res = await client.post('/v1/auth/otp/verify', {
      challengeId: body.challengeId,
      code: t.sms.codeFor(body.challengeId),
    });
    expect(res.body.error.code).toBe('otp.expired');
  });

  it('enforces a resend cool-down that doubles, then an hourly cap per number', async () => {
    const client = testClient(t);
    const start = () => client.post('/v1/auth/otp/start', { phone: '0612345678' });
    expect((await start()).body.retryAfterSeconds).toBe(30);
    const early = await start();
    expect(early.status).toBe(429);
    expect(early.body.error.code).toBe('otp.cooldown');
    expect(early.headers.get('retry-after')).toBe('30');
    t.clock.advance(30_000);
    expect((await start()).body.retryAfterSeconds).toBe(60);
    t.clock.advance(30_000);
    expect((await start()).body.error.code).toBe('otp.cooldown');
    t.clock.advance(30_000);
    expect((await start()).status).toBe(202); // third
    t.clock.advance(120_000);
    expect((await start()).status).toBe(202); // fourth
    t.clock.advance(240_000);
    expect((await start()).status).toBe(202); // fifth
    t.clock.advance(480_000);
    const capped = await start();
    expect(capped.body.error.code).toBe('otp.rate_limited');
    expect(t.sms.sent).toHaveLength(5);
  });

  it('holds the cool-down and the cap per number when requests arrive together', async () => {
    // 20 networks at once for one number: one SMS, the others wait for the cool-down.
    const burst = () =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          testClient(t, { ip: `203.0.${i}.7` }).post('/v1/auth/otp/start', { phone: '0612345678' }),
        ),
      );
    let answers = await burst();
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.status !== 202).map((a) => a.body.error.code))).toEqual(
      new Set(['otp.cooldown']),
    );
    expect(t.sms.sent).toHaveLength(1);
    // Each time the cool-down is over, one more burst sends one more SMS, up to the cap (5 an hour).
    for (const wait of [30, 60, 120, 240, 480]) {
      t.clock.advance(wait * 1000);
      answers = await burst();
      expect(answers.filter((a) => a.status === 202).length).toBeLessThanOrEqual(1);
    }
    expect(t.sms.sent).toHaveLength(5);
    expect(answers.every((a) => a.body.error?.code === 'otp.rate_limited')).toBe(true);
  });

  it('holds the cap per network when requests arrive together', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        testClient(t, { ip: `198.51.100.${i}` }).post('/v1/auth/otp/start', {
          phone: `06123456${String(i).padStart(2, '0')}`,
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(8);
    expect(t.sms.sent).toHaveLength(8);
  });

  it('caps sends per network prefix and per country', async () => {
    const sameNetwork = (n: number) => testClient(t, { ip: `198.51.100.${n}` });
    for (let i = 0; i < 8; i++) {
      const res = await sameNetwork(i).post('/v1/auth/otp/start', {
        phone: `06123456${String(i).padStart(2, '0')}`,
      });
      expect(res.status).toBe(202);
    }
    const blocked = await sameNetwork(99).post('/v1/auth/otp/start', { phone: '0612345699' });
    expect(blocked.body.error.code).toBe('otp.rate_limited');
    // Another network still gets through until the country cap (12 per hour here) is reached.
    for (let i = 0; i < 4; i++) {
      const res = await testClient(t, { ip: '192.0.2.1' }).post('/v1/auth/otp/start', {
        phone: `07812345${i}0`,
      });
      expect(res.status).toBe(202);
    }
    const country = await testClient(t, { ip: '192.0.2.1' }).post('/v1/auth/otp/start', {
      phone: '0781234599',
    });
    expect(country.body.error.code).toBe('otp.rate_limited');
    // A German number is counted separately.
    const german = await testClient(t, { ip: '192.0.2.1' }).post('/v1/auth/otp/start', {
      phone: '+49 151 23456789',
    });
    expect(german.status).toBe(202);
  });

  it('answers the same way whether or not an account exists', async () => {
    const member = testClient(t);
    await member.signUp({ phone: '0611111111', username: 'alice', displayName: 'Alice Martin' });
    // A stranger who also asked for a code once, so both numbers are at the same back-off step.
    await testClient(t, { ip: '192.0.2.49' }).verifyPhone('0622222222');
    t.clock.advance(60_000);
    const forMember = await testClient(t, { ip: '192.0.2.50' }).post('/v1/auth/otp/start', {
      phone: '0611111111',
    });
    const forStranger = await testClient(t, { ip: '192.0.2.51' }).post('/v1/auth/otp/start', {
      phone: '0622222222',
    });
    expect(forMember.status).toBe(forStranger.status);
    expect(Object.keys(forMember.body)).toEqual(Object.keys(forStranger.body));
    expect(forMember.body.retryAfterSeconds).toBe(forStranger.body.retryAfterSeconds);
  });

  it('reports an SMS provider failure without leaving a usable challenge', async () => {
    t.sms.fail = true;
    const res = await testClient(t).post('/v1/auth/otp/start', { phone: '0612345678' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('sms.unavailable');
    expect(t.log.text()).not.toContain('612345678');
  });

  it('validates the body and the number', async () => {
    const client = testClient(t);
    expect((await client.post('/v1/auth/otp/start', { phone: '01 42 68 53 00' })).body.error.code).toBe(
      'phone.not_mobile',
    );
    expect((await client.post('/v1/auth/otp/start', { phone: '+1 201 555 0123' })).body.error.code).toBe(
      'phone.unsupported_country',
    );
    expect(
      (await client.post('/v1/auth/otp/start', { phone: '0612345678', contacts: [] })).body.error.code,
    ).toBe('request.invalid');
    expect((await client.post('/v1/auth/otp/verify', { challengeId: 'x', code: '12' })).body.error.code).toBe(
      'request.invalid',
    );
  });
});
