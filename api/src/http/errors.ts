import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error a client can act on: its code is stable (`area.reason`), its message is for people. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
    /** Sent as Retry-After with 429 and 503 answers. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details: unknown[] };
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
  rateLimited: (code: string, retryAfterSeconds: number) =>
    new AppError(
      429,
      code,
      `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
      [{ retryAfterSeconds }],
      retryAfterSeconds,
    ),
  unauthenticated: () => new AppError(401, 'auth.required', 'Sign in to continue.'),
  forbidden: (code = 'auth.forbidden', message = 'You are not allowed to do this.') =>
    new AppError(403, code, message),
  internal: () =>
    new AppError(
      500,
      'internal',
      'Something went wrong on our side. Quote the request id if you contact us.',
    ),
};
