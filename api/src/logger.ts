import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Logs carry pseudonymous ids only (DESIGN §1.7). Two layers keep personal data out:
 * keys that name sensitive things are censored wherever they are nested, and strings are
 * scrubbed of anything shaped like a phone number or an IP address, in case one slips into
 * a message or an error text.
 */
const SENSITIVE_KEY =
  /^(phone|phonenumber|phone_number|e164|msisdn|to|number|code|otp|otpcode|ticket|token|accesstoken|refreshtoken|sessiontoken|session|cookie|cookies|set-cookie|authorization|password|secret|ip|ipaddress|ip_address|remoteaddress|x-forwarded-for|x-real-ip|response|credential|attestation|assertion|publickey|public_key)$/i;
// Bounded by non-word characters so ids (UUIDs, hashes) are not mistaken for numbers.
/**
 * Shorter digit runs are dates, times and counts far more often than phone numbers. Numbers are
 * never logged on purpose; this is the safety net, and its blind spot is the rare national form
 * under 9 digits (Iceland, Malta) written without its country code.
 */
const MIN_PHONE_DIGITS = 9;
const PHONE_LIKE = /(?<![\w-])\+?\d[\d\s().-]{6,}\d(?![\w-])/g;
const IPV4 = /(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?![\w-])/g;
// Full form, or compressed with "::" — so that times like 12:03:19 are left alone.
const IPV6 =
  /(?<![\w:.-])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?|::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?)(?![\w:-])/gi;
export const REDACTED = '[redacted]';

export function scrub(text: string): string {
  return text
    .replace(IPV6, REDACTED)
    .replace(IPV4, REDACTED)
    .replace(PHONE_LIKE, (run) => (run.replace(/\D/g, '').length >= MIN_PHONE_DIGITS ? REDACTED : run));
}

/** PostgreSQL's SQLSTATE: five digits or capitals (23505, 22P02, 40001…). */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * A query's failure without the query: Drizzle wraps driver errors as "Failed query: <sql>\nparams:
 * <values>", and the database's own messages may quote the offending value after a colon
 * (`invalid input syntax for type uuid: "…"`) or the whole row in `detail`. What stays is enough to
 * act on: the error's kind, SQLSTATE, constraint, table and column, and where it was thrown.
 */
function errorMessage(error: Error & Record<string, unknown>): string {
  if (error.message.startsWith('Failed query:')) return 'Failed query';
  if (typeof error.code === 'string' && SQLSTATE.test(error.code)) {
    return scrub(error.message.split(': ')[0] ?? '');
  }
  if ('query' in error || 'params' in error || 'parameters' in error) return 'Failed query';
  return scrub(error.message);
}

/** Logs carry an error's kind, safe facts and stack frames, never its free text about data. */
export function safeError(value: Error, depth = 0): Record<string, unknown> {
  const error = value as Error & Record<string, unknown>;
  const message = errorMessage(error);
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const facts: Record<string, unknown> = {};
  for (const key of [
    'code',
    'severity',
    'constraint',
    'constraint_name',
    'table',
    'table_name',
    'column',
    'column_name',
    'routine',
  ]) {
    const fact = error[key];
    if (typeof fact === 'string' || typeof fact === 'number')
      facts[key] = typeof fact === 'string' ? scrub(fact) : fact;
  }
  return {
    type: error.name,
    message,
    ...facts,
    stack: scrub([`${error.name}: ${message}`, ...frames].join('\n')),
    // Driver errors (e.g. a failed query) carry the database's reason in `cause`.
    ...(error.cause !== undefined ? { cause: redactDeep(error.cause, depth + 1) } : {}),
  };
}

export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return safeError(value, depth);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SENSITIVE_KEY.test(key) ? REDACTED : redactDeep(item, depth + 1);
  }
  return out;
}

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
      // pino's default `err` serializer would put back what redactDeep left out (every enumerable
      // field of the error, the messages of its causes): errors are already safe objects here.
      serializers: { err: (err: unknown) => (err instanceof Error ? safeError(err) : err) },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
