import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../http/node-server';
import { mintInvites } from '../modules/invites/invites.service';
import { grantStaff } from '../modules/staff/staff.service';
import { createTestApp } from '../testing';
import { memberFactory, testClient } from '../testing/client';
import { type JsonSchema, nastyText, valueFor } from './arbitraries';

/**
 * The API fuzz suite: every operation of /v1/openapi.json, as a stranger, as a member and as an
 * admin, with generated input that fits the declared schemas, almost fits, or is hostile
 * (NUL, lone surrogates, broken JSON, wrong media types, bad percent-encoding, stray fields).
 * Requests go through the real HTTP server onto real PostgreSQL. Any 5xx, any hang, any body
 * holding a stack trace, SQL or a file path, and any 4xx outside the error envelope fails.
 *
 * Repeatable: one fixed seed, a bounded number of runs per operation and actor
 * (FUZZ_RUNS, FUZZ_SEED to explore further by hand). Each operation gets fresh members, so a
 * generated "delete my account" or "sign out everywhere" spoils only its own run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const ACTORS = ['stranger', 'member', 'admin'] as const;
type Actor = (typeof ACTORS)[number];

const LEAKS: [string, RegExp][] = [
  ['stack trace', /\bat (?:async )?[\w$.<>]+ \(|\bat (?:file:|node:)|\n\s+at /],
  ['file path', /(?:\/[\w.@-]+){2,}\.(?:[cm]?[jt]s|json)\b|node_modules|\/work\/|\/home\//],
  [
    'SQL',
    /\b(?:select|insert into|update|delete from)\b[^"]{0,80}\b(?:from|where|values|set)\b|syntax error at or near|violates (?:unique|foreign key|check|not-null) constraint|duplicate key value|relation "|PostgresError/i,
  ],
];

type Operation = {
  method: string;
  path: string;
  parameters: { in: string; name: string; schema?: JsonSchema; required?: boolean }[];
  body?: JsonSchema;
};
type Generated = {
  pathValues: Record<string, { value: string; raw: boolean }>;
  query: [string, string][];
  headers: Record<string, string>;
  body?: { text: string; type: string | undefined };
};

let t: Awaited<ReturnType<typeof createTestApp>>;
let server: ReturnType<typeof createHttpServer>;
let base: string;
const operations: Operation[] = [];
const fixtures: Record<string, string[]> = {};
let count = 0;
const sent = { requests: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  t = await createTestApp();
  server = createHttpServer(getRequestListener(t.app.fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Things that exist, so generated ids and names sometimes hit a real room, club or person.
  const host = await memberFactory(t)('hostess');
  const club = await host.post('/v1/clubs', { name: 'Jazz à Lyon', slug: 'jazz-lyon', joinPolicy: 'open' });
  const room = await host.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open' });
  const report = await host.post('/v1/reports', {
    roomId: room.body.id,
    category: 'spam',
    description: 'A report for the fuzz suite to find.',
  });
  const [invite] = await mintInvites(t, 1);
  Object.assign(fixtures, {
    id: [room.body.id, club.body.id, report.body.id, host.id].filter(Boolean),
    userId: [host.id],
    slug: ['jazz-lyon'],
    username: ['hostess'],
    code: [invite?.code ?? 'none'],
    challengeId: [t.sms.sent[0]?.challengeId ?? 'none'],
  });

  const doc = (await (await fetch(`${base}/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const body = (op.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
        ?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Operation['parameters']) ?? [],
        ...(body ? { body } : {}),
      });
    }
  }
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.close();
  const statuses = [...sent.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
  console.info(`fuzz: ${sent.requests} requests, seed ${SEED}, statuses ${statuses.join(' ')}`);
});

/** Percent-encodes like a client that does not care: lone surrogates go out as their raw bytes. */
function encode(value: string) {
  let out = '';
  for (const char of value) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(char);
  }
  return out;
}

const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

const BROKEN_JSON = [
  '',
  '{',
  '{"a":',
  '[1,]',
  'null',
  '"text"',
  '{"a":1}{"b":2}',
  '['.repeat(5_000),
  '\u0000',
];
const OTHER_TYPES = [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];

function requestFor(op: Operation): fc.Arbitrary<Generated> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const pathValue = (name: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(fixtures[name] ?? ['x'])) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: nastyText },
    );
  const pathValues = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        fc.record({ value: pathValue(p.name), raw: fc.boolean() }).map(({ value, raw }) => ({
          value,
          raw: raw && /^[\w%.~-]+$/.test(value),
        })),
      ]),
    ),
  );
  const query = fc
    .tuple(
      fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueFor(p.schema).map(text)])), {
        requiredKeys: [],
      }),
      fc.array(fc.tuple(nastyText, nastyText), { maxLength: 2 }),
    )
    .map(([declared, extra]) => [...Object.entries(declared), ...extra] as [string, string][]);
  const headers = fc.record(
    Object.fromEntries(headerParams.map((p) => [p.name, valueFor(p.schema).map(text)])),
    { requiredKeys: [] },
  );
  const jsonBody = op.body
    ? fc.oneof(
        {
          weight: 8,
          arbitrary: valueFor(op.body).map((v) => ({
            text: JSON.stringify(v) ?? '',
            type: 'application/json',
          })),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(...BROKEN_JSON).map((b) => ({ text: b, type: 'application/json' })),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(valueFor(op.body), fc.constantFrom(...OTHER_TYPES))
            .map(([v, type]) => ({ text: JSON.stringify(v) ?? '', type })),
        },
      )
    : fc.constantFrom(
        { text: '{"unexpected":true}', type: 'application/json' },
        { text: 'x', type: 'text/plain' },
      );
  const body =
    op.method === 'GET'
      ? fc.constant(undefined)
      : fc.option(jsonBody, { freq: op.body ? 12 : 3, nil: undefined });
  return fc.record({ pathValues, query, headers, body }).map((g) => {
    const headers = Object.fromEntries(
      Object.entries(g.headers).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const generated: Generated = { pathValues: g.pathValues, query: g.query, headers };
    if (g.body) generated.body = g.body;
    return generated;
  });
}

/** A header value fetch can send at all (no CR, LF or NUL; bytes only). */
const sendable = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

async function send(op: Operation, g: Generated, cookie: string | undefined) {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = g.pathValues[name];
    return p ? (p.raw ? p.value : encode(p.value)) : 'x';
  });
  const query = g.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const headers: Record<string, string> = { origin: t.config.publicUrl.origin };
  if (cookie) headers.cookie = cookie;
  for (const [k, v] of Object.entries(g.headers)) if (sendable(v)) headers[k] = v;
  if (g.body?.type) headers['content-type'] = g.body.type;
  const res = await fetch(`${base}${path}${query ? `?${query}` : ''}`, {
    method: op.method,
    headers,
    ...(g.body ? { body: g.body.text } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  sent.requests++;
  sent.byStatus.set(res.status, (sent.byStatus.get(res.status) ?? 0) + 1);
  const type = res.headers.get('content-type') ?? '';
  const readable = /json|text\/(?!event-stream)|html/.test(type);
  const body = readable ? (await res.text()).slice(0, 200_000) : '';
  if (!readable) await res.body?.cancel();
  return { status: res.status, type, body };
}

function problems(res: { status: number; type: string; body: string }) {
  const found: string[] = [];
  if (res.status >= 500) found.push(`answered ${res.status}`);
  for (const [what, pattern] of LEAKS) if (pattern.test(res.body)) found.push(`body holds a ${what}`);
  if (res.status >= 400 && res.status < 500 && res.status !== 405) {
    let code: unknown;
    try {
      code = JSON.parse(res.body)?.error?.code;
    } catch {}
    if (typeof code !== 'string') found.push(`${res.status} outside the error envelope`);
  }
  return found;
}

/** A fresh cookie jar for one operation's runs. */
async function signIn(actor: Actor) {
  if (actor === 'stranger') return undefined;
  count++;
  // Letters only: display names (derived from the username) take no digits.
  const username = `fuzz${actor}${[...count.toString(26)].map((d) => String.fromCharCode(97 + Number.parseInt(d, 26))).join('')}`;
  // Each from a network of its own: sign-ups are capped per network and hour.
  const person = testClient(t, { ip: `10.77.${count}.1` });
  const pad = (n: number) => String(n).padStart(2, '0');
  await person.signUp({
    phone: `06 44 56 ${pad(Math.floor(count / 100))} ${pad(count % 100)}`,
    username,
    displayName: username,
  });
  if (actor === 'admin') await grantStaff(t, { username, role: 'admin', grantedBy: null });
  return [...person.jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

describe('every operation of the OpenAPI document, fuzzed', () => {
  for (const actor of ACTORS) {
    it(`never answers 5xx or leaks internals, as ${actor === 'stranger' ? 'a stranger' : `an ${actor}`.replace('an member', 'a member')}`, async () => {
      expect(operations.length).toBeGreaterThan(80);
      const failures: string[] = [];
      for (const op of operations) {
        const cookie = await signIn(actor);
        const result = await fc.check(
          fc.asyncProperty(requestFor(op), async (g) => {
            const found = problems(await send(op, g, cookie));
            if (found.length) throw new Error(found.join('; '));
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
        if (result.failed) {
          failures.push(
            `${op.method} ${op.path}: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}\n    input: ${JSON.stringify(result.counterexample?.[0]).slice(0, 400)}`,
          );
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
    }, 900_000);
  }
});
