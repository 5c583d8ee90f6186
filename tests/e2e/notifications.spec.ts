import { expect, type Page, test } from '@playwright/test';
import postgres from 'postgres';
import {
  DESKTOP,
  ENGLISH,
  FRENCH,
  inviteFrom,
  MOBILE,
  open,
  runTag,
  screenshotPath,
  signUpMember,
} from './support/members';
import { e2eEnv } from './support/paths';

test.use(FRENCH);

/** The panel's screenshots, on a desktop and on a phone, with the panel open. */
async function shootPanel(page: Page, name: string, bellName: RegExp) {
  const bell = page.getByRole('button', { name: bellName });
  for (const [suffix, viewport] of [
    ['', DESKTOP],
    ['-mobile', MOBILE],
  ] as const) {
    await page.setViewportSize(viewport);
    if ((await bell.getAttribute('aria-expanded')) !== 'true') await bell.click();
    await expect(page.locator('#notification-panel')).toBeVisible();
    await page.screenshot({ path: screenshotPath(`${name}${suffix}.png`) });
  }
  await page.setViewportSize(DESKTOP);
}

test('a followed member opens a room: the bell counts it live, the panel shows it, and it leads to the room', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const tag = runTag();
  const margaux = await signUpMember(browser, FRENCH, { name: 'Margaux Lefort', username: `margaux_${tag}` });
  const yannick = await signUpMember(
    browser,
    ENGLISH,
    { name: 'Yannick Boyer', username: `yannick_${tag}` },
    await inviteFrom(margaux, baseURL ?? ''),
  );
  const b = yannick.page;

  // B follows A through A's profile page.
  await open(b, `/@${margaux.username}`);
  await b.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(b.getByRole('button', { name: 'Unfollow' })).toBeVisible();

  // Nothing yet: the bell says so, and opening it moves focus to the panel.
  const bell = b.getByRole('button', { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName('Notifications');
  await expect(bell).toHaveAttribute('aria-expanded', 'false');
  await bell.click();
  await expect(bell).toHaveAttribute('aria-expanded', 'true');
  const panel = b.locator('#notification-panel');
  await expect(panel.getByRole('heading', { name: 'Notifications' })).toBeFocused();
  await expect(panel).toContainText('You will be told here when someone you follow opens a room');
  await b.screenshot({ path: screenshotPath('notifications-panel-empty-en.png') });

  // A opens a room (through the API, from A's own browser, as the rooms page would).
  const created = await margaux.page.request.post('/v1/rooms', {
    data: { topic: 'Ouvert à tous', mode: 'open' },
    headers: { origin: baseURL ?? '' },
  });
  expect(created.status()).toBe(201);
  const room = (await created.json()) as { id: string };

  // Without a reload, B's bell counts it, the open panel lists it, and it is announced politely.
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread', { timeout: 20_000 });
  await expect(b.locator('.bell-button .count')).toHaveText('1');
  const item = panel.getByRole('link', { name: /Margaux Lefort opened a room: Ouvert à tous/ });
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute('href', `/rooms/${room.id}`);
  await expect(b.getByTestId('notification-announcer')).toHaveText(
    'New notification: Margaux Lefort opened a room: Ouvert à tous',
  );
  await expect(b.getByTestId('notification-announcer')).toHaveAttribute('aria-live', 'polite');
  await shootPanel(b, 'notifications-panel-en', /^Notifications/);

  // Escape closes the panel and gives focus back to the bell; the keyboard opens it again.
  await b.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(bell).toBeFocused();
  await b.keyboard.press('Enter');
  await expect(panel.getByRole('heading', { name: 'Notifications' })).toBeFocused();

  // Following it lands on the room, marks it read, and closes the panel.
  await panel.getByRole('link', { name: /Margaux Lefort opened a room/ }).click();
  await expect(b).toHaveURL(`/rooms/${room.id}`);
  await expect(b.getByRole('heading', { level: 1 })).toHaveText('Ouvert à tous');
  await expect(panel).toHaveCount(0);
  await expect(bell).toHaveAccessibleName('Notifications');

  // The full list has it too, read now.
  await open(b, '/notifications');
  await expect(b.getByRole('heading', { level: 1 })).toHaveText('Notifications');
  const listed = b.locator('[data-notification]');
  await expect(listed).toHaveCount(1);
  await expect(listed).toHaveAttribute('data-read', 'true');
  await expect(b.getByText('Everything is read.')).toBeVisible();
  await b.screenshot({ path: screenshotPath('notifications-page-en.png'), fullPage: true });

  // A was told of the new follower, in French; "mark all read" clears the count.
  const a = margaux.page;
  await open(a, '/notifications');
  const aBell = a.getByRole('button', { name: /^Notifications/ });
  await expect(aBell).toHaveAccessibleName('Notifications, 1 non lue');
  await expect(a.getByRole('link', { name: /Yannick Boyer vous suit désormais/ })).toHaveAttribute(
    'href',
    `/@${yannick.username}`,
  );
  await shootPanel(a, 'notifications-panel-fr', /^Notifications/);
  await a.locator('#notification-panel').getByRole('button', { name: 'Tout marquer comme lu' }).click();
  await expect(aBell).toHaveAccessibleName('Notifications');
  await a.keyboard.press('Escape');
  await expect(a.getByText('Tout est lu.')).toBeVisible();
  await a.screenshot({ path: screenshotPath('notifications-page-fr.png'), fullPage: true });
  await a.setViewportSize(MOBILE);
  await a.screenshot({ path: screenshotPath('notifications-page-fr-mobile.png'), fullPage: true });

  // Muting A from her profile: B is not told when she opens another room.
  await open(b, `/@${margaux.username}`);
  const mute = b.getByRole('checkbox', { name: /Mute notifications from this person/ });
  await expect(mute).not.toBeChecked();
  await mute.check();
  await expect(b.getByRole('status').filter({ hasText: 'muted' })).toHaveText(
    'Notifications from Margaux Lefort are muted.',
  );
  await b.reload();
  await expect(mute).toBeChecked();

  // The host comes in and ends the room, so that it does not linger in other tests' hallway.
  const host = margaux.page.request;
  const headers = { origin: baseURL ?? '' };
  expect((await host.post(`/v1/rooms/${room.id}/join`, { headers })).ok()).toBe(true);
  const ended = await host.post(`/v1/rooms/${room.id}/end`, { headers });
  expect(ended.status(), await ended.text()).toBe(204);

  // Signing out closes the stream: the bell goes with it.
  await b.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(b).toHaveURL('/');
  await expect(b.getByRole('button', { name: /^Notifications/ })).toHaveCount(0);

  await margaux.context.close();
  await yannick.context.close();
});

test('notification settings: quiet hours and a pause are saved and shown again, mutes are listed and undone', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const tag = runTag();
  const ines = await signUpMember(browser, FRENCH, { name: 'Inès Garnier', username: `ines_${tag}` });
  const page = ines.page;
  await open(page, '/settings#notifications');
  const section = page.locator('section#notifications');
  await expect(section.getByRole('heading', { level: 2, name: 'Notifications' })).toBeVisible();

  // Defaults: everything, no quiet hours.
  await expect(section.getByRole('radio', { name: /De tout/ })).toBeChecked();
  const quiet = section.getByRole('checkbox', { name: /Garder les notifications silencieuses/ });
  await expect(quiet).not.toBeChecked();

  // A wrong pause date is said next to the field, and nothing typed is lost.
  await section.getByRole('radio', { name: /Pause/ }).check();
  const until = section.getByLabel('En pause jusqu’au');
  await expect(until).not.toHaveValue('');
  await until.fill('2020-01-01T08:00');
  await section.getByRole('button', { name: 'Enregistrer les réglages de notification' }).click();
  await expect(until).toBeFocused();
  await expect(until).toHaveAttribute('aria-invalid', 'true');
  await expect(section.locator('#notif-pause-until-error')).toHaveText(
    'Cette date est passée. Choisissez-en une à venir.',
  );
  await expect(until).toHaveValue('2020-01-01T08:00');

  // Quiet hours from 22:30 to 07:15; the time zone defaults to the browser's.
  await section.getByRole('radio', { name: /De l’essentiel/ }).check();
  await quiet.check();
  const zone = section.getByLabel('Fuseau horaire');
  const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(zone).toHaveValue(browserZone);
  await section.getByLabel('De', { exact: true }).fill('22:30');
  await section.getByLabel('À', { exact: true }).fill('07:15');
  await zone.selectOption('Europe/Paris');
  await section.getByRole('button', { name: 'Enregistrer les réglages de notification' }).click();
  await expect(section.getByText('Vos réglages de notification sont enregistrés.')).toBeVisible();

  // After a reload, the saved settings are what the form shows.
  await page.reload();
  await expect(section.getByRole('radio', { name: /De l’essentiel/ })).toBeChecked();
  await expect(quiet).toBeChecked();
  await expect(section.getByLabel('De', { exact: true })).toHaveValue('22:30');
  await expect(section.getByLabel('À', { exact: true })).toHaveValue('07:15');
  await expect(section.getByLabel('Fuseau horaire')).toHaveValue('Europe/Paris');
  const saved = await page.request.get('/v1/me');
  expect((await saved.json()).notificationSettings).toMatchObject({
    level: 'fewer',
    pausedUntil: null,
    quietHours: { start: '22:30', end: '07:15', timeZone: 'Europe/Paris' },
  });

  await section.screenshot({ path: screenshotPath('settings-notifications-fr.png') });
  await page.setViewportSize(MOBILE);
  await section.screenshot({ path: screenshotPath('settings-notifications-fr-mobile.png') });
  await page.setViewportSize(DESKTOP);

  // A pause until a future date is kept and said in words.
  await section.getByRole('radio', { name: /Pause/ }).check();
  await section.getByLabel('En pause jusqu’au').fill('2099-06-01T09:00');
  await section.getByRole('button', { name: 'Enregistrer les réglages de notification' }).click();
  await expect(section.getByText('Vos réglages de notification sont enregistrés.')).toBeVisible();
  await page.reload();
  await expect(section.getByRole('radio', { name: /Pause/ })).toBeChecked();
  await expect(section.getByLabel('En pause jusqu’au')).toHaveValue('2099-06-01T09:00');
  await expect(section.getByTestId('pause-active')).toContainText('2099');

  // Mute someone from their profile; the settings name them, and unmute.
  const other = await signUpMember(
    browser,
    ENGLISH,
    { name: 'Owen Price', username: `owen_${tag}` },
    await inviteFrom(ines, baseURL ?? ''),
  );
  await open(page, `/@${other.username}`);
  await page.getByRole('checkbox', { name: /Couper les notifications de cette personne/ }).check();
  await expect(page.getByText('Les notifications de Owen Price sont coupées.')).toBeAttached();
  await open(page, '/settings#notifications');
  const muted = section.getByTestId('muted-list');
  await expect(muted.getByRole('link', { name: 'Owen Price' })).toBeVisible();
  await section.screenshot({ path: screenshotPath('settings-notifications-muted-fr.png') });
  await muted.getByRole('button', { name: 'Rétablir : Owen Price' }).click();
  await expect(section.getByText('Personne n’est en sourdine.', { exact: false })).toBeVisible();
  await page.reload();
  await expect(section.getByText('Personne n’est en sourdine.', { exact: false })).toBeVisible();

  // The same section in English.
  await open(other.page, '/settings#notifications');
  const english = other.page.locator('section#notifications');
  await expect(english.getByRole('radio', { name: /Everything/ })).toBeChecked();
  await english.getByRole('checkbox', { name: /Keep notifications quiet/ }).check();
  await english.screenshot({ path: screenshotPath('settings-notifications-en.png') });
  await other.page.setViewportSize(MOBILE);
  await english.screenshot({ path: screenshotPath('settings-notifications-en-mobile.png') });

  await ines.context.close();
  await other.context.close();
});

test('older notifications come a page at a time, from the keyboard, none lost where a page ends', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const lea = await signUpMember(browser, FRENCH, { name: 'Léa Roux', username: `lea_${runTag()}` });
  const page = lea.page;
  // 45 notifications a minute apart, newest first, except the 30th and the 31st: the last of the
  // first page and the first of the next share their moment.
  const sql = postgres(e2eEnv().DATABASE_URL ?? '', { max: 1, onnotice: () => {} });
  try {
    const [me] = await sql<{ id: string }[]>`select id from users where username = ${lea.username}`;
    if (!me) throw new Error('no such member');
    const newest = Date.now() - 3_600_000;
    const rows = Array.from({ length: 45 }, (_, rank) => ({
      user_id: me.id,
      type: 'follow.new',
      actor_id: me.id,
      dedupe_key: `e2e-pages:${rank}`,
      created_at: new Date(newest - (rank <= 29 ? rank : rank - 1) * 60_000),
    }));
    await sql`insert into notifications ${sql(rows)}`;
  } finally {
    await sql.end();
  }

  await open(page, '/notifications');
  const items = page.locator('[data-notification]');
  await expect(items).toHaveCount(30);
  const more = page.getByRole('button', { name: 'Afficher les notifications plus anciennes' });
  await more.focus();
  await page.keyboard.press('Enter');
  await expect(items).toHaveCount(45);
  // The keyboard goes on from the first one that arrived, and the page says what came.
  await expect(items.nth(30)).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'de plus affichés' })).toHaveText(
    '15 de plus affichés\u00a0: c’est tout.',
  );
  await expect(more).toHaveCount(0);
  const ids = await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-notification')));
  expect(new Set(ids).size).toBe(45);
  await lea.context.close();
});
