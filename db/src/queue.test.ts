import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from './clock';
import { createQueue, type JobHandler } from './queue';
import { jobSchedules, jobs } from './schema';
import { createTestDatabase, type TestDatabase } from './testing';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});
beforeEach(async () => {
  await database.db.delete(jobs);
  await database.db.delete(jobSchedules);
});

const T0 = '2026-11-21T12:00:00.000Z';

function setup(handlers: Record<string, JobHandler>) {
  const clock = fixedClock(T0);
  const queue = createQueue({ db: database.db, clock, handlers, backoffMs: (n) => n * 10_000 });
  return { clock, queue };
}

async function statusOf(id: number) {
  const [row] = await database.db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

describe('job queue', () => {
  it('runs a due job once and records it done', async () => {
    const seen: unknown[] = [];
    const { queue } = setup({ greet: async (payload) => void seen.push(payload) });
    const job = await queue.enqueue('greet', { userId: 'u1' });
    expect(await queue.runDue()).toEqual({ done: 1, retried: 0, failed: 0, lost: 0 });
    expect(await queue.runDue()).toEqual({ done: 0, retried: 0, failed: 0, lost: 0 });
    expect(seen).toEqual([{ userId: 'u1' }]);
    expect((await statusOf(job!.id))?.status).toBe('done');
  });

  it('does not run a job before its time', async () => {
    const seen: unknown[] = [];
    const { queue, clock } = setup({ later: async (p) => void seen.push(p) });
    await queue.enqueue('later', {}, { runAt: new Date(Date.parse(T0) + 60_000) });
    await queue.runDue();
    expect(seen).toHaveLength(0);
    clock.advance(60_000);
    await queue.runDue();
    expect(seen).toHaveLength(1);
  });

  it('enqueues a job with a given dedupe key only once', async () => {
    const { queue } = setup({ once: async () => {} });
    const first = await queue.enqueue('once', {}, { dedupeKey: 'export:u1:2026-11-21' });
    const second = await queue.enqueue('once', {}, { dedupeKey: 'export:u1:2026-11-21' });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect(await database.db.select().from(jobs)).toHaveLength(1);
  });

  it('retries a failing job with back-off, then succeeds', async () => {
    let calls = 0;
    const { queue, clock } = setup({
      flaky: async () => {
        calls++;
        if (calls < 3) throw new Error('provider unavailable');
      },
    });
    const job = await queue.enqueue('flaky');
    expect(await queue.runDue()).toMatchObject({ retried: 1 });
    const afterFirst = await statusOf(job!.id);
    expect(afterFirst?.status).toBe('queued');
    expect(afterFirst?.lastError).toContain('provider unavailable');
    expect(afterFirst?.runAt.toISOString()).toBe('2026-11-21T12:00:10.000Z');

    await queue.runDue();
    expect(calls).toBe(1); // back-off not elapsed yet
    clock.advance(10_000);
    expect(await queue.runDue()).toMatchObject({ retried: 1 });
    expect((await statusOf(job!.id))?.runAt.toISOString()).toBe('2026-11-21T12:00:30.000Z');
    clock.advance(20_000);
    expect(await queue.runDue()).toMatchObject({ done: 1 });
    expect(calls).toBe(3);
    expect((await statusOf(job!.id))?.attempts).toBe(3);
  });

  it('marks a job failed after its last attempt', async () => {
    const failures: boolean[] = [];
    const clock = fixedClock(T0);
    const queue = createQueue({
      db: database.db,
      clock,
      handlers: { broken: async () => Promise.reject(new Error('always')) },
      backoffMs: () => 1000,
      onFailure: ({ final }) => failures.push(final),
    });
    const job = await queue.enqueue('broken', {}, { maxAttempts: 2 });
    await queue.runDue();
    clock.advance(1000);
    expect(await queue.runDue()).toMatchObject({ failed: 1 });
    expect((await statusOf(job!.id))?.status).toBe('failed');
    expect(failures).toEqual([false, true]);
    clock.advance(60_000);
    expect(await queue.runDue()).toEqual({ done: 0, retried: 0, failed: 0, lost: 0 });
  });

  it('takes over a job whose worker died and let its lease run out', async () => {
    const seen: number[] = [];
    const { queue } = setup({ work: async (_p, ctx) => void seen.push(ctx.attempt) });
    const [row] = await database.db
      .insert(jobs)
      .values({
        name: 'work',
        status: 'running',
        attempts: 1,
        runAt: new Date('2026-11-21T11:00:00Z'),
        lockedUntil: new Date('2026-11-21T11:05:00Z'),
        createdAt: new Date('2026-11-21T11:00:00Z'),
      })
      .returning();
    await queue.runDue();
    expect(seen).toEqual([2]);
    expect((await statusOf(row!.id))?.status).toBe('done');
  });

  it('leaves alone jobs it has no handler for', async () => {
    const { queue } = setup({ mine: async () => {} });
    const other = await queue.enqueue('someone-else');
    await queue.runDue();
    expect((await statusOf(other!.id))?.status).toBe('queued');
  });

  it('turns a recurring schedule into one job per period, collapsing missed runs', async () => {
    let runs = 0;
    const { queue, clock } = setup({ sweep: async () => void runs++ });
    await queue.defineSchedule('retention', { jobName: 'sweep', everySeconds: 60 });
    await queue.runDue();
    await queue.runDue();
    expect(runs).toBe(1);
    clock.advance(60_000);
    await queue.runDue();
    expect(runs).toBe(2);
    clock.advance(10 * 60_000); // the worker was down for ten periods
    await queue.runDue();
    expect(runs).toBe(3);
    const [schedule] = await database.db.select().from(jobSchedules);
    expect(schedule?.nextRunAt.toISOString()).toBe('2026-11-21T12:12:00.000Z');
  });

  it('gives each job to exactly one of several concurrent workers', async () => {
    const seen: number[] = [];
    const handlers = {
      count: async (_p: unknown, ctx: { jobId: number }) => {
        seen.push(ctx.jobId);
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
    };
    const clock = fixedClock(T0);
    const workers = [1, 2, 3].map(() => createQueue({ db: database.db, clock, handlers, batchSize: 3 }));
    for (let i = 0; i < 30; i++) await workers[0]!.enqueue('count', { i });
    const reports = await Promise.all(workers.map((w) => w.runDue()));
    expect(reports.reduce((sum, r) => sum + r.done, 0)).toBe(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen).toHaveLength(30);
  });

  describe('leases', () => {
    /** A handler that waits until the test lets it go, and says when it started. */
    function gate() {
      let release = () => {};
      let started = () => {};
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const handler: JobHandler = async () => {
        started();
        await released;
      };
      return { running, release, handler };
    }

    it("leases a claimed job for 30 seconds, so a dead worker's job is taken over within that", async () => {
      const clock = fixedClock(T0);
      const blocked = gate();
      const dead = createQueue({ db: database.db, clock, handlers: { work: blocked.handler } });
      const job = await dead.enqueue('work');
      const deadRun = dead.runDue(); // this worker is stuck for good: it never finishes nor renews
      await blocked.running;
      expect((await statusOf(job!.id))?.lockedUntil?.toISOString()).toBe('2026-11-21T12:00:30.000Z');

      const seen: number[] = [];
      const next = createQueue({
        db: database.db,
        clock,
        handlers: { work: async (_p, ctx) => void seen.push(ctx.attempt) },
      });
      clock.advance(29_000);
      expect(await next.runDue()).toMatchObject({ done: 0 });
      clock.advance(2_000);
      expect(await next.runDue()).toMatchObject({ done: 1 });
      expect(seen).toEqual([2]);
      blocked.release();
      expect(await deadRun).toMatchObject({ done: 0, lost: 1 });
    });

    it('keeps the lease of a job whose handler is still running, renewed by its heartbeat', async () => {
      const clock = fixedClock(T0);
      const blocked = gate();
      const slow = createQueue({ db: database.db, clock, handlers: { work: blocked.handler } });
      const job = await slow.enqueue('work');
      const run = slow.runDue();
      await blocked.running;
      const other = createQueue({ db: database.db, clock, handlers: { work: async () => {} } });
      for (let i = 0; i < 4; i++) {
        clock.advance(20_000);
        expect(await slow.renewLeases()).toEqual({ renewed: 1, lost: 0 });
        expect(await other.runDue()).toMatchObject({ done: 0 });
      }
      blocked.release();
      expect(await run).toEqual({ done: 1, retried: 0, failed: 0, lost: 0 });
      const row = await statusOf(job!.id);
      expect(row).toMatchObject({ status: 'done', attempts: 1, lockedUntil: null });
    });

    it('renews every job of the batch it holds, not only the one running', async () => {
      const clock = fixedClock(T0);
      const blocked = gate();
      const ran: number[] = [];
      const slow = createQueue({
        db: database.db,
        clock,
        handlers: {
          first: blocked.handler,
          later: async (_p, ctx) => void ran.push(ctx.jobId),
        },
      });
      await slow.enqueue('first');
      const later = await slow.enqueue('later');
      const run = slow.runDue();
      await blocked.running;
      clock.advance(20_000);
      expect(await slow.renewLeases()).toEqual({ renewed: 2, lost: 0 });
      clock.advance(20_000);
      const other = createQueue({ db: database.db, clock, handlers: { later: async () => {} } });
      expect(await other.runDue()).toMatchObject({ done: 0 });
      blocked.release();
      expect(await run).toMatchObject({ done: 2 });
      expect(ran).toEqual([later!.id]);
    });

    it('lets a slow worker that lost its lease overwrite nothing the new holder did', async () => {
      const clock = fixedClock(T0);
      const blocked = gate();
      const failing = createQueue({
        db: database.db,
        clock,
        handlers: {
          work: async (p, ctx) => {
            await blocked.handler(p, ctx);
            throw new Error('too late anyway');
          },
        },
      });
      const job = await failing.enqueue('work');
      const slowRun = failing.runDue();
      await blocked.running;
      clock.advance(31_000);
      const taker = createQueue({ db: database.db, clock, handlers: { work: async () => {} } });
      expect(await taker.runDue()).toMatchObject({ done: 1 });
      const afterTakeOver = await statusOf(job!.id);

      clock.advance(5_000);
      blocked.release();
      // The slow worker's failure would have re-queued the job: it is not its to re-queue.
      expect(await slowRun).toEqual({ done: 0, retried: 0, failed: 0, lost: 1 });
      expect(await statusOf(job!.id)).toEqual(afterTakeOver);
      expect(afterTakeOver).toMatchObject({ status: 'done', attempts: 2, lastError: null });
    });

    it("a slow worker's success does not overwrite the run of the worker that took over", async () => {
      const clock = fixedClock(T0);
      const blocked = gate();
      const slow = createQueue({ db: database.db, clock, handlers: { work: blocked.handler } });
      const job = await slow.enqueue('work');
      const slowRun = slow.runDue();
      await blocked.running;
      clock.advance(31_000);
      const stillRunning = gate();
      const taker = createQueue({ db: database.db, clock, handlers: { work: stillRunning.handler } });
      const takerRun = taker.runDue();
      await stillRunning.running;

      blocked.release();
      expect(await slowRun).toMatchObject({ done: 0, lost: 1 });
      expect(await statusOf(job!.id)).toMatchObject({ status: 'running', attempts: 2 });
      // It let go of the job: its heartbeat no longer touches the new holder's lease.
      expect(await slow.renewLeases()).toEqual({ renewed: 0, lost: 0 });
      expect(await statusOf(job!.id)).toMatchObject({ lockedUntil: new Date('2026-11-21T12:01:01.000Z') });
      stillRunning.release();
      expect(await takerRun).toMatchObject({ done: 1 });
    });

    it('tells a handler whose lease was taken over to stop, through its abort signal', async () => {
      const clock = fixedClock(T0);
      const blocked = gate();
      let signal: AbortSignal | undefined;
      const slow = createQueue({
        db: database.db,
        clock,
        handlers: {
          work: async (p, ctx) => {
            signal = ctx.signal;
            await blocked.handler(p, ctx);
          },
        },
      });
      await slow.enqueue('work');
      const slowRun = slow.runDue();
      await blocked.running;
      clock.advance(31_000);
      const taker = createQueue({ db: database.db, clock, handlers: { work: async () => {} } });
      await taker.runDue();
      expect(signal?.aborted).toBe(false);
      expect(await slow.renewLeases()).toEqual({ renewed: 0, lost: 1 });
      expect(signal?.aborted).toBe(true);
      blocked.release();
      expect(await slowRun).toMatchObject({ lost: 1 });
    });
  });
});
