import { exportStatuses } from '@salon/db/schema';
import { z } from 'zod';

/** `exportStatus()`: one data export and where it stands. */
export const exportState = z.object({
  id: z.uuid(),
  status: z.enum(exportStatuses),
  requestedAt: z.iso.datetime(),
  readyAt: z.iso.datetime().nullable(),
  /** The archive can be downloaded until then. */
  expiresAt: z.iso.datetime().nullable(),
  sizeBytes: z.number().int().min(0).nullable(),
});

export const exportRequested = z.object({ exportId: z.uuid() });
