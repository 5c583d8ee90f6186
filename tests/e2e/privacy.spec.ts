import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import postgres from 'postgres';
import { parse } from 'yaml';
import {
  DESKTOP,
  ENGLISH,
  FRENCH,
  inviteFrom,
  MOBILE,
  open,
  runTag,
  screenshotPath,
  shots,
  signUpMember,
} from './support/members';
import { e2eEnv } from './support/paths';

test.use(FRENCH);

const decoder = new TextDecoder();

/** A modal dialog as people see it: the viewport, at desktop size and at 390 px. */
async function dialogShots(page: Page, name: string) {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: screenshotPath(`${name}.png`) });
  await page.setViewportSize(MOBILE);
  await page.screenshot({ path: screenshotPath(`${name}-mobile.png`) });
  await page.setViewportSize(DESKTOP);
}

/** Tables whose rows the data map keeps after an erasure, on purpose and with a reason. */
function keptOnPurpose(): Set<string> {
  const file = fileURLToPath(new URL('../../policies/data-map.yaml', import.meta.url));
  const map = parse(readFileSync(file, 'utf8')) as {
    tables: Record<string, { erasure: string | { treatment: string; reason: string } }>;
  };
  return new Set(
    Object.entries(map.tables)
      .filter(([, t]) => (typeof t.erasure === 'string' ? t.erasure : t.erasure.treatment) === 'keep')
      .map(([name]) => name),
  );
}

test('a member sees their data, downloads it, deletes their account and leaves nothing behind', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const tag = runTag();
  const sql = postgres(e2eEnv().DATABASE_URL ?? '', { max: 1, onnotice: () => {} });
  try {
    // A hosts a room (French); B (English) follows A, joins the room, then uses their rights.
    const a = await signUpMember(browser, FRENCH, { name: 'Aurélie Garnier', username: `aurelie_${tag}` });
    const b = await signUpMember(
      browser,
      ENGLISH,
      { name: 'Bastien Renard', username: `bastien_${tag}` },
      await inviteFrom(a, baseURL ?? ''),
    );
    const origin = { origin: baseURL ?? '' };
    const created = await a.page.request.post('/v1/rooms', {
      headers: origin,
      data: { topic: `Apéro vélo ${tag}`, mode: 'open' },
    });
    expect(created.status()).toBe(201);
    const room = (await created.json()) as { id: string };

    await open(b.page, `/@${a.username}`);
    await b.page.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect(b.page.getByRole('button', { name: 'Unfollow' })).toBeVisible();
    await open(b.page, `/rooms/${room.id}`);
    await b.page.getByRole('button', { name: 'Join the room' }).click();
    await expect(b.page.locator('#room-mine-heading')).toHaveText('You are here as: Listener');
    const me = (await (await b.page.request.get('/v1/me')).json()) as { id: string };

    // The privacy centre, reached from the footer: B's data, area by area.
    await open(b.page, '/');
    await b.page.getByRole('contentinfo').getByRole('link', { name: 'Privacy centre' }).click();
    await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Privacy centre');
    await expect(b.page.locator('[data-area="following"] .count')).toHaveText('1 item');
    await expect(b.page.locator('[data-area="rooms_joined"] .count')).toHaveText('1 item');
    await expect(b.page.locator('[data-area="reports"] .count')).toHaveText('None');
    await expect(b.page.getByText('Your phone number is not here')).toBeVisible();
    await expect(b.page.locator('[data-table="notifications"]')).toContainText('30 days after creation.');
    await expect(b.page.getByText('That is why Salon shows no cookie banner')).toBeVisible();

    // Export: asked for, prepared by the app's worker (the page follows it), then downloaded.
    await b.page.getByRole('button', { name: 'Ask for my data' }).click();
    await expect(b.page.locator('[data-export-state="preparing"]')).toBeVisible();
    await expect(b.page.locator('[data-export-limit]')).toContainText('You can ask for a new archive from');
    const link = b.page.getByRole('link', { name: 'Download the archive (ZIP)' });
    await expect(link).toBeVisible({ timeout: 60_000 });
    await expect(b.page.locator('[data-export-state="ready"]')).toContainText('Available until');
    await b.page.locator('[data-area="following"] summary').click();
    await expect(b.page.locator('[data-area="following"]')).toContainText('Until unfollow');
    await shots(b.page, 'privacy-centre-en');
    const [download] = await Promise.all([b.page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^salon-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const path = await download.path();
    const files = unzipSync(new Uint8Array(readFileSync(path)));
    const names = Object.keys(files).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'README.txt',
        'profile.json',
        'passkeys.json',
        'sessions.json',
        'follows.json',
        'rooms.json',
        'notifications.json',
        'security.json',
      ]),
    );
    const json = (name: string) => JSON.parse(decoder.decode(files[name])) as Record<string, unknown>[];
    for (const name of names.filter((n) => n.endsWith('.json')))
      expect(Array.isArray(json(name)), name).toBe(true);
    expect(json('profile.json')).toEqual([expect.objectContaining({ username: b.username })]);
    expect(json('follows.json')).toContainEqual(
      expect.objectContaining({ direction: 'you follow', username: a.username }),
    );
    expect(json('rooms.json')).toContainEqual(
      expect.objectContaining({ room: room.id, topic: `Apéro vélo ${tag}`, role: 'listener' }),
    );
    const readme = decoder.decode(files['README.txt']);
    expect(readme).toContain('ENGLISH');
    expect(readme).toContain('FRANÇAIS');
    for (const name of names.filter((n) => n !== 'README.txt')) expect(readme).toContain(name);

    // A's view in French, and the deletion dialog in both languages.
    await open(a.page, '/privacy');
    await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Espace confidentialité');
    await expect(a.page.locator('[data-area="rooms_hosted"] .count')).toHaveText('1 élément');
    await shots(a.page, 'privacy-centre-fr');
    await a.page.getByRole('button', { name: 'Supprimer mon compte…' }).click();
    const dialogFr = a.page.getByRole('dialog', { name: 'Supprimer votre compte ?' });
    await expect(dialogFr).toBeVisible();
    await expect(dialogFr.getByRole('button', { name: 'Garder mon compte' })).toBeFocused();
    await dialogShots(a.page, 'privacy-delete-dialog-fr');
    await a.page.keyboard.press('Escape');
    await expect(dialogFr).toBeHidden();
    await expect(a.page.getByRole('button', { name: 'Supprimer mon compte…' })).toBeFocused();

    // B deletes the account at once, confirming with the passkey.
    await expect(b.page.getByText('What is kept, and why')).toBeVisible();
    await b.page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Delete your account?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('checkbox', { name: /Erase everything now/ }).check();
    await dialogShots(b.page, 'privacy-delete-dialog-en');
    await dialog.getByRole('button', { name: 'Confirm with my passkey' }).click();
    await expect(b.page.getByRole('heading', { name: 'Your account is deleted' })).toBeVisible();
    await expect(b.page.getByText('Your account and its data have been erased.')).toBeVisible();
    expect(new URL(b.page.url()).searchParams.get('deleted')).toBe('now');

    // The app's worker erases the account (the job is due at once).
    await expect
      .poll(async () => (await sql`select count(*)::int as n from users where id = ${me.id}`)[0]?.n, {
        timeout: 30_000,
      })
      .toBe(0);
    // Signing in again with the same passkey now fails, and the page says why. (Before the
    // eraser has run, an "immediate" deletion is still a deactivated account that may sign in.)
    await open(b.page, '/login');
    await b.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(b.page.getByRole('alert')).toContainText('This passkey is not registered on Salon');

    // The database: nothing refers to B but what the map keeps on purpose.
    const kept = keptOnPurpose();
    const columns = await sql<{ table_name: string; column_name: string }[]>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('uuid', 'text', 'jsonb', 'ARRAY', 'character varying')`;
    const found: string[] = [];
    const leftInKept: string[] = [];
    for (const { table_name: table, column_name: column } of columns) {
      for (const needle of [me.id, b.username, 'Bastien Renard']) {
        const rows = await sql`
          select count(*)::int as n from ${sql(table)} where ${sql(column)}::text ilike ${`%${needle}%`}`;
        if ((rows[0]?.n ?? 0) === 0) continue;
        const hit = `${table}.${column} ∋ ${needle === me.id ? 'id' : needle}`;
        if (kept.has(table) && needle === me.id) leftInKept.push(hit);
        else found.push(hit);
      }
    }
    expect(found).toEqual([]);
    // What stays is pseudonymous: the audit log's entries about the deletion, by id only.
    expect(leftInKept).toContain('audit_events.subject_id ∋ id');
    expect(leftInKept.every((hit) => /^(audit_events|jobs)\./.test(hit))).toBe(true);

    // The notice, public, in both languages.
    await open(b.page, '/privacy/notice');
    await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Privacy notice');
    await expect(b.page.getByRole('heading', { level: 2, name: 'Cookies' })).toBeVisible();
    await shots(b.page, 'privacy-notice-en');
    await open(a.page, '/privacy/notice');
    await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Politique de confidentialité');
    await shots(a.page, 'privacy-notice-fr');
    await open(a.page, '/privacy/dpia');
    await expect(a.page.getByRole('heading', { level: 1 })).toHaveText(
      'Analyse d’impact : salons vocaux en direct enregistrés',
    );
    await a.page.screenshot({ path: screenshotPath('privacy-dpia-fr.png'), fullPage: true });
    await open(a.page, '/privacy/record');
    await expect(
      a.page.getByRole('heading', { level: 2, name: 'Les notifications dans l’application.' }),
    ).toBeVisible();

    // A ends the room, so that later tests in this run find the hallway as they expect it.
    const ended = await a.page.request.post(`/v1/rooms/${room.id}/end`, { headers: origin });
    expect(ended.status()).toBe(204);
    await a.context.close();
    await b.context.close();
  } finally {
    await sql.end();
  }
});
