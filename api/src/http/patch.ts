import { z } from 'zod';

/** The detail message of a PATCH that names no field to change. */
export const NOTHING_TO_CHANGE = 'request.nothing_to_change';

/**
 * The body of every PATCH route: a strict object of optional fields, at least one of them given.
 * An empty change is a client mistake worth saying (400 `request.invalid`), not an UPDATE with
 * nothing to set.
 */
export function patchBody<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape).refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: NOTHING_TO_CHANGE,
  });
}
