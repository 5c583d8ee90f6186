/**
 * The one rule for text that comes from outside: PostgreSQL cannot store a NUL character, and a
 * lone UTF-16 surrogate has no UTF-8 form (the driver would turn it into "�", silently changing
 * what the person wrote). Both are refused at validation, before any query sees them.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** The message of each detail of a `request.invalid_text` answer. */
export const INVALID_TEXT = 'text.invalid_characters';

/**
 * The paths (dot-separated, `''` for the value itself) of every string in `value` that breaks
 * the rule, object keys included: bodies, queries, path parameters and headers alike.
 */
export function unstorableTextPaths(value: unknown, path: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [path.join('.')];
  if (depth > 32 || value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value)
    ? value.map((item, i) => [String(i), item] as const)
    : Object.entries(value);
  const found: string[] = [];
  for (const [key, item] of entries) {
    const at = [...path, key];
    if (!isStorableText(key)) found.push(at.join('.'));
    else found.push(...unstorableTextPaths(item, at, depth + 1));
  }
  return found;
}
