import { z } from 'zod';

/** `present()` in invites.service.ts: one invite as its sender sees it. */
export const inviteResponse = z.object({
  id: z.uuid(),
  code: z.string(),
  /** The join link to share. */
  link: z.url(),
  status: z.enum(['active', 'used', 'revoked', 'expired']),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  usedAt: z.iso.datetime().nullable(),
});

export const myInvitesResponse = z.object({
  /** How many invites a member may hold, pending or used. */
  perMember: z.number().int().min(0),
  invites: z.array(inviteResponse),
});
