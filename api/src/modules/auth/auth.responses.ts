import { z } from 'zod';

/**
 * What the sign-up, sign-in and recovery routes answer. The WebAuthn options are the W3C JSON
 * forms (PublicKeyCredentialCreationOptionsJSON, …RequestOptionsJSON) that @simplewebauthn makes;
 * they stay open to the fields a newer version of the standard adds.
 */

const base64url = z.string().meta({ description: 'base64url' });
const transports = z.array(z.string());

/** Options for navigator.credentials.create(): a new passkey. */
export const creationOptions = z
  .object({
    rp: z.object({ name: z.string(), id: z.string().optional() }),
    user: z.object({ id: base64url, name: z.string(), displayName: z.string() }),
    challenge: base64url,
    pubKeyCredParams: z.array(z.object({ alg: z.number().int(), type: z.literal('public-key') })),
    timeout: z.number().int().optional(),
    excludeCredentials: z
      .array(z.object({ id: base64url, type: z.literal('public-key'), transports: transports.optional() }))
      .optional(),
    authenticatorSelection: z.object({}).catchall(z.unknown()).optional(),
    hints: z.array(z.string()).optional(),
    attestation: z.string().optional(),
    attestationFormats: z.array(z.string()).optional(),
    extensions: z.object({}).catchall(z.unknown()).optional(),
  })
  .catchall(z.unknown());

/** Options for navigator.credentials.get(): a sign-in with any passkey of this Salon. */
export const requestOptions = z
  .object({
    challenge: base64url,
    timeout: z.number().int().optional(),
    rpId: z.string().optional(),
    allowCredentials: z
      .array(z.object({ id: base64url, type: z.literal('public-key'), transports: transports.optional() }))
      .optional(),
    userVerification: z.string().optional(),
    hints: z.array(z.string()).optional(),
    extensions: z.object({}).catchall(z.unknown()).optional(),
  })
  .catchall(z.unknown());

export const otpStarted = z.object({
  challengeId: z.uuid(),
  retryAfterSeconds: z.number().int().min(0).meta({ description: 'Before a new code may be asked' }),
});

export const otpVerified = z.object({
  ticket: z.string().meta({ description: 'Single use, for sign-up or recovery' }),
  accountExists: z.boolean(),
});

export const usernameCheck = z.object({
  available: z.boolean(),
  /** Why a name that is not free cannot be had: its shape or a reserved name; null when merely taken. */
  reason: z.string().nullable(),
});

export const recoveryStarted = z.discriminatedUnion('status', [
  z.object({ status: z.literal('waiting'), availableAt: z.iso.datetime() }),
  z.object({ status: z.literal('ready'), options: creationOptions }),
]);

export const registered = z.object({
  userId: z.uuid(),
  purpose: z.enum(['signup', 'add', 'recover']),
});

export const signedIn = z.object({
  userId: z.uuid(),
  pendingDeletion: z
    .boolean()
    .meta({ description: 'The account waits for erasure; signing in lets one cancel it' }),
});
