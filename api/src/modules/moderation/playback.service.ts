import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { errors } from '../../http/errors';
import { openRecording } from '../../recorder/pipeline';
import { plaintextSize } from '../../storage/sealed-file';
import { appendAudit } from '../audit/audit.service';
import { assertStaff } from '../staff/staff.service';
import { modErrors } from './moderation.errors';
import { heldReport } from './queue.service';

const { recordings, reports } = schema;
type Deps = Pick<AppDeps, 'database' | 'clock' | 'crypto' | 'secrets' | 'config' | 'logger'>;
type RecordingRow = typeof recordings.$inferSelect;

/** A playback link works this long; the player asks again (and is audited again) after that. */
export const PLAYBACK_TTL_MS = 10 * 60_000;

/** Tokens are MACs under a key derived from the recording KEK, so any API instance can check them. */
function tokenKey(deps: Pick<Deps, 'crypto' | 'secrets'>) {
  return deps.crypto.fromBase64Url(
    deps.crypto.keyedHash('salon/playback-token/v1', deps.secrets.recordingKek),
  );
}

function tokenMac(deps: Pick<Deps, 'crypto' | 'secrets'>, parts: PlaybackGrant) {
  return deps.crypto.keyedHash(
    `${parts.recordingId}|${parts.reportId}|${parts.moderatorId}|${parts.expiresAt.getTime()}`,
    tokenKey(deps),
  );
}

interface PlaybackGrant {
  recordingId: string;
  reportId: string;
  moderatorId: string;
  expiresAt: Date;
}

function playable(recording: RecordingRow | undefined, roomId: string | null) {
  if (!recording || !roomId || recording.roomId !== roomId) throw modErrors.recordingNotFound();
  if (recording.status === 'shredded' || !recording.wrappedKey) throw modErrors.recordingShredded();
  if (recording.status !== 'complete' || recording.sizeBytes <= 0) throw modErrors.recordingNotReady();
  return recording;
}

/**
 * A moderator starts listening: only to a recording of the reported room, while the report is
 * open and claimed by them. Every playback is an audit event with the report and the reason.
 */
export async function startPlayback(
  deps: Deps,
  moderatorId: string,
  reportId: string,
  input: { recordingId: string; reason: string },
) {
  await assertStaff(deps.database.db, moderatorId, 'moderator');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + PLAYBACK_TTL_MS);
  await deps.database.db.transaction(async (tx) => {
    const report = await heldReport(tx, moderatorId, reportId);
    const [recording] = await tx.select().from(recordings).where(eq(recordings.id, input.recordingId));
    const row = playable(recording, report.roomId);
    await appendAudit(tx, deps.crypto, now, {
      action: 'recording.played',
      actorId: moderatorId,
      subjectId: row.speakerId,
      data: { reportId, recordingId: row.id, reason: input.reason.slice(0, 500) },
    });
  });
  const token = `${expiresAt.getTime()}.${tokenMac(deps, { recordingId: input.recordingId, reportId, moderatorId, expiresAt })}`;
  const query = new URLSearchParams({ reportId, playback: token });
  return {
    url: `/v1/mod/recordings/${input.recordingId}/audio?${query}`,
    expiresAt: expiresAt.toISOString(),
  };
}

export interface ByteRange {
  start: number;
  end: number;
}

/** One `bytes=` range (RFC 9110 §14.1.2); several ranges are answered whole, as the RFC allows. */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
    if (to !== '' && Number(to) < start) return undefined;
  }
  if (start >= size || size === 0) return 'unsatisfiable';
  return { start, end };
}

/**
 * The decrypted audio, streamed: never written anywhere, never cached (`no-store`), shown inline.
 * The same rules as starting a playback are checked again on every request, plus the link.
 */
export async function openAudio(
  deps: Deps,
  moderatorId: string,
  recordingId: string,
  query: { reportId: string; playback: string },
  rangeHeader: string | undefined,
) {
  const db = deps.database.db;
  await assertStaff(db, moderatorId, 'moderator');
  const now = deps.clock.now();
  const [expiry = '', mac = ''] = query.playback.split('.');
  const expiresAt = new Date(Number(expiry));
  if (
    !/^\d+$/.test(expiry) ||
    expiresAt <= now ||
    !deps.crypto.equal(mac, tokenMac(deps, { recordingId, reportId: query.reportId, moderatorId, expiresAt }))
  )
    throw modErrors.playbackInvalid();

  const [report] = await db.select().from(reports).where(eq(reports.id, query.reportId));
  if (!report) throw modErrors.reportNotFound();
  if (report.status !== 'open') throw modErrors.reportClosed();
  if (report.claimedBy !== moderatorId) throw modErrors.notClaimed();
  const [recording] = await db.select().from(recordings).where(eq(recordings.id, recordingId));
  const row = playable(recording, report.roomId);

  const size = plaintextSize(row.sizeBytes, deps.crypto);
  const range = parseRange(rangeHeader, size);
  const headers: Record<string, string> = {
    'Content-Type': 'audio/ogg',
    'Cache-Control': 'no-store',
    'Content-Disposition': 'inline',
    'Accept-Ranges': 'bytes',
  };
  if (range === 'unsatisfiable') {
    return { status: 416 as const, headers: { ...headers, 'Content-Range': `bytes */${size}` }, body: null };
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };

  const source = openRecording(deps, row)[Symbol.asyncIterator]();
  // The first chunk is read before answering, so a destroyed key or a damaged file is an error
  // response rather than a broken stream.
  let first: IteratorResult<Uint8Array>;
  try {
    first = await source.next();
  } catch (error) {
    const [again] = await db.select().from(recordings).where(eq(recordings.id, recordingId));
    if (!again || again.status === 'shredded' || !again.wrappedKey) throw modErrors.recordingShredded();
    deps.logger.error({ err: error, recordingId }, 'recording could not be decrypted');
    throw errors.internal();
  }

  let offset = 0;
  let pending: IteratorResult<Uint8Array> | undefined = first;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const next = pending ?? (await source.next());
        pending = undefined;
        if (next.done) {
          if (offset <= end) controller.error(new Error('recording shorter than its sealed size says'));
          else controller.close();
          return;
        }
        const chunk = next.value;
        const chunkStart = offset;
        offset += chunk.length;
        if (offset <= start) continue;
        const from = Math.max(0, start - chunkStart);
        const to = Math.min(chunk.length, end + 1 - chunkStart);
        if (to > from) controller.enqueue(chunk.subarray(from, to));
        if (offset > end) {
          controller.close();
          await source.return?.(undefined);
        }
        return;
      }
    },
    async cancel() {
      await source.return?.(undefined);
    },
  });
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  headers['Content-Length'] = String(end - start + 1);
  return { status: range ? (206 as const) : (200 as const), headers, body };
}
