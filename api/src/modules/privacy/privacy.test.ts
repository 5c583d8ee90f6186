import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { loadDataMap } from '@salon/policies';
import { count, eq, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../../jobs';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp({
    OPERATOR_NAME: 'Association Salon',
    OPERATOR_CONTACT: 'privacy@salon.example',
    DPO_CONTACT: 'dpo@salon.example',
    SESSION_ABSOLUTE_DAYS: '60',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'salon-privacy-')),
  });
});
afterAll(async () => {
  await t.close();
});

interface Area {
  id: string;
  count: number;
  capped: boolean;
  table: string;
  purpose: { en: string; fr: string };
  retention: { en: string; fr: string };
  export: { treatment: string; en: string; fr: string };
}

describe('privacy facts', () => {
  it('renders the controller, every processing and the cookies from the data map, to anyone', async () => {
    const res = await t.app.request('/v1/privacy');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      operator: unknown;
      dpo: unknown;
      processing: {
        table: string;
        purpose: { en: string; fr: string };
        retention: string;
        text: { en: { retention: string }; fr: { retention: string; legalBasis: string } };
      }[];
      deletion: { en: { grace: string; kept: { purpose: string; reason: string }[] }; fr: { grace: string } };
      exportAvailability: { en: string; fr: string };
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
      text: {
        en: { retention: '30 days after creation.' },
        fr: { retention: '30 jours après sa création.' },
      },
    });
    // The deployment's session length, not the name of its setting.
    expect(body.processing.find((p) => p.table === 'sessions')?.text.en.retention).toContain('(60 days)');
    expect(body.deletion.en.grace).toBe('7 days');
    expect(body.deletion.fr.grace).toBe('7 jours');
    expect(body.deletion.en.kept.map((k) => k.purpose)).toContain(loadDataMap().tables.audit_events?.purpose);
    expect(body.exportAvailability).toEqual({ en: '7 days', fr: '7 jours' });
    expect(body.cookies.map((c) => c.name)).toEqual(['salon_session', 'salon_locale']);
    expect(body.cookies.every((c) => c.httpOnly)).toBe(true);
    expect(body.consentBanner).toBe(false);
  });

  it('serves the notice, the record (art. 30) and the DPIA summary in French and English, to anyone', async () => {
    for (const kind of ['notice', 'record', 'dpia']) {
      for (const lang of ['en', 'fr']) {
        const res = await t.app.request(`/v1/privacy/${kind}?lang=${lang}`);
        expect(res.status, `${kind} ${lang}`).toBe(200);
        const document = (await res.json()) as {
          kind: string;
          lang: string;
          title: string;
          sections: unknown[];
        };
        expect(document).toMatchObject({ kind, lang });
        expect(document.sections.length).toBeGreaterThan(3);
        const text = JSON.stringify(document);
        expect(text).toContain('Association Salon');
        expect(text).not.toMatch(/\{\w+\}/);
      }
    }
    const notice = await (await t.app.request('/v1/privacy/notice?lang=fr')).json();
    expect(JSON.stringify(notice)).toContain('aucun bandeau cookies');
    expect(JSON.stringify(notice)).toContain('au plus 60 jours');
    const english = await (await t.app.request('/v1/privacy/record')).json();
    expect(english).toMatchObject({ lang: 'en' });
  });

  it('refuses a language it does not have with a clear code', async () => {
    const res = await t.app.request('/v1/privacy/notice?lang=de');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'request.invalid',
        details: [{ in: 'query', path: 'lang', message: 'lang.unsupported' }],
      },
    });
  });
});

describe('what Salon holds about me', () => {
  it('is for members only', async () => {
    const res = await t.app.request('/v1/privacy/me');
    expect(res.status).toBe(401);
  });

  it('lists each area with my rows, its purpose, retention and export, and follows my export and deletion', async () => {
    const member = memberFactory(t);
    const alice = await member('alice');
    const bob = await member('bob');
    await alice.put('/v1/users/bob/follow');
    await bob.put('/v1/users/alice/follow');
    await alice.post('/v1/me/invites');
    const { body: room } = await alice.post('/v1/rooms', { topic: 'Chez Alice', mode: 'open' });
    await alice.post(`/v1/rooms/${room.id}/join`);
    await bob.post(`/v1/rooms/${room.id}/join`);
    await createJobs(t).queue.runDue();

    const mine = await alice.get('/v1/privacy/me');
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toBe('no-store');
    expect(mine.body.profile).toMatchObject({ username: 'alice', displayName: 'Alice', staff: null });
    const areas = new Map((mine.body.areas as Area[]).map((a) => [a.id, a]));
    expect(areas.get('following')?.count).toBe(1);
    expect(areas.get('followers')?.count).toBe(1);
    expect(areas.get('sessions')?.count).toBe(1);
    expect(areas.get('passkeys')?.count).toBe(1);
    expect(areas.get('invites')?.count).toBe(1);
    expect(areas.get('rooms_hosted')?.count).toBe(1);
    expect(areas.get('rooms_joined')?.count).toBe(1);
    expect(areas.get('reports')?.count).toBe(0);
    // The audit entries by her or about her, as the database counts them (none yet, more below).
    const auditOf = async (userId: string) => {
      const [row] = await t.database.db
        .select({ n: count() })
        .from(schema.auditEvents)
        .where(or(eq(schema.auditEvents.actorId, userId), eq(schema.auditEvents.subjectId, userId)));
      return row?.n;
    };
    expect(areas.get('audit')?.count).toBe(await auditOf(alice.id));
    expect(areas.get('staff')).toBeUndefined();
    const map = loadDataMap();
    for (const area of areas.values()) {
      const table = map.tables[area.table];
      expect(table, area.id).toBeDefined();
      expect(area.purpose).toEqual({ en: table?.purpose, fr: table?.purpose_fr });
      expect(area.retention.en).toMatch(/\.$/);
      expect(area.retention.fr).toMatch(/\.$/);
      expect(area.export.treatment).toBe(table?.export.treatment);
      expect(area.capped).toBe(false);
    }
    expect(areas.get('passkeys')?.export).toMatchObject({
      treatment: 'summarised',
      en: 'Summarised in your export: metadata only, never key material.',
    });
    expect(mine.body.export).toEqual({ latest: null, nextRequestAt: null });
    expect(mine.body.deletion).toBeNull();
    // Bob's view holds Bob's rows only.
    const his = new Map(((await bob.get('/v1/privacy/me')).body.areas as Area[]).map((a) => [a.id, a]));
    expect(his.get('rooms_hosted')?.count).toBe(0);
    expect(his.get('invites')?.count).toBe(0);

    // After an export request: its state, and when the next one is possible (the API's own limit).
    const requested = await alice.post('/v1/me/export');
    expect(requested.status).toBe(202);
    const after = await alice.get('/v1/privacy/me');
    expect(after.body.export.latest).toMatchObject({ id: requested.body.exportId, status: 'pending' });
    const tooSoon = await alice.post('/v1/me/export');
    expect(tooSoon.body.error.code).toBe('export.too_soon');
    const retryAt = t.clock.now().getTime() + tooSoon.body.error.details[0].retryAfterSeconds * 1000;
    expect(after.body.export.nextRequestAt).toBe(new Date(retryAt).toISOString());
    await createJobs(t).queue.runDue();
    const ready = await alice.get('/v1/privacy/me');
    expect(ready.body.export.latest).toMatchObject({
      status: 'ready',
      expiresAt: '2026-11-28T12:00:00.000Z',
    });
    expect(ready.body.areas.find((a: Area) => a.id === 'exports')?.count).toBe(1);
    // Her export was requested and made ready: both are in the audit log, and counted.
    const audited = ready.body.areas.find((a: Area) => a.id === 'audit')?.count;
    expect(audited).toBeGreaterThanOrEqual(2);
    expect(audited).toBe(await auditOf(alice.id));

    // During the grace period of a deletion, the member who signs in again sees it and its date.
    const options = await alice.post('/v1/auth/passkeys/login/options');
    const deleted = await alice.request('DELETE', '/v1/me', {
      response: alice.authenticator.authenticate(options.body),
    });
    expect(deleted.status).toBe(202);
    expect((await alice.get('/v1/privacy/me')).status).toBe(401);
    await alice.logIn();
    const pending = await alice.get('/v1/privacy/me');
    expect(pending.status).toBe(200);
    expect(pending.body.deletion).toEqual({ erasureAt: deleted.body.erasureAt });
    expect(pending.body.profile.status).toBe('deactivated');
  });
});
