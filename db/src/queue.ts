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
 *
 * Leases are short (30 s) and a heartbeat renews them while the worker holds the jobs, so the job
 * of a killed worker is taken over within 30 s rather than after the longest job could ever take.
 * The attempt number is the lease's fencing token: every claim increments it, and a worker
 * finishes, retries or renews a job only `where attempts = <its attempt> and status = 'running'`,
 * so a worker that stalled past its lease cannot overwrite the run of the one that took over.
 */
export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

export interface JobContext {
  jobId: number;
  attempt: number;
  now: Date;
  /** Aborted when another worker took the job over (this one's lease ran out): stop early. */
  signal: AbortSignal;
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
  /** Jobs taken over by another worker while this one held them: their outcome here was dropped. */
  lost: number;
}

export interface RenewReport {
  renewed: number;
  lost: number;
}

export interface QueueOptions {
  db: Db;
  clock: Clock;
  handlers: Record<string, JobHandler>;
  /** How long a claimed job is reserved before another worker may take it over, unless renewed. */
  leaseMs?: number;
  /** How often a worker renews the leases of the jobs it holds (a third of the lease by default). */
  heartbeatMs?: number;
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
  const leaseMs = options.leaseMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.floor(leaseMs / 3);
  const batchSize = options.batchSize ?? 10;
  const backoffMs = options.backoffMs ?? exponentialBackoff();
  const names = Object.keys(handlers);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  /** The jobs this worker holds now (claimed, not yet finished), with their fencing token. */
  const held = new Map<number, { attempt: number; abort: AbortController }>();

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

  /** This worker's own lease on a job: the claim that gave it `attempt` is still the latest. */
  const holds = (jobId: number, attempt: number) =>
    and(eq(jobs.id, jobId), eq(jobs.status, 'running'), eq(jobs.attempts, attempt));

  /**
   * The heartbeat: pushes back the lease of every job this worker holds. A job another worker
   * took over meanwhile is let go, and its handler's signal aborted.
   */
  async function renewLeases(now = clock.now()): Promise<RenewReport> {
    const mine = [...held];
    if (mine.length === 0) return { renewed: 0, lost: 0 };
    const renewed = await db
      .update(jobs)
      .set({ lockedUntil: new Date(now.getTime() + leaseMs) })
      .where(or(...mine.map(([id, { attempt }]) => holds(id, attempt))))
      .returning({ id: jobs.id });
    const still = new Set(renewed.map((r) => r.id));
    let lost = 0;
    for (const [id, lease] of mine) {
      if (still.has(id) || held.get(id) !== lease) continue;
      held.delete(id);
      lease.abort.abort();
      lost++;
    }
    return { renewed: renewed.length, lost };
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
    const report: RunReport = { done: 0, retried: 0, failed: 0, lost: 0 };
    const now = clock.now();
    await enqueueDueSchedules(now);
    await abandonExpiredLeases(now);
    const heartbeat = setInterval(() => {
      renewLeases().catch((error) =>
        options.onFailure?.({ jobId: 0, name: 'queue.heartbeat', attempt: 0, final: false, error }),
      );
    }, heartbeatMs);
    try {
      for (;;) {
        const batch = await claim(clock.now());
        if (batch.length === 0) return report;
        for (const job of batch) held.set(job.id, { attempt: job.attempts, abort: new AbortController() });
        for (const job of batch) await runOne(job, report);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function runOne(job: typeof jobs.$inferSelect, report: RunReport) {
    const lease = held.get(job.id);
    const handler = handlers[job.name];
    if (!lease || !handler) return;
    try {
      // Taken over while it waited behind the rest of its batch: the other worker runs it.
      if (lease.abort.signal.aborted) {
        report.lost++;
        return;
      }
      let outcome: 'done' | { error: unknown };
      try {
        await handler(job.payload, {
          jobId: job.id,
          attempt: job.attempts,
          now: clock.now(),
          signal: lease.abort.signal,
        });
        outcome = 'done';
      } catch (error) {
        outcome = { error };
      }
      const at = clock.now();
      const final = job.attempts >= job.maxAttempts;
      const finished = await db
        .update(jobs)
        .set(
          outcome === 'done'
            ? { status: 'done', lockedUntil: null, finishedAt: at, lastError: null }
            : {
                status: final ? 'failed' : 'queued',
                lockedUntil: null,
                runAt: final ? job.runAt : new Date(at.getTime() + backoffMs(job.attempts)),
                finishedAt: final ? at : null,
                lastError: errorText(outcome.error),
              },
        )
        .where(holds(job.id, job.attempts))
        .returning({ id: jobs.id });
      if (finished.length === 0) {
        // Another worker holds the job now; whatever happened here, its run is the one that counts.
        report.lost++;
        return;
      }
      if (outcome === 'done') {
        report.done++;
        return;
      }
      if (final) report.failed++;
      else report.retried++;
      options.onFailure?.({
        jobId: job.id,
        name: job.name,
        attempt: job.attempts,
        final,
        error: outcome.error,
      });
    } finally {
      if (held.get(job.id) === lease) held.delete(job.id);
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

  return { enqueue, defineSchedule, runDue, renewLeases, start, stop };
}

export type JobQueue = ReturnType<typeof createQueue>;

function errorText(error: unknown) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}
