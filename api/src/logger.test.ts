import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED, scrub } from './logger';
import { memoryLog } from './testing';

const PHONE_FORMS = ['+33612345678', '33612345678', '0612345678', '06 12 34 56 78', '+33 6 12 34 56 78'];

function capture() {
  const log = memoryLog();
  return { log, logger: createLogger({ level: 'debug', destination: log.destination }) };
}

describe('logger redaction', () => {
  it('censors sensitive keys at any depth', () => {
    const { log, logger } = capture();
    logger.info(
      {
        phone: '+33612345678',
        body: { otp: '482913', code: '482913', ticket: 'tkt_secret' },
        headers: { cookie: 'salon_session=abcdef', authorization: 'Bearer xyz' },
        nested: { deeper: { token: 'sess_abcdef', ip: '203.0.113.7' } },
      },
      'sign-in attempt',
    );
    const text = log.text();
    for (const secret of ['+33612345678', '482913', 'tkt_secret', 'abcdef', 'Bearer xyz', '203.0.113.7']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain(REDACTED);
    expect(log.entries()[0]?.msg).toBe('sign-in attempt');
  });

  it('scrubs phone numbers in every form and IP addresses from free text and errors', () => {
    const { log, logger } = capture();
    for (const form of PHONE_FORMS) logger.warn(`sms provider refused ${form}`);
    logger.error({ err: new Error('connect to 198.51.100.23 failed for 06 12 34 56 78') }, 'boom');
    logger.info({ note: 'client 2001:db8::1 and ::ffff:192.0.2.1 and fe80::1ff:fe23:4567:890a' }, 'ipv6');
    logger.error({ err: new Error('query failed', { cause: new Error('from 203.0.113.99') }) }, 'wrapped');
    const text = log.text();
    for (const form of [
      ...PHONE_FORMS,
      '198.51.100.23',
      '2001:db8::1',
      '192.0.2.1',
      'fe80::1ff',
      '203.0.113.99',
    ]) {
      expect(text).not.toContain(form);
    }
  });

  it('keeps pseudonymous ids, counts and timestamps intact', () => {
    const { log, logger } = capture();
    const id = '54616c86-723f-46e9-a7ac-98a048bd7824';
    logger.info(
      { requestId: id, userId: 'usr_01JC2Y8', removed: 12345678, at: '2026-11-21T12:00:00.000Z' },
      'ok',
    );
    expect(log.entries()[0]).toMatchObject({ requestId: id, userId: 'usr_01JC2Y8', removed: 12345678 });
    expect(scrub('2026-11-21T12:00:00.000Z')).toBe('2026-11-21T12:00:00.000Z');
    expect(scrub('Sat Nov 28 2026 12:03:19 GMT+0000')).toBe('Sat Nov 28 2026 12:03:19 GMT+0000');
  });
});
