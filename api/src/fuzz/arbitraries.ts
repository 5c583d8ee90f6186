import fc from 'fast-check';

/**
 * Generators of hostile input for the API fuzz suite, read from the OpenAPI document: values
 * that fit each declared schema, values that almost fit, and the kinds of text that broke the
 * API before (NUL, lone surrogates, very long, path and SQL look-alikes, bad percent-encoding).
 */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  default?: unknown;
};

/** Text that earlier probes found harmful somewhere, kept so each run tries it. */
const NASTY_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\uffff',
  '💥'.repeat(40),
  'é'.repeat(300),
  'a'.repeat(5_000),
  '../../../../etc/passwd',
  "' or 1=1 --",
  '"; drop table users; --',
  '%',
  '%zz',
  '%00',
  '{}',
  '[]',
  'null',
  'true',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  'NaN',
  '2026-02-30T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
  '<script>alert(1)</script>',
  '\r\nX-Injected: 1',
  '@',
  '__proto__',
];

export const nastyText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 400 }) },
);

/** Any JSON value, shallow and small. */
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** A value for a schema: usually one that fits, sometimes one that does not. */
export function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema) return anyJson;
  return fc.oneof(
    { weight: 6, arbitrary: fitting(schema, depth) },
    { weight: 1, arbitrary: nastyText },
    { weight: 1, arbitrary: anyJson },
  );
}

function fitting(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) return fc.oneof(...variants.map((v) => valueFor(v, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(valueFor(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 4, 6) });
    case 'object':
      return depth > 3 ? fc.constant({}) : objectFor(schema, depth + 1);
    default:
      return anyJson;
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= 200);
    } catch {
      // A pattern fast-check cannot generate from: plain text instead.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 300) });
}

/** An object of the schema's properties: each present or not, sometimes with a stray one. */
function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, prop] of Object.entries(props)) model[name] = valueFor(prop, depth);
  const required = (schema.required ?? []).filter((name) => name in model);
  const known = fc.oneof(
    { weight: 3, arbitrary: fc.record(model, { requiredKeys: required }) },
    { weight: 1, arbitrary: fc.record(model, { requiredKeys: [] }) },
  );
  return fc
    .tuple(known, fc.option(fc.tuple(nastyText, anyJson), { freq: 6 }))
    .map(([value, stray]) => (stray ? { ...value, [stray[0]]: stray[1] } : value));
}
