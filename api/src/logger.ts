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

export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return {
      type: value.name,
      message: scrub(value.message),
      stack: value.stack && scrub(value.stack),
      // Driver errors (e.g. a failed query) carry the database's reason in `cause`.
      ...(value.cause !== undefined ? { cause: redactDeep(value.cause, depth + 1) } : {}),
    };
  }
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
