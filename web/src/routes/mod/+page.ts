import { error } from '@sveltejs/kit';
import { loadQueue } from '$lib/moderation/api';
import { summarizeModFailure } from '$lib/moderation/errors';
import { filtersFrom } from '$lib/moderation/filters';
import { requireStaff } from '$lib/moderation/guard';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, url, fetch }) => {
  const { staffRole } = await parent();
  requireStaff(staffRole);
  const filters = filtersFrom(url.searchParams);
  const result = await loadQueue(fetch, filters);
  if (!result.ok && result.error.code === 'mod.forbidden') error(403, { message: 'Forbidden' });
  return {
    filters,
    first: result.ok ? result.data : null,
    problem: result.ok ? null : summarizeModFailure(result.error),
  };
};
