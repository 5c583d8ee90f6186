import { error } from '@sveltejs/kit';
import type { StaffRole } from './types';

/**
 * The staff role a console page needs, or a 403 (rendered by routes/mod/+error.svelte, inside
 * the console's layout, in the visitor's language). Called from each page's load: an error thrown
 * by the layout's own load would skip that error page for the root one.
 */
export function requireStaff(role: StaffRole | null | undefined, needed: StaffRole = 'moderator'): StaffRole {
  if (!role || (needed === 'admin' && role !== 'admin')) error(403, { message: 'Forbidden' });
  return role;
}
