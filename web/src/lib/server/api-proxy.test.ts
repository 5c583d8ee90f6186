import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { downstreamResponseHeaders, isApiPath, upstreamRequestHeaders } from './api-proxy';

function fakeEvent(url: string, headers: Record<string, string>): RequestEvent {
  return {
    url: new URL(url),
    request: new Request(url, { headers }),
    getClientAddress: () => '203.0.113.7',
  } as unknown as RequestEvent;
}

describe('isApiPath', () => {
  it.each(['/healthz', '/v1', '/v1/meta', '/v1/rooms/1/events'])('sends %s to the API', (path) => {
    expect(isApiPath(path)).toBe(true);
  });

  it.each(['/', '/healthzz', '/v10', '/v1meta', '/locale', '/_app/immutable/x.js'])('keeps %s', (path) => {
    expect(isApiPath(path)).toBe(false);
  });
});

describe('upstreamRequestHeaders', () => {
  it('forwards the message headers, drops hop-by-hop ones and says who asked', () => {
    const headers = upstreamRequestHeaders(
      fakeEvent('https://salon.example/v1/meta', {
        cookie: 'session=abc',
        'content-type': 'application/json',
        connection: 'keep-alive, x-private-hop',
        'x-private-hop': 'secret',
        'keep-alive': 'timeout=5',
        'x-forwarded-for': '10.0.0.1',
        'accept-encoding': 'gzip, br',
        expect: '100-continue',
        'content-length': '12',
      }),
    );
    expect(headers.get('cookie')).toBe('session=abc');
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.has('connection')).toBe(false);
    expect(headers.has('keep-alive')).toBe(false);
    expect(headers.has('x-private-hop')).toBe(false);
    expect(headers.has('host')).toBe(false);
    expect(headers.has('expect')).toBe(false);
    expect(headers.has('content-length')).toBe(false);
    expect(headers.get('accept-encoding')).toBe('identity');
    expect(headers.get('x-forwarded-for')).toBe('203.0.113.7');
    expect(headers.get('x-forwarded-proto')).toBe('https');
    expect(headers.get('x-forwarded-host')).toBe('salon.example');
  });
});

describe('downstreamResponseHeaders', () => {
  it('keeps every Set-Cookie and drops the encoding fetch already decoded', () => {
    const upstream = new Headers([
      ['content-type', 'application/json'],
      ['content-encoding', 'gzip'],
      ['content-length', '42'],
      ['transfer-encoding', 'chunked'],
      ['set-cookie', 'a=1; Path=/; HttpOnly'],
      ['set-cookie', 'b=2; Path=/; HttpOnly'],
    ]);
    const headers = downstreamResponseHeaders(upstream);
    expect(headers.getSetCookie()).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; HttpOnly']);
    expect(headers.has('content-encoding')).toBe(false);
    expect(headers.has('content-length')).toBe(false);
    expect(headers.has('transfer-encoding')).toBe(false);
    expect(headers.get('content-type')).toBe('application/json');
  });

  it('keeps the length of an uncompressed body', () => {
    const headers = downstreamResponseHeaders(new Headers({ 'content-length': '42' }));
    expect(headers.get('content-length')).toBe('42');
  });
});
