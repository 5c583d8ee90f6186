import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

const root = fileURLToPath(new URL('../../', import.meta.url));

const matrix = z.strictObject({
  obligations: z.array(
    z.strictObject({
      id: z.string(),
      law: z.string(),
      status: z.literal('partial').optional(),
      missing: z.string().optional(),
      feature: z.string(),
      tests: z.array(z.strictObject({ file: z.string(), title: z.string() })),
    }),
  ),
  decisions: z.array(z.strictObject({ topic: z.string(), decision: z.string() })),
});

describe('the compliance matrix (policies/compliance.yaml)', () => {
  const parsed = matrix.parse(parse(readFileSync(`${root}policies/compliance.yaml`, 'utf8')));

  it('names only tests that exist, file and title', () => {
    const missing: string[] = [];
    for (const obligation of parsed.obligations) {
      for (const test of obligation.tests) {
        const path = `${root}${test.file}`;
        if (!existsSync(path) || !readFileSync(path, 'utf8').includes(test.title)) {
          missing.push(`${obligation.id}: ${test.file} › ${test.title}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('proves every obligation it claims, and says what is missing for the others', () => {
    for (const obligation of parsed.obligations) {
      if (obligation.status === 'partial') expect(obligation.missing, obligation.id).toBeTruthy();
      else expect(obligation.tests.length, obligation.id).toBeGreaterThan(0);
    }
    const ids = parsed.obligations.map((o) => o.id);
    for (const required of [
      'gdpr-5-1-c',
      'gdpr-5-1-e',
      'gdpr-15-20',
      'gdpr-17',
      'gdpr-25',
      'gdpr-30',
      'gdpr-32',
      'gdpr-35',
      'cnil-2021-122',
      'cnil-cookies',
      'dsa-16',
      'dsa-17',
      'dsa-20',
      'dsa-23',
    ]) {
      expect(ids).toContain(required);
    }
  });
});
