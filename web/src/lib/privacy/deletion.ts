import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
} from '@simplewebauthn/browser';
import { type ApiFailure, browserApi, callApi } from '$lib/api';
import { type CeremonyProblem, classifyCeremonyError } from '$lib/passkeys/ceremony';

export type DeletionResult =
  | { ok: true; erasureAt: string }
  | { ok: false; problem: CeremonyProblem }
  | { ok: false; failure: ApiFailure };

/**
 * Deletes the signed-in account (GDPR art. 17) after a fresh passkey assertion: the API asks
 * for proof that the person at the keyboard holds a passkey of this very account, not just
 * its session cookie. `immediate` skips the grace period.
 */
export async function confirmDeletion(immediate: boolean): Promise<DeletionResult> {
  const api = browserApi();
  const options = await callApi(api.v1.auth.passkeys.login.options.$post());
  if (!options.ok) return { ok: false, failure: options.error };
  let credential: AuthenticationResponseJSON;
  try {
    credential = await startAuthentication({
      optionsJSON: options.data as unknown as PublicKeyCredentialRequestOptionsJSON,
    });
  } catch (error) {
    return { ok: false, problem: classifyCeremonyError(error) };
  }
  const response = {
    ...credential,
    response: { ...credential.response },
    clientExtensionResults: { ...credential.clientExtensionResults },
  };
  const deleted = await callApi(api.v1.me.$delete({ json: { response, immediate } }));
  return deleted.ok ? { ok: true, erasureAt: deleted.data.erasureAt } : { ok: false, failure: deleted.error };
}

/** Cancels a pending deletion during the grace period. */
export function cancelDeletion() {
  return callApi(browserApi().v1.me.deletion.cancel.$post());
}
