import { z } from 'zod';

const RESERVED_USERNAMES = new Set([
  'about',
  'abuse',
  'admin',
  'administrator',
  'anonymous',
  'api',
  'app',
  'auth',
  'club',
  'clubs',
  'contact',
  'dpo',
  'everyone',
  'help',
  'here',
  'hallway',
  'invite',
  'invites',
  'join',
  'legal',
  'login',
  'logout',
  'me',
  'mod',
  'moderation',
  'moderator',
  'notifications',
  'null',
  'official',
  'privacy',
  'root',
  'room',
  'rooms',
  'salon',
  'search',
  'security',
  'settings',
  'signup',
  'staff',
  'support',
  'system',
  'terms',
  'undefined',
  'user',
  'users',
  'www',
]);

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{3,30}$/, { message: 'username.format' })
  .refine((value) => !RESERVED_USERNAMES.has(value), { message: 'username.reserved' });

/**
 * A real name as people write it: letters from any script, spaces, apostrophes, hyphens, dots.
 * No digits, handles or links, which is what pseudonyms and spam tend to need.
 */
export const displayName = z
  .string()
  .transform((value) => value.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(2, { message: 'displayName.too_short' })
      .max(50, { message: 'displayName.too_long' })
      .regex(/^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u, { message: 'displayName.format' }),
  );

export const locale = z.enum(['fr', 'en']);

const challengeId = z.uuid();
const ticket = z.string().min(20).max(64);

export const otpStartBody = z.strictObject({
  phone: z.string().min(3).max(32),
  /** The country selected next to the field, used when the number has no +prefix. */
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .default('FR'),
  locale: locale.default('fr'),
});

export const otpVerifyBody = z.strictObject({
  challengeId,
  code: z.string().regex(/^\d{6}$/, { message: 'otp.code_format' }),
});

export const signupBody = z.strictObject({
  ticket,
  inviteCode: z.string().trim().toUpperCase().min(4).max(32),
  displayName,
  username,
  ageConfirmed: z.literal(true, { message: 'signup.age_required' }),
  locale: locale.default('fr'),
});

export const recoveryBody = z.strictObject({ ticket });

/** A WebAuthn response as @simplewebauthn/browser serialises it; verified field by field by the library. */
const webauthnJson = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: z.string().min(1).max(4096) }),
  clientExtensionResults: z.looseObject({}).default({}),
});

export const registrationBody = z.strictObject({ response: webauthnJson });
export const authenticationBody = z.strictObject({ response: webauthnJson });
