import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Crypto, crypto } from './crypto';
import { ConfigError, loadConfig, loadSecrets } from './env';

let c: Crypto;
beforeAll(async () => {
  c = await crypto();
});

const OPERATOR = { OPERATOR_NAME: 'Association Salon', OPERATOR_CONTACT: 'privacy@salon.example' };
const dir = () => mkdtempSync(join(tmpdir(), 'salon-env-'));
const quiet = () => {};

describe('configuration', () => {
  it('has embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, serveWeb: true, runJobs: true });
    expect(config.publicUrl.origin).toBe('http://localhost:3000');
  });

  it('fails fast with every problem listed', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SERVE_WEB: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('DATABASE_URL');
      expect(problems).toContain('SERVE_WEB');
    }
  });
});

describe('secrets', () => {
  it('refuses to start in production without them, naming what is missing', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      SMS_PROVIDER: 'brevo',
      DATA_DIR: dir(),
      ...OPERATOR,
    });
    expect(() => loadSecrets(config, c, {}, quiet)).toThrow(/PHONE_HASH_KEY is required in production/);
    expect(() => loadSecrets(config, c, {}, quiet)).toThrow(/SMS_API_KEY is required in production/);
  });

  it('refuses the development SMS outbox in production, since it writes phone numbers to disk', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...OPERATOR })).toThrow(
      /SMS_PROVIDER=outbox is for development/,
    );
  });

  it('requires the operator named in the privacy notice in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SMS_PROVIDER: 'brevo' })).toThrow(
      /OPERATOR_NAME and OPERATOR_CONTACT/,
    );
    expect(loadConfig({ ...OPERATOR }).operator).toEqual({
      name: 'Association Salon',
      contact: 'privacy@salon.example',
      dpoContact: null,
    });
  });

  it('generates development secrets once, mode 0600, and reuses them', () => {
    const dataDir = dir();
    const config = loadConfig({ DATA_DIR: dataDir });
    const warnings: string[] = [];
    const first = loadSecrets(config, c, {}, (m) => warnings.push(m));
    const file = join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    const second = loadSecrets(config, c, {}, (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
    expect(second.phoneHashKey).toEqual(first.phoneHashKey);
    expect(first.phoneHashKey).toHaveLength(32);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toContain('AUDIT_SIGNING_KEY');
  });

  it('takes secrets from the environment before a secrets file, and checks their size', () => {
    const dataDir = dir();
    const file = join(dataDir, 'secrets.json');
    const key = (n: number) => c.toBase64(c.randomBytes(n));
    const fromFile = {
      PHONE_HASH_KEY: key(32),
      RECORDING_KEK: key(32),
      AUDIT_SIGNING_KEY: key(32),
      LIVEKIT_API_KEY: 'APIfile',
      LIVEKIT_API_SECRET: key(33),
      SMS_API_KEY: 'xkeysib-file',
    };
    writeFileSync(file, JSON.stringify(fromFile));
    const config = loadConfig({
      NODE_ENV: 'production',
      ...OPERATOR,
      SMS_PROVIDER: 'brevo',
      SECRETS_FILE: file,
      DATA_DIR: dataDir,
    });
    const secrets = loadSecrets(config, c, { LIVEKIT_API_KEY: 'APIenv' }, quiet);
    expect(secrets.livekitApiKey).toBe('APIenv');
    expect(c.toBase64(secrets.phoneHashKey)).toBe(fromFile.PHONE_HASH_KEY);
    expect(() => loadSecrets(config, c, { RECORDING_KEK: key(16) }, quiet)).toThrow(
      /RECORDING_KEK must be base64 of 32/,
    );
  });
});
