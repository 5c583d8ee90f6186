import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEACTIVATED_MEMBER_MAY, RESTRICTED_MEMBER_MAY, routeKey } from '../modules/auth/access';
import { grantStaff } from '../modules/staff/staff.service';
import { createTestApp } from '../testing';
import { memberFactory, testClient } from '../testing/client';
import { ERROR_STATUS, type ErrorCode, OTHER_STATUSES } from './error-codes';

/**
 * /v1/openapi.json is a contract a client generator or a fuzzer can use: every operation states
 * its answer when it works (a schema, or no content, a stream, a file) and the error codes it can
 * answer under their statuses, in the error envelope. And the contract is true: what the routes
 * answer, to strangers and members alike, is what they declare.
 */

type Schema = Record<string, unknown>;
type Responses = Record<string, { content?: Record<string, { schema?: Schema }> }>;
interface Operation {
  method: string;
  path: string;
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: unknown;
  responses?: Responses;
}
interface Document {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  components?: { schemas?: Record<string, Schema> };
}

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

let t: Awaited<ReturnType<typeof createTestApp>>;
let newMember: ReturnType<typeof memberFactory>;
let doc: Document;
let operations: Operation[];

beforeAll(async () => {
  t = await createTestApp();
  newMember = memberFactory(t);
  doc = (await (await t.app.request('/v1/openapi.json')).json()) as Document;
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method, path })),
  );
});
afterAll(() => t.close());

const name = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** The codes an error response declares, or null when it is not the error envelope. */
function declaredCodes(response: Responses[string] | undefined): string[] | null {
  const schema = response?.content?.['application/json']?.schema as Schema | undefined;
  const error = (schema?.properties as Record<string, Schema> | undefined)?.error;
  const code = (error?.properties as Record<string, Schema> | undefined)?.code;
  return Array.isArray(code?.enum) ? (code.enum as string[]) : null;
}

const statusesOf = (code: string): number[] => [
  ERROR_STATUS[code as ErrorCode],
  ...((OTHER_STATUSES as Partial<Record<string, readonly number[]>>)[code] ?? []),
];

/** What is missing from one operation's declaration, in words. */
function gaps(op: Operation): string[] {
  const responses = op.responses ?? {};
  const found: string[] = [];
  const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
  const described = success.some(
    ([status, r]) =>
      status === '204' || Object.values(r.content ?? {}).some((media) => media.schema !== undefined),
  );
  if (!described) found.push('no 2xx response with a schema, nor a 204');

  const requires = (status: number, codes: readonly ErrorCode[]) => {
    const declared = declaredCodes(responses[status]) ?? [];
    for (const code of codes) if (!declared.includes(code)) found.push(`no ${status} ${code}`);
  };
  requires(500, ['internal']);
  if (op.path.startsWith('/v1')) requires(503, ['service.unavailable']);
  if ((op.parameters ?? []).length > 0) requires(400, ['request.invalid', 'request.invalid_text']);
  if (op.requestBody) {
    requires(400, ['request.malformed']);
    requires(415, ['request.unsupported_media_type']);
  }
  if (WRITES.has(op.method) && op.path.startsWith('/v1')) {
    requires(403, ['csrf.origin_mismatch']);
    requires(413, ['request.too_large']);
  }
  // A restricted account is refused exactly where auth/access.ts says, and nowhere else.
  const declared = new Set(Object.values(responses).flatMap((r) => declaredCodes(r) ?? []));
  const key = routeKey(op.method.toUpperCase(), op.path.replace(/\{(\w+)\}/g, ':$1'));
  const openToRestricted = RESTRICTED_MEMBER_MAY.has(key);
  const openToDeactivated = DEACTIVATED_MEMBER_MAY.has(key);
  if ((openToRestricted || openToDeactivated) && !declared.has('auth.required'))
    found.push('no 401 auth.required');
  if (['account.suspended', 'account.banned', 'account.pending_deletion'].some((c) => declared.has(c))) {
    for (const [code, refused] of [
      ['account.suspended', !openToRestricted],
      ['account.banned', !openToRestricted],
      ['account.pending_deletion', !openToDeactivated],
    ] as const) {
      if (refused && !declared.has(code)) found.push(`no 403 ${code}`);
      if (!refused && declared.has(code)) found.push(`declares 403 ${code}, but access.ts lets them in`);
    }
  }
  for (const [status, response] of Object.entries(responses)) {
    if (/^2\d\d$/.test(status)) continue;
    // A range past the end of a file: its answer is a header, by RFC 9110.
    if (status === '416' && !response.content) continue;
    if (!op.path.startsWith('/v1')) {
      if (!response.content?.['application/json']?.schema) found.push(`${status} has no schema`);
      continue;
    }
    const codes = declaredCodes(response);
    if (!codes || codes.length === 0) {
      found.push(`${status} is not the error envelope with its codes`);
      continue;
    }
    for (const code of codes) {
      if (!(code in ERROR_STATUS)) found.push(`${status} names an unknown code ${code}`);
      else if (!statusesOf(code).includes(Number(status))) found.push(`${code} is not a ${status}`);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  it('declares every operation’s answers: a 2xx with its schema and every error code under its status', () => {
    expect(operations.length).toBeGreaterThan(80);
    const incomplete = Object.fromEntries(
      operations.map((op) => [name(op), gaps(op)] as const).filter(([, found]) => found.length > 0),
    );
    expect(incomplete).toEqual({});
  });
});

/* -------------------------------------------------------------------------- the contract holds */

/** The declared schema of one answer, as a validator; objects accept no undeclared field. */
function validatorFor(schema: Schema): z.ZodType {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const node = value as Schema;
    if (typeof node.$ref === 'string') {
      const id = node.$ref.replace('#/components/schemas/', '');
      return resolve(doc.components?.schemas?.[id]);
    }
    const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
    if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  };
  return z.fromJSONSchema(resolve(schema) as Parameters<typeof z.fromJSONSchema>[0]);
}

function find(method: string, path: string): Operation {
  const op = operations.find((o) => o.method === method && o.path === path);
  if (!op) throw new Error(`no operation ${method} ${path} in the document`);
  return op;
}

/** Whether an answer is one the operation declares, body included; the reason when it is not. */
function mismatch(op: Operation, status: number, body: unknown, contentType: string | null): string | null {
  const response = op.responses?.[String(status)];
  if (!response) return `answered ${status}${errorCode(body)}, which it does not declare`;
  if (status >= 400) {
    const code = (body as { error?: { code?: string } } | null)?.error?.code;
    const codes = declaredCodes(response);
    if (codes && (!code || !codes.includes(code))) return `answered ${status} ${code}, not declared`;
  }
  const schema = response.content?.['application/json']?.schema;
  if (schema && contentType?.startsWith('application/json')) {
    const result = validatorFor(schema).safeParse(body);
    if (!result.success) return `answered ${status} off its schema: ${z.prettifyError(result.error)}`;
  }
  return null;
}

const errorCode = (body: unknown) => {
  const code = (body as { error?: { code?: string } } | null)?.error?.code;
  return code ? ` ${code}` : '';
};

/** A request to one operation with made-up values: unknown ids and names, an empty JSON body. */
function poke(op: Operation, client: ReturnType<typeof testClient>) {
  const path = op.path.replace(/\{(\w+)\}/g, (_all, param: string) => {
    const format = op.parameters?.find((p) => p.in === 'path' && p.name === param)?.schema?.format;
    return format === 'uuid' ? randomUUID() : 'nobody_here';
  });
  const answer = client.request(op.method.toUpperCase(), path, op.requestBody ? {} : undefined);
  // A stream the route does not declare as one would never end: say so instead of waiting.
  const late = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`${name(op)} did not answer within 10 s`)), 10_000).unref(),
  );
  return Promise.race([answer, late]);
}

describe('the contract is true', () => {
  it('every answer a stranger gets, with made-up ids and an empty body, is one the route declares', async () => {
    const stranger = testClient(t, { ip: '192.0.2.50' });
    const wrong: string[] = [];
    for (const op of operations) {
      const answer = await poke(op, stranger);
      const problem = mismatch(op, answer.status, answer.body, answer.headers.get('content-type'));
      if (problem) wrong.push(`${name(op)}: ${problem}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('every answer a member gets to a read with made-up ids is one the route declares', async () => {
    const member = await newMember('curious');
    const wrong: string[] = [];
    for (const op of operations.filter((o) => o.method === 'get')) {
      // A stream the member may open would not end: its refusals are checked with the stranger.
      if (op.responses?.['200']?.content?.['text/event-stream']) continue;
      const answer = await poke(op, member);
      const problem = mismatch(op, answer.status, answer.body, answer.headers.get('content-type'));
      if (problem) wrong.push(`${name(op)}: ${problem}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('the main routes answer real data in their declared shapes', async () => {
    const host = await newMember('hostcontract');
    const guest = await newMember('guestcontract');
    await grantStaff(t, { username: 'hostcontract', role: 'admin', grantedBy: null });
    const checked: string[] = [];
    const wrong: string[] = [];
    const check = async (method: string, path: string, pathInDoc: string, client = host, body?: unknown) => {
      const answer = await client.request(method.toUpperCase(), path, body);
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
      const op = find(method, pathInDoc);
      const problem = mismatch(op, answer.status, answer.body, answer.headers.get('content-type'));
      if (problem) wrong.push(`${name(op)}: ${problem}`);
      checked.push(name(op));
      return answer.body;
    };

    await check('get', '/healthz', '/healthz');
    await check('get', '/v1/meta', '/v1/meta');
    await check('get', '/v1/me', '/v1/me');
    await check('patch', '/v1/me', '/v1/me', host, { bio: 'I host rooms about cities.' });
    await check('get', '/v1/me/sessions', '/v1/me/sessions');
    await check('get', '/v1/me/passkeys', '/v1/me/passkeys');
    await check('post', '/v1/me/invites', '/v1/me/invites');
    await check('get', '/v1/me/invites', '/v1/me/invites');
    await check('get', '/v1/users/guestcontract', '/v1/users/{username}');
    await check('put', '/v1/users/guestcontract/follow', '/v1/users/{username}/follow');
    await check('get', '/v1/search?q=gue', '/v1/search');
    const club = (await check('post', '/v1/clubs', '/v1/clubs', host, {
      name: 'Les villes',
      slug: 'les-villes',
      joinPolicy: 'open',
    })) as { id: string };
    await check('get', '/v1/clubs/les-villes', '/v1/clubs/{slug}');
    await check('post', '/v1/clubs/les-villes/join', '/v1/clubs/{slug}/join', guest);
    await check('get', '/v1/clubs', '/v1/clubs', guest);
    const room = (await check('post', '/v1/rooms', '/v1/rooms', host, {
      topic: 'Le vélo en ville',
      mode: 'open',
      clubId: club.id,
    })) as { id: string };
    await check('get', `/v1/rooms/${room.id}`, '/v1/rooms/{id}');
    await check('post', `/v1/rooms/${room.id}/join`, '/v1/rooms/{id}/join', guest);
    await check('get', '/v1/hallway', '/v1/hallway', guest);
    const report = (await check('post', '/v1/reports', '/v1/reports', guest, {
      roomId: room.id,
      category: 'spam_scam',
      description: 'Someone keeps posting links to a shop.',
    })) as { report: { id: string } };
    await check('get', '/v1/me/reports', '/v1/me/reports', guest);
    await check('get', '/v1/mod/reports', '/v1/mod/reports');
    await check('get', `/v1/mod/reports/${report.report.id}`, '/v1/mod/reports/{id}');
    await check('get', '/v1/mod/staff', '/v1/mod/staff');
    await check('post', `/v1/rooms/${room.id}/end`, '/v1/rooms/{id}/end');
    await check('get', `/v1/rooms/${room.id}/summary`, '/v1/rooms/{id}/summary');
    await check('get', '/v1/notifications', '/v1/notifications');
    await check('get', '/v1/privacy', '/v1/privacy', guest);
    await check('get', '/v1/privacy/me', '/v1/privacy/me', guest);
    await check('get', '/v1/privacy/notice?lang=fr', '/v1/privacy/notice', guest);
    await check('post', '/v1/me/export', '/v1/me/export', guest);
    await check('get', '/v1/me/decisions', '/v1/me/decisions', guest);
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(30);
  }, 120_000);
});
