import { and, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
import type { Clock } from './clock';
import type { Db } from './index';
import { jobSchedules, jobs } from './schema';

/**
 * A small Postgres job queue that runs the same on PGlite and on PostgreSQL.
 *
 * Delivery is at least once: a worker that dies mid-job loses its lease and the job runs again,
 * so every handler must be idempotent. A `dedupeKey` makes enqueueing idempotent as well.
 * Workers claim jobs with `FOR UPDATE SKIP LOCKED`, so several API instances can share the table.
 */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export interface JobContext {
  jobId: number;
  attempt: number;
  now: Date;
}

export interface EnqueueOptions {
  runAt?: Date;
  dedupeKey?: string;
  maxAttempts?: number;
}

export interface ScheduleOptions {
  jobName: string;
  everySeconds: number;
  payload?: Record<string, unknown>;
  firstRunAt?: Date;
}

export interface RunReport {
  done: number;
  retried: number;
  failed: number;
}

export interface QueueOptions {
  db: Db;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  /** How long a claimed job is reserved before another worker may take it over. */
  leaseMs?: number;
  batchSize?: number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
  onFailure?: (info: {
    jobId: number;
    name: string;
    attempt: number;
    final: boolean;
    error: unknown;
  }) => void;
}

const MAX_ERROR_LENGTH = 500;

/**
 * Adds a job; pass a transaction as `db` to enqueue atomically with the change that calls for it.
 * Returns null when a job with the same dedupe key already exists.
 */
export async function enqueueJob(
  db: Db,
  now: Date,
  name: string,
  payload: Record<string, unknown> = {},
  opts: EnqueueOptions = {},
) {
  const rows = await db
    .insert(jobs)
    .values({
      name,
      payload,
      runAt: opts.runAt ?? now,
      maxAttempts: opts.maxAttempts ?? 5,
      dedupeKey: opts.dedupeKey ?? null,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: jobs.id });
  return rows[0] ?? null;
}

export function exponentialBackoff(baseMs = 10_000, maxMs = 3_600_000) {
  return (attempt: number) => Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
}

export function createQueue(options: QueueOptions) {
  const { db, clock, handlers } = options;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const batchSize = options.batchSize ?? 10;
  const backoffMs = options.backoffMs ?? exponentialBackoff();
  const names = Object.keys(handlers);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  const enqueue = (name: string, payload: Record<string, unknown> = {}, opts: EnqueueOptions = {}) =>
    enqueueJob(db, clock.now(), name, payload, opts);

  async function defineSchedule(name: string, schedule: ScheduleOptions) {
    await db
      .insert(jobSchedules)
      .values({
        name,
        jobName: schedule.jobName,
        everySeconds: schedule.everySeconds,
        payload: schedule.payload ?? {},
        nextRunAt: schedule.firstRunAt ?? clock.now(),
      })
      .onConflictDoUpdate({
        target: jobSchedules.name,
        set: {
          jobName: schedule.jobName,
          everySeconds: schedule.everySeconds,
          payload: schedule.payload ?? {},
        },
      });
  }

  /** Turns every due schedule into one job; missed runs collapse into one. */
  async function enqueueDueSchedules(now: Date) {
    await db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(jobSchedules)
        .where(lte(jobSchedules.nextRunAt, now))
        .for('update', { skipLocked: true });
      for (const schedule of due) {
        const periodMs = schedule.everySeconds * 1000;
        const missed = Math.floor((now.getTime() - schedule.nextRunAt.getTime()) / periodMs);
        await tx
          .insert(jobs)
          .values({
            name: schedule.jobName,
            payload: schedule.payload,
            runAt: now,
            maxAttempts: 5,
            dedupeKey: `schedule:${schedule.name}:${schedule.nextRunAt.toISOString()}`,
            createdAt: now,
          })
          .onConflictDoNothing();
        await tx
          .update(jobSchedules)
          .set({ nextRunAt: new Date(schedule.nextRunAt.getTime() + (missed + 1) * periodMs) })
          .where(eq(jobSchedules.name, schedule.name));
      }
    });
  }

  async function claim(now: Date) {
    if (names.length === 0) return [];
    const due = or(
      and(eq(jobs.status, 'queued'), lte(jobs.runAt, now)),
      // A lease that ran out means the worker died; the job is taken over while attempts remain.
      and(eq(jobs.status, 'running'), lt(jobs.lockedUntil, now), lt(jobs.attempts, jobs.maxAttempts)),
    );
    const ids = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(inArray(jobs.name, names), due))
      .orderBy(jobs.runAt, jobs.id)
      .limit(batchSize)
      .for('update', { skipLocked: true });
    return db
      .update(jobs)
      .set({
        status: 'running',
        attempts: sql`${jobs.attempts} + 1`,
        lockedUntil: new Date(now.getTime() + leaseMs),
      })
      .where(inArray(jobs.id, ids))
      .returning();
  }

  async function abandonExpiredLeases(now: Date) {
    await db
      .update(jobs)
      .set({ status: 'failed', lastError: 'lease expired after the last attempt', finishedAt: now })
      .where(
        and(
          eq(jobs.status, 'running'),
          lt(jobs.lockedUntil, now),
          sql`${jobs.attempts} >= ${jobs.maxAttempts}`,
        ),
      );
  }

  /** Runs everything that is due now, batch after batch, and reports what happened. */
  async function runDue(): Promise<RunReport> {
    const report: RunReport = { done: 0, retried: 0, failed: 0 };
    const now = clock.now();
    await enqueueDueSchedules(now);
    await abandonExpiredLeases(now);
    for (;;) {
      const batch = await claim(clock.now());
      if (batch.length === 0) return report;
      for (const job of batch) {
        const handler = handlers[job.name];
        if (!handler) continue;
        try {
          await handler(job.payload, { jobId: job.id, attempt: job.attempts, now: clock.now() });
          await db
            .update(jobs)
            .set({ status: 'done', lockedUntil: null, finishedAt: clock.now(), lastError: null })
            .where(eq(jobs.id, job.id));
          report.done++;
        } catch (error) {
          const final = job.attempts >= job.maxAttempts;
          const at = clock.now();
          await db
            .update(jobs)
            .set({
              status: final ? 'failed' : 'queued',
              lockedUntil: null,
              runAt: final ? job.runAt : new Date(at.getTime() + backoffMs(job.attempts)),
              finishedAt: final ? at : null,
              lastError: errorText(error),
            })
            .where(eq(jobs.id, job.id));
          if (final) report.failed++;
          else report.retried++;
          options.onFailure?.({ jobId: job.id, name: job.name, attempt: job.attempts, final, error });
        }
      }
    }
  }

  function start(pollMs = 1000) {
    if (!stopped) return;
    stopped = false;
    const tick = async () => {
      running = runDue().catch((error) =>
        options.onFailure?.({ jobId: 0, name: 'queue.poll', attempt: 0, final: false, error }),
      );
      await running;
      if (!stopped) timer = setTimeout(tick, pollMs);
    };
    timer = setTimeout(tick, 0);
  }

  async function stop() {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  }

  return { enqueue, defineSchedule, runDue, start, stop };
}

export type JobQueue = ReturnType<typeof createQueue>;

function errorText(error: unknown) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}
