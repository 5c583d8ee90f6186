import { describe, expect, it } from 'vitest';
import { classifyCeremonyError } from './ceremony';

function domError(name: string, message = 'x'): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The shape @simplewebauthn/browser throws: the DOMException's name plus its own code. */
function webAuthnError(name: string, code: string): Error {
  return Object.assign(domError(name), { code });
}

describe('classifyCeremonyError', () => {
  it('treats a closed or timed-out prompt as a cancellation, not a failure', () => {
    expect(classifyCeremonyError(domError('NotAllowedError'))).toBe('cancelled');
    expect(classifyCeremonyError(webAuthnError('AbortError', 'ERROR_CEREMONY_ABORTED'))).toBe('cancelled');
    expect(classifyCeremonyError({ name: 'NotAllowedError' })).toBe('cancelled');
  });

  it('recognises an authenticator that already holds a passkey for this account', () => {
    expect(
      classifyCeremonyError(webAuthnError('InvalidStateError', 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')),
    ).toBe('already_registered');
  });

  it('recognises a browser or address that cannot use passkeys', () => {
    expect(classifyCeremonyError(domError('NotSupportedError'))).toBe('unsupported');
    expect(classifyCeremonyError(webAuthnError('SecurityError', 'ERROR_INVALID_DOMAIN'))).toBe('unsupported');
    expect(classifyCeremonyError(new Error('WebAuthn is not supported in this browser'))).toBe('unsupported');
    expect(classifyCeremonyError(new Error('Browser does not support WebAuthn autofill'))).toBe(
      'unsupported',
    );
  });

  it('calls anything else a failure', () => {
    expect(classifyCeremonyError(domError('UnknownError'))).toBe('failed');
    expect(classifyCeremonyError('boom')).toBe('failed');
    expect(classifyCeremonyError(null)).toBe('failed');
  });
});
