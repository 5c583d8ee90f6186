import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { loadDataMap } from '@salon/policies';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobs } from '../../jobs';
import { sweepRetention } from '../../jobs/retention';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';
import { seedModerationHistory } from '../../testing/moderation-history';
import { exportedTables } from './export.areas';
import { exportForOperator } from './export.service';

let t: Awaited<ReturnType<typeof createTestApp>>;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'salon-export-'));
  t = await createTestApp({ DATA_DIR: dataDir });
});
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;
const decoder = new TextDecoder();

async function twoMembers() {
  const alice = testClient(t);
  const { userId } = await alice.signUp({
    phone: '0611111111',
    username: 'alice',
    displayName: 'Alice Durand',
  });
  const bob = testClient(t, { ip: '192.0.2.2' });
  await bob.signUp({ phone: '0622222222', username: 'bob', displayName: 'Bob Lefèvre' });
  await bob.put('/v1/users/alice/follow');
  await alice.put('/v1/users/bob/follow');
  await alice.patch('/v1/me', { bio: 'Vélo et podcasts' });
  await alice.post('/v1/me/invites');
  const { body: room } = await alice.post('/v1/rooms', { topic: 'Chez Alice', mode: 'open' });
  await alice.post(`/v1/rooms/${room.id}/join`);
  await alice.post(`/v1/rooms/${room.id}/reactions`, { emoji: '🔥' });
  return { alice, bob, userId };
}

function unzip(bytes: Uint8Array) {
  const files = unzipSync(bytes);
  const json = (name: string) => JSON.parse(decoder.decode(files[name])) as Record<string, unknown>[];
  return { names: Object.keys(files), json, text: (name: string) => decoder.decode(files[name]) };
}

describe('data export (GDPR art. 15 and 20)', () => {
  it('builds an encrypted archive in the background, tells the member, and lets only them download it', async () => {
    const { alice, bob } = await twoMembers();
    const requested = await alice.post('/v1/me/export');
    expect(requested.status).toBe(202);
    const { exportId } = requested.body;
    expect((await alice.post('/v1/me/export')).body.error).toMatchObject({
      code: 'export.too_soon',
      details: [{ retryAfterSeconds: 86_400 }],
    });
    expect((await alice.get(`/v1/me/exports/${exportId}`)).body.status).toBe('pending');
    await createJobs(t).queue.runDue();
    const status = await alice.get(`/v1/me/exports/${exportId}`);
    expect(status.body).toMatchObject({ status: 'ready', expiresAt: '2026-11-28T12:00:00.000Z' });
    const types = (await alice.get('/v1/notifications')).body.notifications.map(
      (n: { type: string }) => n.type,
    );
    expect(types).toContain('export.ready');

    // At rest, the archive is sealed: nothing of it reads in clear.
    const [sealed] = readdirSync(join(dataDir, 'exports'));
    expect(readFileSync(join(dataDir, 'exports', sealed ?? '')).includes('alice')).toBe(false);

    expect((await bob.raw(`/v1/me/exports/${exportId}/download`)).status).toBe(404);
    const download = await alice.raw(`/v1/me/exports/${exportId}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    expect(download.headers.get('content-disposition')).toBe(
      'attachment; filename="salon-export-2026-11-21.zip"',
    );
    expect(download.headers.get('cache-control')).toBe('no-store');
    const archive = unzip(new Uint8Array(await download.arrayBuffer()));
    expect(archive.names.sort()).toEqual([
      'README.txt',
      'clubs.json',
      'decisions.json',
      'follows.json',
      'invites.json',
      'notifications.json',
      'passkeys.json',
      'profile.json',
      'reactions.json',
      'recordings.json',
      'reminders.json',
      'reports.json',
      'rooms.json',
      'security.json',
      'sessions.json',
      'stage-events.json',
    ]);
    expect(archive.json('profile.json')[0]).toMatchObject({ username: 'alice', bio: 'Vélo et podcasts' });
    expect(
      archive
        .json('follows.json')
        .map((f) => [f.direction, f.username])
        .sort(),
    ).toEqual([
      ['follows you', 'bob'],
      ['you follow', 'bob'],
    ]);
    expect(archive.json('rooms.json')[0]).toMatchObject({
      topic: 'Chez Alice',
      hostedByYou: true,
      role: 'moderator',
    });
    expect(archive.json('reactions.json')[0]).toMatchObject({ emoji: '🔥' });
    expect(archive.json('passkeys.json')[0]).not.toHaveProperty('publicKey');
    const everything = archive.names.map((n) => archive.text(n)).join('\n');
    expect(everything).not.toMatch(/phone_?hash|publicKey|tokenHash|611111111/i);
    expect(archive.text('README.txt')).toContain('ENGLISH');
    expect(archive.text('README.txt')).toContain('FRANÇAIS');
  });

  it('takes one request a day even when several arrive together', async () => {
    const { alice } = await twoMembers();
    const answers = await Promise.all(Array.from({ length: 10 }, () => alice.post('/v1/me/export')));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 429).map((a) => a.body.error.code)).toEqual(
      Array(9).fill('export.too_soon'),
    );
    expect(await t.database.db.select().from(schema.dataExports)).toHaveLength(1);
    // A day later, one more.
    t.clock.advance(DAY);
    const later = await Promise.all(Array.from({ length: 5 }, () => alice.post('/v1/me/export')));
    expect(later.filter((a) => a.status === 202)).toHaveLength(1);
  });

  it('destroys the archive and its key after 7 days', async () => {
    const { alice } = await twoMembers();
    const { exportId } = (await alice.post('/v1/me/export')).body;
    await createJobs(t).queue.runDue();
    expect(readdirSync(join(dataDir, 'exports'))).toHaveLength(1);
    t.clock.advance(7 * DAY + 1);
    expect(await sweepRetention(t, t.clock.now())).toMatchObject({ data_exports: 1 });
    expect(readdirSync(join(dataDir, 'exports'))).toHaveLength(0);
    await alice.logIn();
    expect((await alice.raw(`/v1/me/exports/${exportId}/download`)).status).toBe(404);
    expect((await alice.post('/v1/me/export')).status).toBe(202); // and a new one may be asked for
  });

  it('holds every table the data map says is exported or summarised', () => {
    const promised = Object.entries(loadDataMap().tables)
      .filter(([, policy]) => policy.export.treatment !== 'not_exported')
      .map(([table]) => table);
    expect(new Set(exportedTables())).toEqual(new Set(promised));
  });

  it('includes the reports made, the decisions about the member with their reasons, appeals and recordings', async () => {
    const { bob, userId } = await twoMembers();
    const db = t.database.db;
    const bobId = (await bob.get('/v1/me')).body.id as string;
    const [room] = await db.select({ id: schema.rooms.id }).from(schema.rooms);
    const now = t.clock.now();
    await db.insert(schema.staff).values({ userId, role: 'moderator', grantedAt: now });
    await seedModerationHistory(db, {
      memberId: userId,
      otherId: bobId,
      roomId: room?.id ?? '',
      dataDir,
      now,
    });
    const file = join(dataDir, 'operator.zip');
    await exportForOperator(t, 'alice', file);
    const archive = unzip(new Uint8Array(readFileSync(file)));
    expect(archive.json('profile.json')[0]).toMatchObject({ staffRole: 'moderator' });
    expect(archive.json('reports.json')).toEqual([
      expect.objectContaining({ person: 'bob', category: 'harassment', status: 'open' }),
    ]);
    expect(archive.json('decisions.json')).toEqual([
      expect.objectContaining({
        action: 'warn',
        facts: 'Repeated insults on stage.',
        groundDetail: 'Terms §4 — respect',
        appeal: 'I was quoting someone.',
        appealStatus: 'open',
      }),
    ]);
    expect(archive.json('recordings.json')).toEqual([expect.objectContaining({ sizeBytes: 1234 })]);
    expect(archive.text('recordings.json')).not.toContain('secret-wrapped-key');
  });

  it('includes the rooms the member scheduled or was let into, and who each notification is about', async () => {
    const { alice, bob } = await twoMembers();
    const scheduled = await alice.post('/v1/rooms', {
      topic: 'Jazz du jeudi',
      mode: 'open',
      scheduledFor: '2026-11-26T19:00:00Z',
      recurrence: 'weekly',
    });
    expect(scheduled.status).toBe(201);
    const closed = await bob.post('/v1/rooms', { topic: 'Entre nous', mode: 'closed', invitees: ['alice'] });
    expect(closed.status).toBe(201);
    expect((await alice.post('/v1/clubs', { name: 'Jazz à Lyon', slug: 'jazz-lyon' })).status).toBe(201);
    expect((await bob.post('/v1/clubs/jazz-lyon/join')).status).toBe(200); // a request: approval club

    const file = join(dataDir, 'operator.zip');
    await exportForOperator(t, 'alice', file);
    const archive = unzip(new Uint8Array(readFileSync(file)));
    const rooms = archive.json('rooms.json');
    expect(rooms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          topic: 'Jazz du jeudi',
          hostedByYou: true,
          status: 'scheduled',
          scheduledFor: '2026-11-26T19:00:00.000Z',
          recurrence: 'weekly',
          joinedAt: null,
        }),
        expect.objectContaining({ topic: 'Chez Alice', hostedByYou: true, role: 'moderator' }),
        expect.objectContaining({ topic: 'Entre nous', hostedByYou: false, invitedAt: expect.any(String) }),
      ]),
    );
    const request = archive.json('notifications.json').find((n) => n.type === 'club.request');
    expect(request).toMatchObject({ person: 'bob', club: 'jazz-lyon', clubName: 'Jazz à Lyon' });
  });

  it('says how long each area is kept in the README, in each language', async () => {
    await twoMembers();
    const file = join(dataDir, 'operator.zip');
    await exportForOperator(t, 'alice', file);
    const readme = unzip(new Uint8Array(readFileSync(file))).text('README.txt');
    const [english = '', french = ''] = readme.split('FRANÇAIS');
    // No configuration names, and the deployment's own numbers (sessions last 90 days here).
    expect(readme).not.toMatch(/SESSION_|\{period\}/);
    expect(english).toContain('Kept: ');
    expect(english).toMatch(/sessions: [^\n]*90 days/);
    expect(french).toContain('Conservation : ');
    expect(french).toMatch(/sessions : [^\n]*90 jours/);
    expect(french).not.toMatch(/\b(after|until|while|the account|days)\b/i);
  });

  it('streams large accounts page by page', async () => {
    const { userId } = await twoMembers();
    const many = Array.from({ length: 2500 }, (_, i) => ({
      userId,
      type: 'follow.new' as const,
      dedupeKey: `bulk:${i}`,
      createdAt: new Date(Date.parse('2026-11-20T00:00:00Z') + i * 1000),
    }));
    await t.database.db.insert(schema.notifications).values(many);
    const file = join(dataDir, 'operator.zip');
    const result = await exportForOperator(t, '@alice', file);
    expect(result.username).toBe('alice');
    const archive = unzip(new Uint8Array(readFileSync(file)));
    expect(archive.json('notifications.json')).toHaveLength(2501);
  });
});
