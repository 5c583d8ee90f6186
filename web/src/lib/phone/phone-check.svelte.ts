import { browserApi, callApi, devSmsCode } from '$lib/api';
import { type Explanation, explainFailure } from '$lib/errors/explain';
import { Countdown } from '$lib/format/countdown.svelte';
import { getLocale } from '$lib/paraglide/runtime';
import { type CountryCode, DEFAULT_COUNTRY, phoneKey } from './countries';

/**
 * One phone check (SMS code), shared by sign-up and recovery: what was typed, the challenge the
 * API opened, the resend countdown and the ticket a correct code earns. Going back and forth
 * keeps all of it; changing the number makes the code and ticket count for nothing.
 */
export class PhoneCheck {
  country = $state<CountryCode>(DEFAULT_COUNTRY);
  phone = $state('');
  code = $state('');

  /** Errors of the last send (phone step) and of the last check (code step). */
  sendProblem = $state<Explanation | null>(null);
  codeProblem = $state<Explanation | null>(null);
  sending = $state(false);
  verifying = $state(false);
  /** Development only: the code the SMS outbox "sent", when the API tells. */
  devCode = $state<string | null>(null);
  /** Set when a new code was sent from the code step, for a polite confirmation. */
  resent = $state(false);

  ticket = $state<string | null>(null);
  accountExists = $state(false);

  readonly resendTimer = new Countdown();

  #challengeId = $state<string | null>(null);
  #sentFor = $state<string | null>(null);
  #verifiedFor = $state<string | null>(null);

  readonly #key = $derived(phoneKey(this.country, this.phone));
  /** A code was sent to the number now in the field. */
  readonly codeSent = $derived(this.#challengeId !== null && this.#sentFor === this.#key);
  /** The number now in the field is confirmed and its ticket is held. */
  readonly verified = $derived(this.ticket !== null && this.#verifiedFor === this.#key);

  /**
   * The phone step's "Continue". Sends a code unless one was already sent to this very number
   * (the person came back without changing it). True when the code step can be shown.
   */
  async send(): Promise<boolean> {
    this.sendProblem = null;
    if (this.verified || this.codeSent) return true;
    return this.#start('phone');
  }

  /** "Send a new code" on the code step. */
  async resend(): Promise<void> {
    this.codeProblem = null;
    this.resent = false;
    if (await this.#start('code')) {
      this.resent = true;
      this.code = '';
    }
  }

  async #start(from: 'phone' | 'code'): Promise<boolean> {
    if (this.sending) return false;
    this.sending = true;
    try {
      const result = await callApi(
        browserApi().v1.auth.otp.start.$post({
          json: { phone: this.phone.trim(), country: this.country, locale: getLocale() },
        }),
      );
      if (!result.ok) {
        const explanation = explainFailure(result.error);
        if (result.error.code === 'otp.cooldown' && result.error.retryAfterSeconds !== null) {
          this.resendTimer.start(result.error.retryAfterSeconds);
        }
        if (from === 'phone') this.sendProblem = explanation;
        else this.codeProblem = explanation;
        return false;
      }
      this.#challengeId = result.data.challengeId;
      this.#sentFor = this.#key;
      this.ticket = null;
      this.#verifiedFor = null;
      this.accountExists = false;
      this.codeProblem = null;
      this.resendTimer.start(result.data.retryAfterSeconds);
      this.devCode = await devSmsCode(fetch, result.data.challengeId);
      return true;
    } finally {
      this.sending = false;
    }
  }

  /** The code step's "Confirm". True when the number is confirmed. */
  async verify(): Promise<boolean> {
    const challengeId = this.#challengeId;
    if (this.verifying || !challengeId) return false;
    this.codeProblem = null;
    this.resent = false;
    const code = this.code.replace(/\D/g, '');
    if (code.length !== 6) {
      this.codeProblem = { fields: { code: { key: 'error_otp_code_format' } }, summary: null };
      return false;
    }
    this.verifying = true;
    try {
      const result = await callApi(browserApi().v1.auth.otp.verify.$post({ json: { challengeId, code } }));
      if (!result.ok) {
        this.codeProblem = explainFailure(result.error);
        return false;
      }
      this.ticket = result.data.ticket;
      this.accountExists = result.data.accountExists;
      this.#verifiedFor = this.#sentFor;
      return true;
    } finally {
      this.verifying = false;
    }
  }

  /** The API said the ticket is spent or expired: the number has to be checked again. */
  forgetTicket(): void {
    this.ticket = null;
    this.#verifiedFor = null;
    this.#challengeId = null;
    this.#sentFor = null;
    this.code = '';
    this.devCode = null;
  }

  dispose(): void {
    this.resendTimer.stop();
  }
}
