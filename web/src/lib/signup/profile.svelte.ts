import { tick } from 'svelte';
import { browserApi, callApi } from '$lib/api';
import type { Explanation } from '$lib/errors/explain';
import { USERNAME_PATTERN, usernameShapeOk } from './username';

export type UsernameState = 'idle' | 'checking' | 'available' | 'taken' | 'format' | 'reserved' | 'unknown';
type Availability = Exclude<UsernameState, 'idle' | 'checking'>;

/** What the @username field says while it is typed, before the API is asked; null when it must be. */
function usernameShape(name: string): UsernameState | null {
  if (name.length === 0) return 'idle';
  // Too short is not an error yet while typing; a wrong character is.
  if (!/^[a-z0-9_]*$/.test(name) || name.length > 30) return 'format';
  if (!usernameShapeOk(name)) return 'idle';
  return null;
}

/**
 * The profile step's data (name, @username, age) and what is known about it. The wizard keeps one
 * for the whole sign-up, so going back and forth between steps keeps what was typed.
 */
export class ProfileForm {
  displayName = $state('');
  username = $state('');
  ageConfirmed = $state(false);
  problem = $state<Explanation | null>(null);

  /** The API's last answer about a @username: it counts only while that name is in the field. */
  #answer = $state<{ username: string; availability: Availability } | null>(null);

  /** What the field says about the @username: its shape at once, then the API's answer. */
  readonly usernameState: UsernameState = $derived.by(() => {
    const shape = usernameShape(this.username);
    if (shape) return shape;
    return this.#answer?.username === this.username ? this.#answer.availability : 'checking';
  });

  /** What the API's passkey options were issued for: other values need new options. */
  readonly key = $derived(`${this.displayName.trim()}\n${this.username}`);

  /** Asks the API whether `name` is free; the answer is dropped when `signal` aborted meanwhile. */
  async checkAvailability(name: string, signal: AbortSignal): Promise<void> {
    const result = await callApi(
      browserApi().v1.auth.username[':username'].$get({ param: { username: name } }, { init: { signal } }),
    );
    if (signal.aborted) return;
    let availability: Availability;
    if (!result.ok) availability = 'unknown';
    else if (result.data.available) availability = 'available';
    else
      availability =
        result.data.reason === 'username.reserved' ? 'reserved' : result.data.reason ? 'format' : 'taken';
    this.#answer = { username: name, availability };
  }

  /** The API refused the @username at the last moment (someone took it meanwhile). */
  markTaken(): void {
    this.#answer = { username: this.username, availability: 'taken' };
  }

  /** A field's error goes away as soon as the person changes that field. */
  clearField(field: keyof Explanation['fields']): void {
    const problem = this.problem;
    if (!problem?.fields[field]) return;
    const { [field]: _cleared, ...fields } = problem.fields;
    this.problem = Object.keys(fields).length > 0 || problem.summary ? { ...problem, fields } : null;
  }

  /** What can be said without asking the API. */
  localProblem(): Explanation | null {
    const fields: Explanation['fields'] = {};
    if (this.displayName.trim().length < 2) fields.displayName = { key: 'error_display_name_too_short' };
    if (!USERNAME_PATTERN.test(this.username)) fields.username = { key: 'error_username_format' };
    else if (this.usernameState === 'taken') fields.username = { key: 'error_username_taken' };
    else if (this.usernameState === 'reserved') fields.username = { key: 'error_username_reserved' };
    if (!this.ageConfirmed) fields.ageConfirmed = { key: 'error_age_required' };
    return Object.keys(fields).length > 0 ? { fields, summary: null } : null;
  }
}

/** Puts the focus on the first field in error, or on the form's message when no field is. */
export async function focusFirstInvalid(explanation: Explanation): Promise<void> {
  await tick();
  const order = [
    ['displayName', 'signup-name'],
    ['username', 'signup-username'],
    ['ageConfirmed', 'signup-age'],
  ] as const;
  const first = order.find(([field]) => explanation.fields[field]);
  if (first) document.getElementById(first[1])?.focus();
  else document.querySelector<HTMLElement>('[data-form-error]')?.focus();
}
