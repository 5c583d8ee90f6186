import { staffRoles } from '@salon/db/schema';
import { z } from 'zod';
import { notificationSettings } from '../notifications/settings';
import { publicProfileResponse } from '../people/people.responses';
import { exportState } from '../rights/export.responses';

/** `getMe()`: my public profile, and what only I see of my account. */
export const meResponse = publicProfileResponse.extend({
  locale: z.enum(['fr', 'en']),
  notificationSettings,
  /** Someone started a recovery of this account with its phone number; a signed-in device can cancel it. */
  recoveryPending: z.object({ availableAt: z.iso.datetime() }).nullable(),
  lastExport: exportState.nullable(),
  /** Salon's moderation team only: the /mod console. */
  staff: z.enum(staffRoles).nullable(),
  /** A suspension (with its end) or a ban: the member may then only read decisions, appeal and use their rights. */
  restriction: z
    .discriminatedUnion('status', [
      z.object({ status: z.literal('suspended'), until: z.iso.datetime().nullable() }),
      z.object({ status: z.literal('banned'), until: z.null() }),
    ])
    .nullable(),
  /** The account waits for erasure: when it happens. */
  deletion: z.object({ erasureAt: z.iso.datetime() }).nullable(),
});

export const sessionsResponse = z.object({
  sessions: z.array(
    z.object({
      id: z.uuid(),
      /** The device and browser, in words ("Firefox on Android"). */
      label: z.string(),
      createdAt: z.iso.datetime(),
      lastSeenAt: z.iso.datetime(),
      current: z.boolean(),
    }),
  ),
});

export const passkeysResponse = z.object({
  passkeys: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      backedUp: z.boolean(),
      createdAt: z.iso.datetime(),
      lastUsedAt: z.iso.datetime().nullable(),
    }),
  ),
});

export const deletionRequested = z.object({ erasureAt: z.iso.datetime() });
