import { describe, expect, it } from 'vitest';
import { downloadHref, exportView, nextRequest, pollDelayMs } from './export-state';

const now = new Date('2026-11-21T12:00:00Z');
const base = { id: 'a1b2', requestedAt: '2026-11-21T11:00:00Z', expiresAt: null };

describe('the export panel state', () => {
  it('offers a request when there is no export, or the last one expired', () => {
    expect(exportView(null, now)).toEqual({ kind: 'none' });
    expect(exportView({ ...base, status: 'ready', expiresAt: '2026-11-21T11:59:59Z' }, now)).toEqual({
      kind: 'none',
    });
  });

  it('says it is being prepared, ready with its link and expiry, or failed', () => {
    expect(exportView({ ...base, status: 'pending' }, now)).toEqual({
      kind: 'preparing',
      id: 'a1b2',
      requestedAt: base.requestedAt,
    });
    expect(exportView({ ...base, status: 'ready', expiresAt: '2026-11-28T11:00:00Z' }, now)).toEqual({
      kind: 'ready',
      id: 'a1b2',
      href: '/v1/me/exports/a1b2/download',
      expiresAt: '2026-11-28T11:00:00Z',
    });
    expect(exportView({ ...base, status: 'failed' }, now)).toEqual({ kind: 'failed', id: 'a1b2' });
  });

  it('knows when the daily limit allows a new request', () => {
    expect(nextRequest(null, now)).toBeNull();
    expect(nextRequest('2026-11-21T11:00:00Z', now)).toBeNull();
    expect(nextRequest('2026-11-22T11:00:00Z', now)).toBe('2026-11-22T11:00:00Z');
  });

  it('escapes the id in the download link and polls less often over time', () => {
    expect(downloadHref('a/b')).toBe('/v1/me/exports/a%2Fb/download');
    expect(pollDelayMs(0)).toBe(2_000);
    expect(pollDelayMs(3)).toBeGreaterThan(pollDelayMs(2));
    expect(pollDelayMs(50)).toBe(30_000);
  });
});
