import type { CodeWithStatus, ErrorCode, ErrorStatus, RateLimitCode } from './error-codes';

/**
 * An error a client can act on: its code is stable (`area.reason`), its message is for people.
 * The code and its status are the ones error-codes.ts lists.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly status: ErrorStatus<C>,
    readonly code: C,
    message: string,
    readonly details: unknown[] = [],
    /** Sent as Retry-After with 429 and 503 answers. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown[] };
  requestId: string;
}

export const errors = {
  invalidRequest: (details: unknown[]) =>
    new AppError(400, 'request.invalid', 'The request is not valid. See details.', details),
  /** NUL characters or ill-formed Unicode (see text.ts); details name where. */
  invalidText: (details: unknown[]) =>
    new AppError(
      400,
      'request.invalid_text',
      'The request holds characters that cannot be stored (NUL or ill-formed Unicode).',
      details,
    ),
  malformed: () => new AppError(400, 'request.malformed', 'The request body is not valid JSON.'),
  unsupportedMediaType: () =>
    new AppError(415, 'request.unsupported_media_type', 'Send the request body as application/json.'),
  tooLarge: (limit: number) =>
    new AppError(413, 'request.too_large', `The request body is larger than ${limit} bytes.`),
  notFound: () => new AppError(404, 'route.not_found', 'There is nothing at this address.'),
  rateLimited: (code: RateLimitCode, retryAfterSeconds: number) =>
    new AppError(
      429,
      code,
      `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
      [{ retryAfterSeconds }],
      retryAfterSeconds,
    ),
  unauthenticated: () => new AppError(401, 'auth.required', 'Sign in to continue.'),
  forbidden: (code: CodeWithStatus<403> = 'auth.forbidden', message = 'You are not allowed to do this.') =>
    new AppError(403, code, message),
  /** The database cannot be reached (see `databaseUnavailable`): a moment's wait, not a fault. */
  unavailable: (retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS) =>
    new AppError(
      503,
      'service.unavailable',
      `Salon cannot reach its database just now. Try again in ${retryAfterSeconds} seconds.`,
      [{ retryAfterSeconds }],
      retryAfterSeconds,
    ),
  internal: () =>
    new AppError(
      500,
      'internal',
      'Something went wrong on our side. Quote the request id if you contact us.',
    ),
};

/** When to ask again after the database was lost: long enough for a restart or a fail-over. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Failures that say the database server is out of reach, not that a query was wrong: the socket
 * (refused, reset, unreachable), postgres.js giving up on a connection, and the server's own
 * SQLSTATEs for connection exceptions (class 08), shutdown and start-up (57P01-57P03), a database
 * that no longer exists (3D000) and a full connection table (53300).
 */
const LOST_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
  '3D000',
  '53300',
]);

/** Whether an error, or what it wraps (Drizzle keeps the driver's error as `cause`), is a lost database. */
export function databaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const { code, cause, errors: inner } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (LOST_CONNECTION_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
    return true;
  }
  // Node reports a refused connection to every address of a host as one AggregateError.
  if (Array.isArray(inner) && inner.some((e) => databaseUnavailable(e, depth + 1))) return true;
  return databaseUnavailable(cause, depth + 1);
}
