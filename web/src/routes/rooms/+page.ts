import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

/** Rooms are found in the hallway; /rooms itself is only a way there. */
export const load: PageLoad = () => {
  redirect(308, '/hallway');
};
