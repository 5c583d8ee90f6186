import type { MessageRef } from '$lib/errors/explain';
import { translate } from '$lib/errors/translate';
import { m } from '$lib/paraglide/messages';
import type { ModMessage } from './errors';
import type { FormProblem } from './form';

type Render = (inputs: Record<string, string | number>) => string;

/** The compiled form messages, one by one: the type check fails if one is missing. */
const FORM = {
  mod_error_too_short: m.mod_error_too_short,
  mod_error_too_long: m.mod_error_too_long,
  mod_error_category_required: m.mod_error_category_required,
  mod_error_law_required: m.mod_error_law_required,
  mod_error_action_required: m.mod_error_action_required,
  mod_error_ground_required: m.mod_error_ground_required,
  mod_error_duration_range: m.mod_error_duration_range,
  mod_error_outcome_required: m.mod_error_outcome_required,
  mod_error_username_format: m.mod_error_username_format,
  mod_error_at_invalid: m.mod_error_at_invalid,
} satisfies Record<FormProblem['key'], unknown>;

const RENDER = FORM as unknown as Record<FormProblem['key'], Render>;

function isFormKey(key: string): key is FormProblem['key'] {
  return Object.hasOwn(FORM, key);
}

/** The text of a moderation message or of a shared error message, in the page's language. */
export function say(message: ModMessage): string {
  if (isFormKey(message.key)) {
    const params = 'params' in message && message.params ? message.params : {};
    return RENDER[message.key](params as Record<string, number>);
  }
  return translate(message as MessageRef);
}
