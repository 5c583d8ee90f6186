import { type Db, schema } from '@salon/db';
import { and, asc, desc, eq, gt, isNull, lte, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AppDeps } from '../../http/app-env';
import { after, page } from '../../http/keyset';
import { appendAudit } from '../audit/audit.service';
import { assertStaff } from '../staff/staff.service';
import { modErrors } from './moderation.errors';
import type { QueueQuery } from './moderation.schemas';
import { loadDecisions, presentDecision } from './present';

const { reports, rooms, users, roomEvents, recordings } = schema;
type Deps = Pick<AppDeps, 'database' | 'clock' | 'crypto'>;

const PAGE = 30;
/** Events shown around the reported moment; a room of thousands would otherwise send its whole history. */
const TIMELINE_EACH_SIDE = 500;
const EXCERPT = 140;

const subject = alias(users, 'subject');
const claimer = alias(users, 'claimer');

function summarySelection() {
  return {
    report: reports,
    room: { id: rooms.id, topic: rooms.topic, status: rooms.status },
    user: { id: subject.id, username: subject.username, displayName: subject.displayName },
    claimer: { username: claimer.username },
  };
}

function summaryQuery(db: Db) {
  return db
    .select(summarySelection())
    .from(reports)
    .leftJoin(rooms, eq(rooms.id, reports.roomId))
    .leftJoin(subject, eq(subject.id, reports.subjectId))
    .leftJoin(claimer, eq(claimer.id, reports.claimedBy));
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number];

/** What staff see of a report: never who made it. */
function presentSummary(row: SummaryRow, viewerId: string) {
  const r = row.report;
  return {
    id: r.id,
    category: r.category,
    law: r.law,
    excerpt: r.description.length > EXCERPT ? `${r.description.slice(0, EXCERPT - 1)}…` : r.description,
    createdAt: r.createdAt.toISOString(),
    status: r.status,
    claimedBy: row.claimer,
    claimedByMe: r.claimedBy === viewerId,
    target: { room: row.room, user: row.user },
  };
}

/** The queue: open reports oldest first (first come, first served); decided ones newest first. */
export async function listReports(deps: Deps, viewerId: string, query: QueueQuery) {
  const db = deps.database.db;
  await assertStaff(db, viewerId, 'moderator');
  const open = query.status === 'open';
  const key = open ? reports.createdAt : reports.decidedAt;
  const conditions: (SQL | undefined)[] = [eq(reports.status, query.status)];
  if (query.category) conditions.push(eq(reports.category, query.category));
  if (query.claim === 'mine') conditions.push(eq(reports.claimedBy, viewerId));
  if (query.claim === 'unclaimed') conditions.push(isNull(reports.claimedBy));
  conditions.push(after(key, reports.id, query.cursor, open ? 'asc' : 'desc'));
  const rows = await summaryQuery(db)
    .where(and(...conditions))
    .orderBy(...(open ? [asc(key), asc(reports.id)] : [desc(key), desc(reports.id)]))
    .limit(PAGE + 1);
  // A decided report always has its decision time (the key of the decided list).
  const { items, nextCursor } = page(rows, PAGE, ({ report: r }) => [
    (open ? r.createdAt : r.decidedAt) ?? r.createdAt,
    r.id,
  ]);
  return { reports: items.map((row) => presentSummary(row, viewerId)), nextCursor };
}

async function summaryOf(db: Db, reportId: string) {
  const [row] = await summaryQuery(db).where(eq(reports.id, reportId));
  if (!row) throw modErrors.reportNotFound();
  return row;
}

/** One report with its evidence: the room's timeline, the recordings, the decision if any. */
export async function reportDetail(deps: Deps, viewerId: string, reportId: string) {
  const db = deps.database.db;
  await assertStaff(db, viewerId, 'moderator');
  const now = deps.clock.now();
  const row = await summaryOf(db, reportId);
  const r = row.report;
  const roomId = r.roomId;
  const [decision] = await loadDecisions(db, eq(schema.decisions.reportId, r.id), 1);
  return {
    report: {
      ...presentSummary(row, viewerId),
      description: r.description,
      at: r.at?.toISOString() ?? null,
      decidedAt: r.decidedAt?.toISOString() ?? null,
    },
    timeline: roomId ? await timeline(db, roomId, r.at) : [],
    recordings: roomId ? await roomRecordings(db, roomId, r.at, now) : [],
    decision: decision ? presentDecision(decision, now) : null,
    canPlay: r.status === 'open' && r.claimedBy === viewerId && roomId !== null,
  };
}

const actor = alias(users, 'actor');
const eventSubject = alias(users, 'event_subject');

/** Who was on stage when, hands, mode changes, removals: the room's own events, around the moment. */
async function timeline(db: Db, roomId: string, at: Date | null) {
  const query = (where: SQL | undefined, order: 'asc' | 'desc') =>
    db
      .select({
        event: roomEvents,
        actor: { id: actor.id, username: actor.username, displayName: actor.displayName },
        subject: {
          id: eventSubject.id,
          username: eventSubject.username,
          displayName: eventSubject.displayName,
        },
      })
      .from(roomEvents)
      .leftJoin(actor, eq(actor.id, roomEvents.actorId))
      .leftJoin(eventSubject, eq(eventSubject.id, roomEvents.subjectId))
      .where(and(eq(roomEvents.roomId, roomId), where))
      .orderBy(order === 'asc' ? asc(roomEvents.id) : desc(roomEvents.id))
      .limit(TIMELINE_EACH_SIDE * (at ? 1 : 2));
  const rows = at
    ? [
        ...(await query(lte(roomEvents.at, at), 'desc')).reverse(),
        ...(await query(gt(roomEvents.at, at), 'asc')),
      ]
    : await query(undefined, 'asc');
  // Events share a clock with the reported moment, but ids give the order they happened in.
  rows.sort((a, b) => a.event.id - b.event.id);
  return rows.map(({ event, actor, subject }) => ({
    id: String(event.id),
    at: event.at.toISOString(),
    type: event.type,
    actor,
    subject,
    data: event.data,
  }));
}

async function roomRecordings(db: Db, roomId: string, at: Date | null, now: Date) {
  const speaker = alias(users, 'speaker');
  const rows = await db
    .select({
      recording: recordings,
      speaker: { id: speaker.id, username: speaker.username, displayName: speaker.displayName },
    })
    .from(recordings)
    .leftJoin(speaker, eq(speaker.id, recordings.speakerId))
    .where(eq(recordings.roomId, roomId))
    .orderBy(asc(recordings.startedAt));
  return rows.map(({ recording: rec, speaker }) => ({
    id: rec.id,
    speaker,
    startedAt: rec.startedAt.toISOString(),
    endedAt: rec.endedAt?.toISOString() ?? null,
    status: rec.status,
    overlapsMoment: at !== null && rec.startedAt <= at && at <= (rec.endedAt ?? now),
  }));
}

/**
 * Takes a report to work on it. One moderator at a time; nobody handles a report they made or
 * one about themselves.
 */
export async function claimReport(deps: Deps, viewerId: string, reportId: string) {
  const db = deps.database.db;
  await assertStaff(db, viewerId, 'moderator');
  const now = deps.clock.now();
  await db.transaction(async (tx) => {
    const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update');
    if (!report) throw modErrors.reportNotFound();
    if (report.status !== 'open') throw modErrors.reportClosed();
    if (report.reporterId === viewerId || report.subjectId === viewerId) throw modErrors.conflict();
    if (report.claimedBy === viewerId) return;
    if (report.claimedBy) throw modErrors.alreadyClaimed();
    await tx.update(reports).set({ claimedBy: viewerId, claimedAt: now }).where(eq(reports.id, reportId));
    await appendAudit(tx, deps.crypto, now, {
      action: 'report.claimed',
      actorId: viewerId,
      data: { reportId },
    });
  });
  return { report: presentSummary(await summaryOf(db, reportId), viewerId) };
}

/** Gives a report back to the queue: the moderator who holds it, or an admin. */
export async function releaseReport(deps: Deps, viewerId: string, reportId: string) {
  const db = deps.database.db;
  const role = await assertStaff(db, viewerId, 'moderator');
  await db.transaction(async (tx) => {
    const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update');
    if (!report) throw modErrors.reportNotFound();
    if (report.status !== 'open') throw modErrors.reportClosed();
    if (!report.claimedBy) return;
    if (report.claimedBy !== viewerId && role !== 'admin') throw modErrors.notClaimed();
    await tx.update(reports).set({ claimedBy: null, claimedAt: null }).where(eq(reports.id, reportId));
  });
  return { report: presentSummary(await summaryOf(db, reportId), viewerId) };
}

/** The open report a moderator holds, checked under lock by playback and decisions. */
export async function heldReport(tx: Db, viewerId: string, reportId: string) {
  const [report] = await tx.select().from(reports).where(eq(reports.id, reportId)).for('update');
  if (!report) throw modErrors.reportNotFound();
  if (report.status !== 'open') throw modErrors.reportClosed();
  if (report.claimedBy !== viewerId) throw modErrors.notClaimed();
  return report;
}
