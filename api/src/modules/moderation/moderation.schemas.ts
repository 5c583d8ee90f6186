import { appealStatuses, decisionActions, decisionGrounds, reportCategories } from '@salon/db/schema';
import { z } from 'zod';
import { keysetCursor } from '../../http/keyset';
import { freeText } from '../reports/reports.schemas';

export const idParam = z.strictObject({ id: z.uuid() });

export const queueQuery = z.strictObject({
  status: z.enum(['open', 'decided']).default('open'),
  category: z.enum(reportCategories).optional(),
  claim: z.enum(['mine', 'unclaimed', 'any']).default('any'),
  cursor: keysetCursor('date').optional(),
});
export type QueueQuery = z.infer<typeof queueQuery>;

export const playbackBody = z.strictObject({
  recordingId: z.uuid(),
  /** Why the moderator listens; kept (bounded) in the audit log with the report id. */
  reason: freeText('reason', 5, 500),
});

export const audioQuery = z.strictObject({
  reportId: z.uuid(),
  playback: z.string().min(1).max(200),
});

/** A decision and its statement of reasons (DSA art. 17). */
export const decisionBody = z.strictObject({
  action: z.enum(decisionActions),
  facts: freeText('facts', 10, 5000),
  ground: z.enum(decisionGrounds),
  groundDetail: freeText('groundDetail', 3, 500),
  scope: freeText('scope', 3, 300),
  durationDays: z.number().int().min(1).max(365).optional(),
  /** Defaults to the reported person (for `end_room`: the room's host). */
  subjectId: z.uuid().optional(),
});
export type DecisionInput = z.infer<typeof decisionBody>;

export const appealBody = z.strictObject({ text: freeText('text', 10, 2000) });

export const appealsQuery = z.strictObject({ status: z.enum(appealStatuses).default('open') });

export const appealDecisionBody = z.strictObject({
  outcome: z.enum(['upheld', 'reversed']),
  reasons: freeText('reasons', 10, 2000),
});
