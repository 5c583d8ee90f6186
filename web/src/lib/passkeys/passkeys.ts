import {
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import type { InferRequestType } from 'hono/client';
import type { ApiClient } from '$lib/api';
import { type ApiFailure, browserApi, callApi } from '$lib/api';
import type { CreationOptions } from '$lib/types';

type CredentialJson = InferRequestType<
  ApiClient['v1']['auth']['passkeys']['register']['verify']['$post']
>['json']['response'];

import { type CeremonyProblem, classifyCeremonyError } from './ceremony';

/** How a passkey ceremony ended: done, stopped in the browser's prompt, or refused by the API. */
export type CeremonyResult<T> =
  | { ok: true; data: T }
  | { ok: false; problem: CeremonyProblem }
  | { ok: false; failure: ApiFailure };

/**
 * Asks the browser to create a passkey from the API's creation options, then has the API
 * verify it (sign-up, recovery or an added passkey: the options say which).
 */
export async function createPasskey(
  options: CreationOptions,
): Promise<CeremonyResult<{ userId: string; purpose: 'signup' | 'add' | 'recover' }>> {
  let response: Awaited<ReturnType<typeof startRegistration>>;
  try {
    // The server library's JSON type and the browser library's describe the same JSON;
    // they differ only in how TypeScript spells binary extension inputs, which we never send.
    const optionsJSON = options as unknown as PublicKeyCredentialCreationOptionsJSON;
    response = await startRegistration({ optionsJSON });
  } catch (error) {
    return { ok: false, problem: classifyCeremonyError(error) };
  }
  const verified = await callApi(
    browserApi().v1.auth.passkeys.register.verify.$post({ json: { response: asJson(response) } }),
  );
  return verified.ok ? verified : { ok: false, failure: verified.error };
}

/** Discoverable sign-in: no username is typed, the authenticator offers the passkeys it holds. */
export async function signInWithPasskey(): Promise<CeremonyResult<{ userId: string }>> {
  const api = browserApi();
  const options = await callApi(api.v1.auth.passkeys.login.options.$post());
  if (!options.ok) return { ok: false, failure: options.error };
  let response: Awaited<ReturnType<typeof startAuthentication>>;
  try {
    response = await startAuthentication({
      optionsJSON: options.data as unknown as PublicKeyCredentialRequestOptionsJSON,
    });
  } catch (error) {
    return { ok: false, problem: classifyCeremonyError(error) };
  }
  const verified = await callApi(
    api.v1.auth.passkeys.login.verify.$post({ json: { response: asJson(response) } }),
  );
  return verified.ok ? verified : { ok: false, failure: verified.error };
}

/**
 * The browser library's response as the plain JSON object the API validates (its types are
 * interfaces, which TypeScript will not match against the API's open object schema).
 */
function asJson(credential: RegistrationResponseJSON | AuthenticationResponseJSON): CredentialJson {
  return {
    ...credential,
    response: { ...credential.response },
    clientExtensionResults: { ...credential.clientExtensionResults },
  };
}
