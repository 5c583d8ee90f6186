/**
 * What the export panel shows, from the member's latest export and when they may ask again
 * (both from GET /v1/privacy/me). Pure, so every state is unit-tested.
 */
/** One export request a day: the API's limit (export.service.ts), mirrored to show the next date at once. */
export const EXPORT_INTERVAL_MS = 86_400_000;

export interface ExportLike {
  id: string;
  status: 'pending' | 'ready' | 'failed';
  requestedAt: string;
  expiresAt: string | null;
}

export type ExportView =
  /** No export yet, or the last one is gone: the member may ask. */
  | { kind: 'none' }
  /** Asked for, being built in the background. */
  | { kind: 'preparing'; id: string; requestedAt: string }
  /** Ready to download until `expiresAt`. */
  | { kind: 'ready'; id: string; href: string; expiresAt: string }
  /** The build failed. */
  | { kind: 'failed'; id: string };

export function exportView(latest: ExportLike | null, now: Date): ExportView {
  if (!latest) return { kind: 'none' };
  if (latest.status === 'pending')
    return { kind: 'preparing', id: latest.id, requestedAt: latest.requestedAt };
  if (latest.status === 'failed') return { kind: 'failed', id: latest.id };
  if (!latest.expiresAt || Date.parse(latest.expiresAt) <= now.getTime()) return { kind: 'none' };
  return { kind: 'ready', id: latest.id, href: downloadHref(latest.id), expiresAt: latest.expiresAt };
}

export function downloadHref(id: string): string {
  return `/v1/me/exports/${encodeURIComponent(id)}/download`;
}

/** The moment a new request is allowed, or null when it is allowed now. */
export function nextRequest(nextRequestAt: string | null, now: Date): string | null {
  return nextRequestAt && Date.parse(nextRequestAt) > now.getTime() ? nextRequestAt : null;
}

/** How long to wait before asking again how a preparing export is doing (quick at first, then calmer). */
export function pollDelayMs(attempt: number): number {
  return Math.min(2_000 * 1.5 ** attempt, 30_000);
}
