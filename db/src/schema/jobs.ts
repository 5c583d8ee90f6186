import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const jobStatus = ['queued', 'running', 'done', 'failed'] as const;
export type JobStatus = (typeof jobStatus)[number];

/** Background work (exports, erasures, retention sweeps). Payloads hold pseudonymous ids only. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull().default({}),
    status: text('status', { enum: jobStatus }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    dedupeKey: text('dedupe_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_due_idx').on(t.status, t.runAt),
    uniqueIndex('jobs_dedupe_key_idx').on(t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
  ],
);

/** Recurring work: each due schedule enqueues one job, keyed so two workers cannot enqueue it twice. */
export const jobSchedules = pgTable('job_schedules', {
  name: text('name').primaryKey(),
  jobName: text('job_name').notNull(),
  everySeconds: integer('every_seconds').notNull(),
  payload: jsonb('payload').notNull().default({}),
  nextRunAt: timestamp('next_run_at', { withTimezone: true }).notNull(),
});
