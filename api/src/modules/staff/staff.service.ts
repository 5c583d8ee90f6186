import { type Db, schema } from '@salon/db';
import type { StaffRole } from '@salon/db/schema';
import { eq } from 'drizzle-orm';
import { AppError } from '../../http/errors';

const { staff } = schema;

/** Salon's own staff role of a member (not a room moderator role), or null. */
export async function staffRole(db: Db, userId: string): Promise<StaffRole | null> {
  const [row] = await db.select({ role: staff.role }).from(staff).where(eq(staff.userId, userId)).limit(1);
  return row?.role ?? null;
}

/** Admins can do everything moderators can. Throws 403 `mod.forbidden` otherwise. */
export async function assertStaff(db: Db, userId: string, minimum: StaffRole): Promise<StaffRole> {
  const role = await staffRole(db, userId);
  if (!role || (minimum === 'admin' && role !== 'admin'))
    throw new AppError(403, 'mod.forbidden', 'This is for Salon’s moderation team.');
  return role;
}
