import { Writable } from 'node:stream';
import { fixedClock } from '@salon/db';
import { createTestDatabase, type TestDatabase } from '@salon/db/testing';
import { loadDataMap } from '@salon/policies';
import { createApp } from '../app';
import { crypto } from '../crypto';
import { type Config, loadConfig, type Secrets } from '../env';
import { createLiveKit } from '../livekit/livekit';
import { createLogger } from '../logger';
import type { SmsMessage, SmsProvider } from '../modules/phone/sms';

/** Every log line a test app wrote, parsed, plus the raw text to search for leaks. */
export function memoryLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return {
    destination,
    lines,
    text: () => lines.join('\n'),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export async function testSecrets(): Promise<Secrets> {
  const c = await crypto();
  return {
    phoneHashKey: c.randomBytes(32),
    phoneHashKeyVersion: 1,
    recordingKek: c.randomBytes(32),
    recordingKekId: 'test',
    auditSigningSeed: c.randomBytes(32),
    livekitApiKey: 'testkey',
    livekitApiSecret: c.toBase64(c.randomBytes(33)),
    smsApiKey: undefined,
  };
}

/** Records what would have been texted; `codeFor` reads the code back like a person reading their SMS. */
export function capturingSms(): SmsProvider & {
  sent: SmsMessage[];
  codeFor(challengeId: string): string;
  fail: boolean;
} {
  const sent: SmsMessage[] = [];
  return {
    name: 'capture',
    sent,
    fail: false,
    async send(message) {
      if (this.fail) throw new Error('carrier down');
      sent.push(message);
    },
    codeFor(challengeId) {
      const code = sent.findLast((m) => m.challengeId === challengeId)?.body.match(/\b\d{6}\b/)?.[0];
      if (!code) throw new Error(`no SMS for ${challengeId}`);
      return code;
    },
  };
}

/** The data map, read once for all the apps of a test file (as a server reads it once at start). */
const dataMap = loadDataMap();

/** A full app on a fresh database (see @salon/db/testing), with an injected clock and captured logs. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { secrets?: Secrets; sms?: SmsProvider } = {},
) {
  const database: TestDatabase = await createTestDatabase();
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: '/nonexistent/salon-test',
    TRUST_PROXY: 'true',
    ...env,
  });
  const log = memoryLog();
  const logger = createLogger({ level: 'info', destination: log.destination });
  const clock = fixedClock('2026-11-21T12:00:00Z');
  const secrets = options.secrets ?? (await testSecrets());
  const captured = capturingSms();
  const sms = options.sms ?? captured;
  const livekit = createLiveKit({ config, secrets, logger });
  const deps = { database, config, secrets, logger, clock, sms, livekit, crypto: await crypto(), dataMap };
  return { ...deps, sms: captured, app: createApp(deps), log, close: () => database.drop() };
}
