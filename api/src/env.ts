import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Crypto } from './crypto';

/**
 * The only module that reads process.env. It validates everything up front so that a bad
 * deployment fails at start with a readable list, not at the first request that needs a value.
 */
/** EU and EEA members, Switzerland, the United Kingdom and Monaco: where Salon is offered. */
const EUROPEAN_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CH',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GB',
  'GR',
  'HR',
  'HU',
  'IE',
  'IS',
  'IT',
  'LI',
  'LT',
  'LU',
  'LV',
  'MC',
  'MT',
  'NL',
  'NO',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
];

const flag = z.stringbool();
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LIVEKIT_URL: z.url({ protocol: /^(wss?|https?)$/ }).optional(),
  LIVEKIT_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  LIVEKIT_LOCAL: flag.default(true),
  LIVEKIT_LOCAL_PORT: z.coerce.number().int().min(1024).max(65533).default(7880),
  LIVEKIT_SERVER_BIN: z.string().min(1).optional(),
  SMS_PROVIDER: z.enum(['outbox', 'brevo']).default('outbox'),
  SMS_OUTBOX: z.string().min(1).optional(),
  SMS_SENDER: z
    .string()
    .regex(/^[A-Za-z0-9 ]{3,11}$/)
    .default('Salon'),
  SMS_BREVO_URL: z.url({ protocol: /^https?$/ }).default('https://api.brevo.com/v3/transactionalSMS/send'),
  OTP_ALLOWED_COUNTRIES: z
    .string()
    .regex(/^[A-Z]{2}(,[A-Z]{2})*$/)
    .default(EUROPEAN_COUNTRIES.join(',')),
  OTP_RESEND_COOLDOWN_SECONDS: z.coerce.number().int().min(30).max(3600).default(30),
  OTP_MAX_PER_PHONE_PER_HOUR: z.coerce.number().int().min(1).max(100).default(5),
  OTP_MAX_PER_IP_PREFIX_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  OTP_MAX_PER_COUNTRY_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  INVITES_PER_MEMBER: z.coerce.number().int().min(0).max(1000).default(2),
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  SESSION_ABSOLUTE_DAYS: z.coerce.number().int().min(1).max(730).default(90),
  RECOVERY_COOLDOWN_HOURS: z.coerce.number().min(0).max(720).default(24),
  OPERATOR_NAME: z.string().min(2).max(200).optional(),
  OPERATOR_CONTACT: z.string().min(3).max(300).optional(),
  DPO_CONTACT: z.string().min(3).max(300).optional(),
  ROOM_CAPACITY: z.coerce.number().int().min(2).max(100_000).default(5000),
  ROOM_EMPTY_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: flag.default(false),
  SERVE_WEB: flag.default(true),
  RUN_JOBS: flag.default(true),
  WEB_BUILD_DIR: z.string().min(1).optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
  SECRETS_FILE: z.string().min(1).optional(),
});

const SECRET_NAMES = [
  'PHONE_HASH_KEY',
  'PHONE_HASH_KEY_VERSION',
  'RECORDING_KEK',
  'RECORDING_KEK_ID',
  'AUDIT_SIGNING_KEY',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'SMS_API_KEY',
] as const;
type SecretName = (typeof SECRET_NAMES)[number];
type RawSecrets = Partial<Record<SecretName, string>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: URL;
  databaseUrl: string | undefined;
  dataDir: string;
  livekit: {
    url: string | undefined;
    apiUrl: string | undefined;
    /**
     * The pinned livekit-server the app runs itself on loopback when no LIVEKIT_URL is set
     * (development only; see livekit/local-server.ts). Null when that is off.
     */
    local: LocalLiveKitConfig | null;
  };
  sms: { provider: 'outbox' | 'brevo'; outboxFile: string; sender: string; brevoUrl: string };
  otp: {
    allowedCountries: string[];
    resendCooldownSeconds: number;
    maxPerPhonePerHour: number;
    maxPerIpPrefixPerHour: number;
    maxPerCountryPerHour: number;
  };
  invites: { perMember: number; ttlDays: number };
  sessions: { idleDays: number; absoluteDays: number };
  recoveryCooldownHours: number;
  rooms: { capacity: number; emptyTimeoutMinutes: number };
  /** The controller named in the privacy notice (GDPR art. 13), and its DPO if it has one. */
  operator: { name: string; contact: string | null; dpoContact: string | null };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  trustProxy: boolean;
  serveWeb: boolean;
  runJobs: boolean;
  webBuildDir: string;
  bodyLimitBytes: number;
  secretsFile: string | undefined;
}

export interface LocalLiveKitConfig {
  /** Signalling port; ICE/TCP uses the next one and UDP media the one after. */
  port: number;
  /** Where to look for the binary, in order: LIVEKIT_SERVER_BIN alone, else the cache then PATH. */
  candidates: string[];
  /** Where `npm run livekit:install` builds the pinned server (outside the clone). */
  cacheFile: string;
}

export interface Secrets {
  phoneHashKey: Uint8Array;
  phoneHashKeyVersion: number;
  recordingKek: Uint8Array;
  recordingKekId: string;
  auditSigningSeed: Uint8Array;
  livekitApiKey: string;
  livekitApiSecret: string;
  /** The SMS provider's API key; only required when SMS_PROVIDER is not `outbox`. */
  smsApiKey: string | undefined;
}

const defaultWebBuild = fileURLToPath(new URL('../../web/build', import.meta.url));

export function loadConfig(
  source: NodeJS.ProcessEnv = process.env,
  options: {
    /**
     * The admin CLI: without PUBLIC_URL or PORT of its own, links use the public URL the server
     * last started with on this DATA_DIR (recorded by `recordPublicUrl`), not localhost:3000.
     */
    publicUrlOfServer?: boolean;
  } = {},
): Config {
  const present = stripEmpty(source);
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && (!e.OPERATOR_NAME || !e.OPERATOR_CONTACT)) {
    // The privacy notice must say who the controller is and how to reach them (GDPR art. 13).
    throw new ConfigError([
      'OPERATOR_NAME and OPERATOR_CONTACT are required in production (the privacy notice names them)',
    ]);
  }
  if (e.NODE_ENV === 'production' && e.SMS_PROVIDER === 'outbox') {
    // The outbox writes phone numbers to a local file: acceptable on a laptop, never in production.
    throw new ConfigError(['SMS_PROVIDER=outbox is for development; set SMS_PROVIDER=brevo in production']);
  }
  const dataDir = resolve(e.DATA_DIR);
  const serverUrl =
    options.publicUrlOfServer && present.PUBLIC_URL === undefined && present.PORT === undefined
      ? recordedPublicUrl(dataDir)
      : undefined;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: new URL(e.PUBLIC_URL ?? serverUrl ?? `http://localhost:${e.PORT}`),
    databaseUrl: e.DATABASE_URL,
    dataDir,
    livekit: {
      url: e.LIVEKIT_URL,
      apiUrl: e.LIVEKIT_API_URL ?? httpUrlOf(e.LIVEKIT_URL),
      local:
        e.LIVEKIT_URL || !e.LIVEKIT_LOCAL || e.NODE_ENV === 'production'
          ? null
          : localLiveKit(source, e.LIVEKIT_LOCAL_PORT, e.LIVEKIT_SERVER_BIN),
    },
    sms: {
      provider: e.SMS_PROVIDER,
      outboxFile: resolve(e.SMS_OUTBOX ?? join(dataDir, 'sms-outbox.jsonl')),
      sender: e.SMS_SENDER,
      brevoUrl: e.SMS_BREVO_URL,
    },
    otp: {
      allowedCountries: e.OTP_ALLOWED_COUNTRIES.split(','),
      resendCooldownSeconds: e.OTP_RESEND_COOLDOWN_SECONDS,
      maxPerPhonePerHour: e.OTP_MAX_PER_PHONE_PER_HOUR,
      maxPerIpPrefixPerHour: e.OTP_MAX_PER_IP_PREFIX_PER_HOUR,
      maxPerCountryPerHour: e.OTP_MAX_PER_COUNTRY_PER_HOUR,
    },
    invites: { perMember: e.INVITES_PER_MEMBER, ttlDays: e.INVITE_TTL_DAYS },
    sessions: { idleDays: e.SESSION_IDLE_DAYS, absoluteDays: e.SESSION_ABSOLUTE_DAYS },
    recoveryCooldownHours: e.RECOVERY_COOLDOWN_HOURS,
    rooms: { capacity: e.ROOM_CAPACITY, emptyTimeoutMinutes: e.ROOM_EMPTY_TIMEOUT_MINUTES },
    operator: {
      name: e.OPERATOR_NAME ?? 'Salon',
      contact: e.OPERATOR_CONTACT ?? null,
      dpoContact: e.DPO_CONTACT ?? null,
    },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    serveWeb: e.SERVE_WEB,
    runJobs: e.RUN_JOBS,
    webBuildDir: resolve(e.WEB_BUILD_DIR ?? defaultWebBuild),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    secretsFile: e.SECRETS_FILE ? resolve(e.SECRETS_FILE) : undefined,
  };
}

/** The server's note of the public URL it serves, in DATA_DIR, for the admin CLI's links. */
function publicUrlFile(dataDir: string) {
  return join(dataDir, 'server.json');
}

/** Called by the server at start: the CLI's links will use the URL the server really serves. */
export function recordPublicUrl(config: Config) {
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(
    publicUrlFile(config.dataDir),
    `${JSON.stringify({ publicUrl: config.publicUrl.href }, null, 2)}\n`,
  );
}

function recordedPublicUrl(dataDir: string): string | undefined {
  try {
    const { publicUrl } = JSON.parse(readFileSync(publicUrlFile(dataDir), 'utf8')) as { publicUrl?: unknown };
    return typeof publicUrl === 'string' && /^https?:\/\//.test(publicUrl) && URL.canParse(publicUrl)
      ? publicUrl
      : undefined;
  } catch {
    return undefined; // never started here, or an unreadable note: the default applies
  }
}

/**
 * Secrets come from the environment, then from SECRETS_FILE (e.g. a Docker secret).
 * In development, whatever is still missing is generated once into DATA_DIR/secrets.json (0600);
 * production refuses to start instead, because generated keys would silently change identities.
 */
export function loadSecrets(
  config: Config,
  crypto: Crypto,
  source: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = console.warn,
): Secrets {
  let raw: RawSecrets = pickSecrets(source);
  if (config.secretsFile) raw = { ...readSecretsFile(config.secretsFile), ...raw };
  const missing = SECRET_NAMES.filter((n) => !raw[n] && !optional(n, config));
  if (missing.length > 0) {
    if (config.env === 'production') {
      throw new ConfigError(
        missing.map((n) => `${n} is required in production (environment or SECRETS_FILE)`),
      );
    }
    const devFile = join(config.dataDir, 'secrets.json');
    const stored = existsSync(devFile) ? readSecretsFile(devFile) : {};
    const generated = generateMissing({ ...stored }, crypto);
    if (Object.keys(generated).length > Object.keys(stored).length) {
      mkdirSync(dirname(devFile), { recursive: true });
      writeFileSync(devFile, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600 });
      chmodSync(devFile, 0o600);
      warn(`Development secrets generated in ${devFile} — never use them in production.`);
    }
    raw = { ...generated, ...raw };
  }
  return parseSecrets(raw, crypto, config);
}

function parseSecrets(raw: RawSecrets, crypto: Crypto, config: Config): Secrets {
  const problems: string[] = [];
  const bytes = (name: SecretName, min: number, max = min) => {
    try {
      const value = crypto.fromBase64(raw[name] ?? '');
      if (value.length >= min && value.length <= max) return value;
    } catch {
      // reported below
    }
    problems.push(`${name} must be base64 of ${min === max ? min : `${min} to ${max}`} bytes`);
    return new Uint8Array();
  };
  const secrets: Secrets = {
    phoneHashKey: bytes('PHONE_HASH_KEY', 32, 64),
    phoneHashKeyVersion: Number(raw.PHONE_HASH_KEY_VERSION ?? 1),
    recordingKek: bytes('RECORDING_KEK', 32),
    recordingKekId: raw.RECORDING_KEK_ID ?? 'k1',
    auditSigningSeed: bytes('AUDIT_SIGNING_KEY', 32),
    livekitApiKey: raw.LIVEKIT_API_KEY ?? '',
    livekitApiSecret: raw.LIVEKIT_API_SECRET ?? '',
    smsApiKey: raw.SMS_API_KEY,
  };
  if (!Number.isInteger(secrets.phoneHashKeyVersion) || secrets.phoneHashKeyVersion < 1) {
    problems.push('PHONE_HASH_KEY_VERSION must be a positive integer');
  }
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(secrets.recordingKekId))
    problems.push('RECORDING_KEK_ID must be a short id');
  if (secrets.livekitApiKey.length < 3) problems.push('LIVEKIT_API_KEY is required');
  if (config.sms.provider !== 'outbox' && !secrets.smsApiKey)
    problems.push('SMS_API_KEY is required for the SMS provider');
  if (secrets.livekitApiSecret.length < 32)
    problems.push('LIVEKIT_API_SECRET must be at least 32 characters');
  if (problems.length > 0) throw new ConfigError(problems);
  return secrets;
}

function generateMissing(stored: RawSecrets, crypto: Crypto): RawSecrets {
  const out = { ...stored };
  const key = (n: number) => crypto.toBase64(crypto.randomBytes(n));
  out.PHONE_HASH_KEY ??= key(32);
  out.RECORDING_KEK ??= key(32);
  out.AUDIT_SIGNING_KEY ??= key(32);
  out.LIVEKIT_API_KEY ??= 'devkey';
  out.LIVEKIT_API_SECRET ??= key(33);
  return out;
}

function optional(name: SecretName, config: Config) {
  if (name === 'SMS_API_KEY') return config.sms.provider === 'outbox';
  return name === 'PHONE_HASH_KEY_VERSION' || name === 'RECORDING_KEK_ID';
}

function pickSecrets(source: NodeJS.ProcessEnv): RawSecrets {
  const out: RawSecrets = {};
  for (const name of SECRET_NAMES) {
    const value = source[name];
    if (value) out[name] = value;
  }
  return out;
}

function readSecretsFile(file: string): RawSecrets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`secrets file ${file} cannot be read as JSON (${(error as Error).message})`]);
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new ConfigError([`secrets file ${file} is not an object`]);
  return pickSecrets(parsed as NodeJS.ProcessEnv);
}

function stripEmpty(source: NodeJS.ProcessEnv) {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
}

/** The pinned livekit-server release; later tags carry `replace` directives `go install` refuses. */
export const LIVEKIT_SERVER_VERSION = '1.13.5';

function localLiveKit(source: NodeJS.ProcessEnv, port: number, explicitBin: string | undefined) {
  const cacheHome = source.XDG_CACHE_HOME || join(source.HOME || homedir(), '.cache');
  const cacheFile = join(cacheHome, 'salon', `livekit-server-v${LIVEKIT_SERVER_VERSION}`);
  const onPath = (source.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'livekit-server'));
  return {
    port,
    candidates: explicitBin ? [resolve(explicitBin)] : [cacheFile, ...onPath],
    cacheFile,
  };
}

function httpUrlOf(livekitUrl: string | undefined) {
  return livekitUrl?.replace(/^ws/, 'http');
}
