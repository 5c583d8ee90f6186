import { staffRoles } from '@salon/db/schema';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { INPUT, JSON_BODY, json, noContent, routeDocs, SIGNED_IN, WRITE } from '../../http/openapi';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { assertStaff, grantStaff, listStaff, revokeStaff, type StaffMember } from './staff.service';

const doc = routeDocs('moderation');
const usernameParam = z.strictObject({ username: z.string().min(1).max(31) });
const roleBody = z.strictObject({ role: z.enum(staffRoles) });

const staffMember = z.object({
  username: z.string(),
  displayName: z.string(),
  role: z.enum(staffRoles),
  grantedAt: z.iso.datetime(),
});

const view = (m: StaffMember) => ({
  username: m.username,
  displayName: m.displayName,
  role: m.role,
  grantedAt: m.grantedAt,
});

/**
 * Salon's moderation team, for admins only (`/v1/mod/staff`). Moderators have no route listing
 * members: they see reports and what is attached to them.
 */
export function staffRoutes(deps: AppDeps) {
  const admin = async (userId: string) => assertStaff(deps.database.db, userId, 'admin');
  return new Hono<AppEnv>()
    .get(
      '/',
      doc({
        summary: 'The moderation team (admins)',
        ok: json(z.object({ staff: z.array(staffMember) }), 'Everyone with a staff role'),
        errors: [...SIGNED_IN, 'mod.forbidden'],
      }),
      async (c) => {
        await admin(requireAuth(c).userId);
        return c.json({ staff: (await listStaff(deps)).map(view) }, 200);
      },
    )
    .put(
      '/:username',
      doc({
        summary: 'Make a member moderator or admin, or change their role (admins)',
        ok: json(staffMember, 'Their role now'),
        errors: [
          ...SIGNED_IN,
          ...JSON_BODY,
          ...WRITE,
          'mod.forbidden',
          'staff.user_not_found',
          'staff.last_admin',
        ],
      }),
      validate('param', usernameParam),
      validate('json', roleBody),
      async (c) => {
        const { userId } = requireAuth(c);
        await admin(userId);
        const granted = await grantStaff(deps, {
          username: c.req.valid('param').username,
          role: c.req.valid('json').role,
          grantedBy: userId,
        });
        return c.json(view(granted), 200);
      },
    )
    .delete(
      '/:username',
      doc({
        summary: 'Withdraw a member’s staff role (admins)',
        ok: noContent('They are no longer staff'),
        errors: [
          ...SIGNED_IN,
          ...INPUT,
          ...WRITE,
          'mod.forbidden',
          'staff.user_not_found',
          'staff.not_staff',
          'staff.last_admin',
        ],
      }),
      validate('param', usernameParam),
      async (c) => {
        const { userId } = requireAuth(c);
        await admin(userId);
        await revokeStaff(deps, { username: c.req.valid('param').username, revokedBy: userId });
        return c.body(null, 204);
      },
    );
}
