import { describe, expect, it, vi } from 'vitest';

// Only SvelteKit provides this module; the parser under test never touches it.
vi.mock('$env/dynamic/private', () => ({ env: {} }));

import { parseServerEnv, ServerEnvError } from './env';

describe('parseServerEnv', () => {
  it('leaves the API origin unset when API_ORIGIN is absent or blank', () => {
    expect(parseServerEnv({})).toEqual({ apiOrigin: null, livekitUrl: null });
    expect(parseServerEnv({ API_ORIGIN: '  ' })).toEqual({ apiOrigin: null, livekitUrl: null });
  });

  it('normalises API_ORIGIN to an origin', () => {
    expect(parseServerEnv({ API_ORIGIN: 'http://127.0.0.1:3000/' })).toEqual({
      apiOrigin: 'http://127.0.0.1:3000',
      livekitUrl: null,
    });
  });

  it.each(['127.0.0.1:3000', 'not a url', 'ftp://api:21', 'http://api:3000/v1', 'http://user:pw@api:3000'])(
    'rejects %j',
    (value) => {
      expect(() => parseServerEnv({ API_ORIGIN: value })).toThrow(ServerEnvError);
    },
  );
});

describe('LIVEKIT_URL', () => {
  it('is kept when it is a ws(s) or http(s) URL', () => {
    expect(parseServerEnv({ LIVEKIT_URL: ' wss://live.example.org ' }).livekitUrl).toBe(
      'wss://live.example.org/',
    );
    expect(parseServerEnv({ LIVEKIT_URL: 'ws://localhost:7880' }).livekitUrl).toBe('ws://localhost:7880/');
    expect(parseServerEnv({ LIVEKIT_URL: 'https://live.example.org' }).livekitUrl).toBe(
      'https://live.example.org/',
    );
  });

  it('is optional: rooms then run without audio', () => {
    expect(parseServerEnv({ LIVEKIT_URL: '' }).livekitUrl).toBeNull();
  });

  it.each(['live.example.org', 'ftp://live.example.org', 'wss://user:pw@live.example.org'])(
    'rejects %j',
    (value) => {
      expect(() => parseServerEnv({ LIVEKIT_URL: value })).toThrow(ServerEnvError);
    },
  );
});
