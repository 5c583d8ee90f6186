import { error } from '@sveltejs/kit';
import { loadStaff } from '$lib/moderation/api';
import { summarizeModFailure } from '$lib/moderation/errors';
import { requireStaff } from '$lib/moderation/guard';
import type { PageLoad } from './$types';

/** Who is on Salon's staff; admins only (grant, change, remove). */
export const load: PageLoad = async ({ parent, fetch, depends }) => {
  const { staffRole, me } = await parent();
  requireStaff(staffRole, 'admin');
  depends('salon:mod-staff');
  const result = await loadStaff(fetch);
  if (!result.ok && result.error.code === 'mod.forbidden') error(403, { message: 'Forbidden' });
  return {
    myUsername: me?.username ?? '',
    staff: result.ok ? result.data.staff : null,
    problem: result.ok ? null : summarizeModFailure(result.error),
  };
};
