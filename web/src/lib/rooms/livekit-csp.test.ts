import { describe, expect, it } from 'vitest';
import { allowConnections, livekitOrigins } from './livekit-csp';

const POLICY =
  "default-src 'self'; connect-src 'self'; script-src 'self' 'sha256-abc='; frame-ancestors 'none'";

describe('livekitOrigins', () => {
  it('gives the WebSocket origin and its http counterpart, whichever way the URL is written', () => {
    expect(livekitOrigins('wss://live.example.org')).toEqual([
      'wss://live.example.org',
      'https://live.example.org',
    ]);
    expect(livekitOrigins('https://live.example.org/')).toEqual([
      'wss://live.example.org',
      'https://live.example.org',
    ]);
    expect(livekitOrigins('ws://localhost:7880')).toEqual(['ws://localhost:7880', 'http://localhost:7880']);
  });
});

describe('allowConnections', () => {
  it('adds the origins to connect-src and leaves every other directive alone', () => {
    const policy = allowConnections(POLICY, livekitOrigins('wss://live.example.org'));
    expect(policy).toBe(
      "default-src 'self'; connect-src 'self' wss://live.example.org https://live.example.org; script-src 'self' 'sha256-abc='; frame-ancestors 'none'",
    );
  });

  it('does not repeat an origin already allowed', () => {
    const once = allowConnections(POLICY, ['wss://live.example.org']);
    expect(allowConnections(once, ['wss://live.example.org'])).toBe(once);
  });

  it('creates connect-src from default-src when the policy has none', () => {
    expect(allowConnections("default-src 'self'; img-src 'self' data:", ['wss://lk.example'])).toBe(
      "default-src 'self'; img-src 'self' data:; connect-src 'self' wss://lk.example",
    );
  });

  it('changes nothing without origins or without a policy', () => {
    expect(allowConnections(POLICY, [])).toBe(POLICY);
    expect(allowConnections('', ['wss://lk.example'])).toBe('');
  });
});
