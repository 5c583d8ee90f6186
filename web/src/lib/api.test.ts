import { describe, expect, it } from 'vitest';
import { apiError, callApi, devSmsCode } from './api';

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });

describe('apiError', () => {
  it('reads the API’s error envelope, without its English message', async () => {
    const failure = await apiError(
      json(
        {
          error: {
            code: 'otp.wrong_code',
            message: 'This code is not the right one.',
            details: [{ remainingAttempts: 2 }],
          },
          requestId: 'req-9',
        },
        { status: 400 },
      ),
    );
    expect(failure).toEqual({
      status: 400,
      code: 'otp.wrong_code',
      details: [{ remainingAttempts: 2 }],
      retryAfterSeconds: null,
      requestId: 'req-9',
    });
  });

  it('takes the wait of a 429 from its details, else from Retry-After', async () => {
    const fromDetails = await apiError(
      json(
        {
          error: { code: 'otp.cooldown', message: '', details: [{ retryAfterSeconds: 27.2 }] },
          requestId: 'r',
        },
        { status: 429, headers: { 'retry-after': '99' } },
      ),
    );
    expect(fromDetails.retryAfterSeconds).toBe(28);
    const fromHeader = await apiError(
      json(
        { error: { code: 'login.rate_limited', message: '', details: [] }, requestId: 'r' },
        {
          status: 429,
          headers: { 'retry-after': '120' },
        },
      ),
    );
    expect(fromHeader.retryAfterSeconds).toBe(120);
  });

  it('survives an answer that is not the envelope (a proxy’s HTML page)', async () => {
    const failure = await apiError(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(failure).toEqual({
      status: 502,
      code: 'response.invalid',
      details: [],
      retryAfterSeconds: null,
      requestId: null,
    });
  });
});

describe('callApi', () => {
  it('returns the JSON of a success', async () => {
    const result = await callApi(Promise.resolve(json({ available: true }, { status: 200 })));
    expect(result).toEqual({ ok: true, data: { available: true } });
  });

  it('returns undefined for 204', async () => {
    const result = await callApi(Promise.resolve(new Response(null, { status: 204 })));
    expect(result).toEqual({ ok: true, data: undefined });
  });

  it('turns an error answer into a failure', async () => {
    const result = await callApi(
      Promise.resolve(
        json(
          { error: { code: 'auth.required', message: 'x', details: [] }, requestId: 'r' },
          { status: 401 },
        ),
      ),
    );
    expect(result).toMatchObject({ ok: false, error: { status: 401, code: 'auth.required' } });
  });

  it('turns a network error into a failure instead of throwing', async () => {
    const result = await callApi(() => Promise.reject(new TypeError('fetch failed')));
    expect(result).toEqual({
      ok: false,
      error: {
        status: 0,
        code: 'network.unreachable',
        details: [],
        retryAfterSeconds: null,
        requestId: null,
      },
    });
  });
});

describe('devSmsCode', () => {
  it('gives the development code when the API has the outbox route', async () => {
    const fetchImpl = (async () => json({ code: '123456' })) as unknown as typeof fetch;
    expect(await devSmsCode(fetchImpl, 'c-1')).toBe('123456');
  });

  it('gives nothing when the route does not exist (production)', async () => {
    const fetchImpl = (async () =>
      json({ error: { code: 'route.not_found' } }, { status: 404 })) as unknown as typeof fetch;
    expect(await devSmsCode(fetchImpl, 'c-1')).toBeNull();
    const failing = (async () => {
      throw new TypeError('offline');
    }) as unknown as typeof fetch;
    expect(await devSmsCode(failing, 'c-1')).toBeNull();
  });
});
