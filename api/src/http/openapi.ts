import type { MiddlewareHandler } from 'hono';
import { type DescribeRouteOptions, describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode, type ErrorStatus } from './error-codes';

/**
 * What each route declares in /v1/openapi.json: its answer when it works (a schema, or no content,
 * a stream, a file) and every error code it can answer, each under its status with the error
 * envelope. Routes name their own codes and the groups below that apply to them; every route can
 * also fail with `internal` and `service.unavailable`. openapi.test.ts fails on a route without them.
 */

/** Signed-in routes (requireAuth): no session, or an account that may not do this now. */
export const SIGNED_IN = [
  'auth.required',
  'account.suspended',
  'account.banned',
  'account.pending_deletion',
] as const satisfies readonly ErrorCode[];
/** Signed-in routes a suspended or banned account may still use (auth/access.ts). */
export const SIGNED_IN_EVEN_RESTRICTED = [
  'auth.required',
  'account.pending_deletion',
] as const satisfies readonly ErrorCode[];
/** Signed-in routes an account waiting for erasure may still use (auth/access.ts). */
export const SIGNED_IN_EVEN_DEACTIVATED = ['auth.required'] as const satisfies readonly ErrorCode[];
/** Routes that validate path or query parameters (validate.ts). */
export const INPUT = ['request.invalid', 'request.invalid_text'] as const satisfies readonly ErrorCode[];
/** Routes that read a JSON body (validate.ts, the body limit). */
export const JSON_BODY = [
  ...INPUT,
  'request.malformed',
  'request.unsupported_media_type',
  'request.too_large',
] as const satisfies readonly ErrorCode[];
/** Writes (POST, PUT, PATCH, DELETE): the cookie-authenticated ones must come from our pages. */
export const WRITE = ['csrf.origin_mismatch', 'request.too_large'] as const satisfies readonly ErrorCode[];
/** Every route: a fault of ours, or a database out of reach for a moment. */
export const ALWAYS = ['internal', 'service.unavailable'] as const satisfies readonly ErrorCode[];

/** The error envelope of DESIGN §4, restricted to the codes one response can carry. */
export function errorBody(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return z.object({
    error: z.object({
      code: z.enum(codes),
      message: z.string().meta({ description: 'For people, in English; clients show their own text' }),
      details: z.array(z.unknown()),
    }),
    requestId: z.string().meta({ description: 'The id of this request in the server log' }),
  });
}

type Response = NonNullable<DescribeRouteOptions['responses']>[string];
type SuccessStatus = 200 | 201 | 202 | 204 | 206;
interface Success {
  status: SuccessStatus;
  response: Response;
}

/** A JSON answer and its shape. */
export function json(schema: z.ZodType, description: string, status: 200 | 201 | 202 = 200): Success {
  return { status, response: { description, content: { 'application/json': { schema: resolver(schema) } } } };
}

/** An answer with no body. */
export function noContent(description: string): Success {
  return { status: 204, response: { description } };
}

/** A Server-Sent Events stream; its events are described in words (OpenAPI has no schema for them). */
export function eventStream(description: string): Success {
  return {
    status: 200,
    response: { description, content: { 'text/event-stream': { schema: { type: 'string' } } } },
  };
}

/** A text document of one media type (a calendar file, say). */
export function text(media: string, description: string): Success {
  return { status: 200, response: { description, content: { [media]: { schema: { type: 'string' } } } } };
}

/** A file or other bytes of one media type. */
export function binary(media: string, description: string, status: SuccessStatus = 200): Success {
  return {
    status,
    response: { description, content: { [media]: { schema: { type: 'string', format: 'binary' } } } },
  };
}

/** A code answered with another of its statuses than the list's first (e.g. `['club.not_found', 400]`). */
type AtStatus = { [C in ErrorCode]: readonly [C, ErrorStatus<C>] }[ErrorCode];
export type DeclaredError = ErrorCode | AtStatus;

export interface RouteDoc {
  summary: string;
  description?: string;
  /** What the route answers when it works; several for routes with more than one success status. */
  ok: Success | readonly Success[];
  /** The codes this route can answer, the groups above included; ALWAYS is added. */
  errors: readonly DeclaredError[];
  /** Answers with no body that are neither a success nor an error code, e.g. 416 for a range past the end. */
  bodiless?: Record<number, string>;
}

/** The OpenAPI responses of one route: its successes and its errors grouped by status. */
export function responses(ok: RouteDoc['ok'], errors: readonly DeclaredError[]): Record<string, Response> {
  const out: Record<string, Response> = {};
  for (const success of Array.isArray(ok) ? ok : [ok as Success]) out[success.status] = success.response;
  const byStatus = new Map<number, ErrorCode[]>();
  for (const declared of [...errors, ...ALWAYS]) {
    const [code, status] = typeof declared === 'string' ? [declared, ERROR_STATUS[declared]] : declared;
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) byStatus.set(status, [...codes, code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[status] = {
      description: codes.map((code) => `\`${code}\``).join(', '),
      content: {
        'application/json': { schema: resolver(errorBody(codes as [ErrorCode, ...ErrorCode[]])) },
      },
    };
  }
  return out;
}

/** describeRoute for one module's routes, tagged with the module's name. */
export function routeDocs(tag: string) {
  return (spec: RouteDoc): MiddlewareHandler =>
    describeRoute({
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [tag],
      responses: {
        ...responses(spec.ok, spec.errors),
        ...Object.fromEntries(
          Object.entries(spec.bodiless ?? {}).map(([status, description]) => [status, { description }]),
        ),
      },
    });
}
