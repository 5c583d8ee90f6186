import { recordingStatuses, reportCategories, reportStatuses, roomStatuses } from '@salon/db/schema';
import { z } from 'zod';
import { appealView, decisionView } from './present';

/**
 * What the moderation routes answer (queue.service.ts, appeals.service.ts, playback.service.ts).
 * Staff never see who made a report.
 */

const person = z.object({ id: z.uuid(), username: z.string(), displayName: z.string() });

/** `presentSummary()`: a report in the queue. */
export const reportSummary = z.object({
  id: z.uuid(),
  category: z.enum(reportCategories),
  /** The law named by a report of illegal content. */
  law: z.string().nullable(),
  /** The start of the description. */
  excerpt: z.string(),
  createdAt: z.iso.datetime(),
  status: z.enum(reportStatuses),
  claimedBy: z.object({ username: z.string() }).nullable(),
  claimedByMe: z.boolean(),
  target: z.object({
    room: z.object({ id: z.uuid(), topic: z.string(), status: z.enum(roomStatuses) }).nullable(),
    user: person.nullable(),
  }),
});

export const reportQueuePage = z.object({
  reports: z.array(reportSummary),
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: z.string().nullable(),
});

export const heldReportResponse = z.object({ report: reportSummary });

/** `reportDetail()`: a report with its evidence. */
export const reportCase = z.object({
  report: reportSummary.extend({
    description: z.string(),
    /** The moment of the room the report is about. */
    at: z.iso.datetime().nullable(),
    decidedAt: z.iso.datetime().nullable(),
  }),
  /** The room's own events around the reported moment, in the order they happened. */
  timeline: z.array(
    z.object({
      id: z.string(),
      at: z.iso.datetime(),
      type: z.string(),
      actor: person.nullable(),
      subject: person.nullable(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  /** The room's recordings, one per speaker track; their audio only through a playback. */
  recordings: z.array(
    z.object({
      id: z.uuid(),
      speaker: person.nullable(),
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime().nullable(),
      status: z.enum(recordingStatuses),
      overlapsMoment: z.boolean(),
    }),
  ),
  decision: decisionView.nullable(),
  /** The viewer holds this open report: they may listen. */
  canPlay: z.boolean(),
});

export const playbackStarted = z.object({
  /** The audio, for this moderator and this report only, until `expiresAt`. */
  url: z.string(),
  expiresAt: z.iso.datetime(),
});

export const decisionMade = z.object({ decision: decisionView });
export const myDecisionsResponse = z.object({ decisions: z.array(decisionView) });
export const appealResponse = z.object({ appeal: appealView });

/** `listAppeals()`: the appeals queue. */
export const appealsResponse = z.object({
  appeals: z.array(
    appealView.extend({
      decision: decisionView.extend({
        moderator: z.object({ username: z.string() }).nullable(),
        subject: z.object({ username: z.string(), displayName: z.string() }).nullable(),
        reportId: z.uuid().nullable(),
      }),
      /** Open, and not the viewer's own decision. */
      canDecide: z.boolean(),
    }),
  ),
});
