import { createQueue } from '@salon/db';
import type { AppDeps } from '../http/app-env';
import { writeCheckpoint } from '../modules/audit/audit.checkpoints';
import { eraseAccount } from '../modules/me/deletion.service';
import { fanOutRoomNews } from '../modules/notifications/fanout';
import { buildExport } from '../modules/rights/export.service';
import { REMINDER_JOB, type ReminderJob, sendReminders } from '../modules/rooms/reminders.service';
import { endIfEmpty } from '../modules/rooms/rooms.service';
import { sweepRetention } from './retention';

/** The shortest retention period in policies/data-map.yaml is 15 minutes (phone checks). */
const RETENTION_EVERY_SECONDS = 5 * 60;
/** A signed checkpoint of the audit log's end, written outside the database (if anything is new). */
const AUDIT_CHECKPOINT_EVERY_SECONDS = 60 * 60;

/** The background worker: every job handler the product has is registered here. */
export function createJobs(
  deps: Pick<
    AppDeps,
    'database' | 'clock' | 'logger' | 'config' | 'livekit' | 'crypto' | 'secrets' | 'dataMap'
  >,
) {
  const { database, clock, logger } = deps;
  const queue = createQueue({
    db: database.db,
    clock,
    handlers: {
      'retention.sweep': async (_payload, { now }) => {
        await sweepRetention(deps, now);
      },
      'audit.checkpoint': async (_payload, { now }) => {
        const checkpoint = await writeCheckpoint(deps, now);
        if (checkpoint)
          logger.info({ job: 'audit.checkpoint', lastId: checkpoint.lastId }, 'audit checkpoint signed');
      },
      'notifications.fanout': async (payload) => {
        const delivered = await fanOutRoomNews(deps, payload as Parameters<typeof fanOutRoomNews>[1]);
        logger.info({ job: 'notifications.fanout', delivered }, 'room news delivered');
      },
      'exports.build': async (payload) => {
        const { exportId } = payload as { exportId: string };
        if (await buildExport(deps, exportId))
          logger.info({ job: 'exports.build', exportId }, 'export ready');
      },
      'accounts.erase': async (payload) => {
        const { userId, requestedAt } = payload as { userId: string; requestedAt: string };
        if (await eraseAccount(deps, userId, requestedAt))
          logger.info({ job: 'accounts.erase', userId }, 'account erased');
      },
      'rooms.end_if_empty': async (payload) => {
        const { roomId } = payload as { roomId: string };
        if (await endIfEmpty(deps, roomId))
          logger.info({ job: 'rooms.end_if_empty', roomId }, 'empty room ended');
      },
      [REMINDER_JOB]: async (payload) => {
        const job = payload as ReminderJob;
        const delivered = await sendReminders(deps, job);
        logger.info({ job: REMINDER_JOB, roomId: job.roomId, delivered }, 'room reminders sent');
      },
    },
    onFailure: ({ jobId, name, attempt, final, error }) =>
      logger.warn({ jobId, job: name, attempt, final, err: error }, 'job failed'),
  });

  return {
    queue,
    async start(pollMs?: number) {
      await queue.defineSchedule('retention.sweep', {
        jobName: 'retention.sweep',
        everySeconds: RETENTION_EVERY_SECONDS,
      });
      await queue.defineSchedule('audit.checkpoint', {
        jobName: 'audit.checkpoint',
        everySeconds: AUDIT_CHECKPOINT_EVERY_SECONDS,
      });
      queue.start(pollMs);
    },
    stop: () => queue.stop(),
  };
}
