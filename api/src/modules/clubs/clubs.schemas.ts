import { clubJoinPolicies, clubRoomVisibilities } from '@salon/db/schema';
import { z } from 'zod';
import { patchBody } from '../../http/patch';

const RESERVED_SLUGS = new Set(['new', 'admin', 'salon', 'settings', 'search', 'me']);

export const clubSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/, { message: 'club.slug_format' })
  .refine((s) => !RESERVED_SLUGS.has(s), { message: 'club.slug_reserved' });

const clean = (max: number, code: string) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max, { message: code }));

const name = z
  .string()
  .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(2, { message: 'club.name_too_short' }).max(60, { message: 'club.name_too_long' }));

export const createClubBody = z.strictObject({
  name,
  slug: clubSlug,
  description: clean(500, 'club.description_too_long').default(''),
  rules: clean(2000, 'club.rules_too_long').default(''),
  joinPolicy: z.enum(clubJoinPolicies).default('approval'),
  roomVisibility: z.enum(clubRoomVisibilities).default('members'),
});

export const updateClubBody = patchBody({
  name: name.optional(),
  description: clean(500, 'club.description_too_long').optional(),
  rules: clean(2000, 'club.rules_too_long').optional(),
  joinPolicy: z.enum(clubJoinPolicies).optional(),
  roomVisibility: z.enum(clubRoomVisibilities).optional(),
});

export const memberUpdateBody = patchBody({
  role: z.enum(['admin', 'leader', 'member']).optional(),
  /** `active` approves a pending request. */
  status: z.literal('active').optional(),
});
