import { checkService, SERVICE_STATUS_DEPENDENCY } from '$lib/service-status';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends(SERVICE_STATUS_DEPENDENCY);
  // Awaited, so the server-rendered page already says whether the service is up and works
  // without JavaScript; checkService() turns a dead API into a state, never an error page.
  return { service: await checkService(fetch) };
};
