import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { ValidationTargets } from 'hono/types';
import { validator } from 'hono-openapi';
import { errors } from './errors';

/**
 * Request validation that also documents the route in the OpenAPI output.
 * Failures become `request.invalid` with one detail per problem: the field path and the message.
 */
export function validate<S extends StandardSchemaV1, T extends keyof ValidationTargets>(
  target: T,
  schema: S,
) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      throw errors.invalidRequest(
        result.error.map((issue) => ({
          in: target,
          path: (issue.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).join('.'),
          message: issue.message,
        })),
      );
    }
  });
}
