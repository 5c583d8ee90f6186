import { error } from '@sveltejs/kit';
import { loadCase, REPORT_DEPENDENCY } from '$lib/moderation/api';
import { requireStaff } from '$lib/moderation/guard';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent, params, fetch, depends }) => {
  const { staffRole } = await parent();
  requireStaff(staffRole);
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) error(404, { message: 'Not Found' });
  depends(REPORT_DEPENDENCY);
  const result = await loadCase(fetch, params.id);
  if (result.ok) return { case: result.data };
  if (result.error.code === 'mod.forbidden') error(403, { message: 'Forbidden' });
  if (result.error.status === 404 || result.error.status === 400) error(404, { message: 'Not Found' });
  error(result.error.status === 0 ? 503 : 502, {
    message: 'The report could not be loaded',
    ...(result.error.requestId ? { requestId: result.error.requestId } : {}),
  });
};
