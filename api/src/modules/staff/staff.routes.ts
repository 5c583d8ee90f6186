import { staffRoles } from '@salon/db/schema';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../http/app-env';
import { validate } from '../../http/validate';
import { requireAuth } from '../auth/sessions';
import { assertStaff, grantStaff, listStaff, revokeStaff, type StaffMember } from './staff.service';

const doc = (summary: string) => describeRoute({ summary, tags: ['moderation'] });
const usernameParam = z.strictObject({ username: z.string().min(1).max(31) });
const roleBody = z.strictObject({ role: z.enum(staffRoles) });

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
    .get('/', doc('The moderation team (admins)'), async (c) => {
      await admin(requireAuth(c).userId);
      return c.json({ staff: (await listStaff(deps)).map(view) }, 200);
    })
    .put(
      '/:username',
      doc('Make a member moderator or admin, or change their role (admins)'),
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
      doc('Withdraw a member’s staff role (admins)'),
      validate('param', usernameParam),
      async (c) => {
        const { userId } = requireAuth(c);
        await admin(userId);
        await revokeStaff(deps, { username: c.req.valid('param').username, revokedBy: userId });
        return c.body(null, 204);
      },
    );
}
