/**
 * What went wrong in the browser's passkey prompt, in terms a page can act on. The browser
 * (and @simplewebauthn/browser's WebAuthnError, which keeps the DOMException's name) reports:
 * - NotAllowedError: the person closed the prompt, it timed out, or the page lost focus;
 * - InvalidStateError on creation: this authenticator already holds a passkey for the account;
 * - NotSupportedError / SecurityError / no API at all: this browser or address cannot do it.
 */
export type CeremonyProblem = 'cancelled' | 'already_registered' | 'unsupported' | 'failed';

export function classifyCeremonyError(error: unknown): CeremonyProblem {
  const name = error instanceof Error || isNamed(error) ? error.name : '';
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : '';
  if (name === 'NotAllowedError' || name === 'AbortError' || code === 'ERROR_CEREMONY_ABORTED') {
    return 'cancelled';
  }
  if (name === 'InvalidStateError' || code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') {
    return 'already_registered';
  }
  if (
    name === 'NotSupportedError' ||
    name === 'SecurityError' ||
    code === 'ERROR_INVALID_DOMAIN' ||
    code === 'ERROR_INVALID_RP_ID' ||
    code === 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT' ||
    code === 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT' ||
    (error instanceof Error && /WebAuthn is not supported|does not support WebAuthn/i.test(error.message))
  ) {
    return 'unsupported';
  }
  return 'failed';
}

function isNamed(value: unknown): value is { name: string } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string'
  );
}
