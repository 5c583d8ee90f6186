import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Context } from 'hono';
import type { ValidationTargets } from 'hono/types';
import { validator } from 'hono-openapi';
import { errors } from './errors';
import { INVALID_TEXT, unstorableTextPaths } from './text';

/**
 * Request validation that also documents the route in the OpenAPI output. Every route reads its
 * body, query and path parameters through here, so the text rule (text.ts) is checked once for
 * all of them, on the raw input, before the schema: `request.invalid_text`. A JSON body must say
 * it is JSON (415 `request.unsupported_media_type`): any other type would otherwise be read as `{}`.
 * Schema failures become `request.invalid` with one detail per problem: the field path and the
 * message.
 */
export function validate<S extends StandardSchemaV1, T extends keyof ValidationTargets>(
  target: T,
  schema: S,
) {
  return validator(target, schema, (result, c: Context) => {
    if (target === 'json' && !isJson(c.req.header('content-type'))) throw errors.unsupportedMediaType();
    const unstorable = unstorableTextPaths(result.data);
    if (unstorable.length > 0) {
      throw errors.invalidText(unstorable.map((path) => ({ in: target, path, message: INVALID_TEXT })));
    }
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

/** application/json or any application/…+json, parameters (charset) aside: what Hono parses. */
function isJson(contentType: string | undefined) {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return /^application\/([\w.-]+\+)?json$/.test(mediaType);
}
