import { decisionActions, reportCategories, reportStatuses } from '@salon/db/schema';
import { z } from 'zod';

/** `createReport()`: the report is filed; moderators take it from the queue. */
export const reportCreated = z.object({
  report: z.object({ id: z.uuid(), status: z.enum(reportStatuses), createdAt: z.iso.datetime() }),
});

/** `myReports()`: the reports a member made, newest first, with the outcome once decided. */
export const myReportsResponse = z.object({
  reports: z.array(
    z.object({
      id: z.uuid(),
      category: z.enum(reportCategories),
      createdAt: z.iso.datetime(),
      status: z.enum(reportStatuses),
      /** What was reported: a room, a person, or a person in a room (either may be gone). */
      target: z.object({
        room: z.object({ id: z.uuid(), topic: z.string() }).nullable(),
        user: z.object({ username: z.string(), displayName: z.string() }).nullable(),
      }),
      outcome: z
        .object({
          action: z.enum(decisionActions),
          decidedAt: z.iso.datetime(),
          /** The person decided about appealed and another moderator reversed the decision. */
          reversedOnAppeal: z.boolean(),
        })
        .nullable(),
    }),
  ),
});
