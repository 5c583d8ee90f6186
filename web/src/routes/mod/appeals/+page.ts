import { error } from '@sveltejs/kit';
import { loadAppeals } from '$lib/moderation/api';
import { summarizeModFailure } from '$lib/moderation/errors';
import { requireStaff } from '$lib/moderation/guard';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, fetch }) => {
  const { staffRole } = await parent();
  requireStaff(staffRole);
  const result = await loadAppeals(fetch);
  if (!result.ok && result.error.code === 'mod.forbidden') error(403, { message: 'Forbidden' });
  return {
    appeals: result.ok ? result.data.appeals : null,
    problem: result.ok ? null : summarizeModFailure(result.error),
  };
};
