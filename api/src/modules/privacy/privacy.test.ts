import { loadDataMap } from '@salon/policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp({
    OPERATOR_NAME: 'Association Salon',
    OPERATOR_CONTACT: 'privacy@salon.example',
    DPO_CONTACT: 'dpo@salon.example',
  });
});
afterAll(async () => {
  await t.close();
});

describe('privacy facts', () => {
  it('renders the controller, every processing and the cookies from the data map, to anyone', async () => {
    const res = await t.app.request('/v1/privacy');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      operator: unknown;
      dpo: unknown;
      processing: { table: string; purpose: { en: string; fr: string }; retention: string }[];
      cookies: { name: string; httpOnly: boolean }[];
      consentBanner: boolean;
    };
    expect(body.operator).toEqual({ name: 'Association Salon', contact: 'privacy@salon.example' });
    expect(body.dpo).toEqual({ contact: 'dpo@salon.example' });
    const tables = Object.entries(loadDataMap().tables).filter(([, t]) => t.retention.rule !== 'permanent');
    expect(body.processing.map((p) => p.table).sort()).toEqual(tables.map(([name]) => name).sort());
    const notifications = body.processing.find((p) => p.table === 'notifications');
    expect(notifications).toMatchObject({
      purpose: { fr: 'Les notifications dans l’application.' },
      retention: 'creation',
    });
    expect(body.cookies.map((c) => c.name)).toEqual(['salon_session', 'salon_locale']);
    expect(body.cookies.every((c) => c.httpOnly)).toBe(true);
    expect(body.consentBanner).toBe(false);
  });
});
