import { type Browser, expect, type Page, test } from '@playwright/test';
import {
  audioConfigured,
  browserWithMicrophone,
  energyOver,
  microphoneFile,
  receivedEnergy,
  recordPeerConnections,
} from './support/audio';
import { ENGLISH, FRENCH, type MemberBrowser, open, shots, signUpMember } from './support/members';

/**
 * Real sound through the app and the real LiveKit server that `npm start` runs: a host whose
 * microphone plays speech, a second speaker whose microphone plays silence (the control), and a
 * listener in another browser, who measures the audio energy that arrives from each.
 */
test.use(FRENCH);

/** Energy (WebRTC's totalAudioEnergy) over 1.5 s: the speech gives about 0.02–0.2, silence 0. */
const AUDIBLE = 0.01;
const SILENT = 0.0005;

const browsers: Browser[] = [];
test.afterAll(async () => {
  await Promise.all(browsers.map((b) => b.close()));
});

async function speakerBrowser(kind: 'speech' | 'silence') {
  const browser = await browserWithMicrophone(microphoneFile(kind));
  browsers.push(browser);
  return browser;
}

async function memberId(member: MemberBrowser): Promise<string> {
  const me = (await (await member.page.request.get('/v1/me')).json()) as { id: string };
  return me.id;
}

const stageRow = (page: Page, username: string) =>
  page.locator(`[data-band="band-stage"] [data-person="${username}"]`);

test('a second browser hears the first through LiveKit; a silent speaker stays silent; a closed tab leaves', async ({
  browser,
  request,
}) => {
  test.setTimeout(240_000);
  if (!(await audioConfigured(request))) {
    expect(process.env.CI, 'CI must run the app with the pinned LiveKit server').not.toBe('true');
    test.skip(true, 'No LiveKit server: run `npm run livekit:install` (needs Go) to hear rooms.');
  }

  const host = await signUpMember(await speakerBrowser('speech'), FRENCH, {
    name: 'Hélène Sonore',
    username: `helene_son_${Date.now() % 10_000}`,
  });
  const quiet = await signUpMember(await speakerBrowser('silence'), FRENCH, {
    name: 'Quentin Calme',
    username: `quentin_son_${Date.now() % 10_000}`,
  });
  const listener = await signUpMember(browser, ENGLISH, {
    name: 'Marc Auditeur',
    username: `marc_son_${Date.now() % 10_000}`,
  });
  await recordPeerConnections(listener.context);
  const [hostId, quietId] = [await memberId(host), await memberId(quiet)];

  // The landing page says that this server has live audio.
  await open(listener.page, '/');
  await expect(listener.page.getByText('Live audio is ready.')).toBeVisible();

  // The host opens a room, is connected to its sound, and turns her microphone on.
  await open(host.page, '/rooms/new');
  await host.page.locator('#room-topic').fill('On s’entend ?');
  await host.page.getByRole('button', { name: 'Ouvrir la salle' }).click();
  await expect(host.page).toHaveURL(/\/rooms\/[0-9a-f-]{36}$/);
  const roomUrl = host.page.url();
  await expect(host.page.locator('[data-audio="connected"]')).toHaveText('Connecté·e au son de la salle.');
  // The recorder (running beside the local server) is in the room: the page says so.
  await expect(host.page.locator('[data-recording-live]')).toBeVisible({ timeout: 20_000 });
  await host.page.getByRole('button', { name: 'Allumer mon micro' }).click();
  await expect(host.page.locator('button[data-mic="on"]')).toBeVisible();

  // The listener comes in and hears the host.
  await open(listener.page, roomUrl);
  const joinedAt = Date.now();
  await listener.page.getByRole('button', { name: 'Join the room' }).click();
  await expect(listener.page.locator('[data-audio="connected"]')).toBeVisible();
  let firstAudioMs = 0;
  await expect
    .poll(
      async () => {
        const energy = (await receivedEnergy(listener.page, hostId)) ?? 0;
        if (energy > 0.001 && !firstAudioMs) firstAudioMs = Date.now() - joinedAt;
        return energy;
      },
      { timeout: 20_000, intervals: [100] },
    )
    .toBeGreaterThan(0.001);
  await expect(listener.page.locator('[data-recording-live]')).toHaveText(
    'Recording now, for moderation only',
  );

  // The silent speaker comes on stage the product's way: hand, then one tap in the moderator's
  // queue of raised hands, then acceptance.
  await open(quiet.page, roomUrl);
  await quiet.page.getByRole('button', { name: 'Entrer dans la salle' }).click();
  await quiet.page.getByRole('button', { name: 'Lever la main' }).click();
  const queue = host.page.locator('[data-hands-queue]');
  await expect(queue.locator('[data-hands]')).toContainText('1 main levée');
  await queue.locator('[data-hands]').click();
  await expect(queue.locator(`[data-hand-of="${quiet.username}"] [data-hand-state]`)).toHaveText(
    'En attente',
  );
  await shots(host.page, 'room-hands-queue-fr');
  await queue.getByRole('button', { name: 'Inviter Quentin Calme à parler' }).click();
  await expect(queue.locator(`[data-hand-of="${quiet.username}"] [data-hand-state]`)).toHaveText(
    'Invité·e : en attente de sa réponse',
  );
  await quiet.page.getByRole('button', { name: 'Accepter et monter sur scène' }).click();
  await expect(stageRow(listener.page, quiet.username)).toBeVisible();
  // Accepted: off the queue, on the stage, for the moderator too.
  await expect(queue.locator(`[data-hand-of="${quiet.username}"]`)).toHaveCount(0);
  await quiet.page.getByRole('button', { name: 'Allumer mon micro' }).click();
  await expect(quiet.page.locator('button[data-mic="on"]')).toBeVisible();
  await expect.poll(() => receivedEnergy(listener.page, quietId), { timeout: 20_000 }).not.toBeNull();

  const fromHost = await energyOver(listener.page, hostId);
  const fromQuiet = await energyOver(listener.page, quietId);
  console.info(
    `audio at the listener over 1.5 s: host ${fromHost.toFixed(4)}, silent speaker ${fromQuiet.toFixed(6)} ` +
      `(totalAudioEnergy); join to first audio ${firstAudioMs} ms`,
  );
  expect(fromHost).toBeGreaterThan(AUDIBLE);
  expect(fromQuiet).toBeLessThan(SILENT);

  // The speaking ring lights for the one whose sound arrives, never for the silent one.
  await expect(stageRow(listener.page, host.username)).toHaveAttribute('data-speaking', 'true', {
    timeout: 10_000,
  });
  for (let i = 0; i < 10; i++) {
    await expect(stageRow(listener.page, quiet.username)).toHaveAttribute('data-speaking', 'false');
    await listener.page.waitForTimeout(200);
  }
  await expect(stageRow(listener.page, quiet.username)).toHaveAttribute('data-microphone', 'on');
  await shots(host.page, 'room-sound-host-fr');
  await shots(listener.page, 'room-sound-listener-en');

  // Browsing elsewhere keeps the room playing, in the mini-player, across two navigations.
  for (const path of ['/hallway', '/clubs']) {
    await listener.page
      .getByRole('link', { name: path === '/hallway' ? 'Hallway' : 'Clubs' })
      .first()
      .click();
    await expect(listener.page).toHaveURL(new RegExp(`${path}$`));
    const mini = listener.page.locator('[data-mini-player]');
    await expect(mini).toContainText('On s’entend ?');
    const away = await energyOver(listener.page, hostId, 3000);
    console.info(`audio at the listener on ${path} over 3 s: ${away.toFixed(4)}`);
    expect(away).toBeGreaterThan(AUDIBLE);
  }
  await expect(listener.page.locator('[data-mini-speaking]')).toContainText('Hélène Sonore');
  await shots(listener.page, 'mini-player-en');
  await listener.page.locator('[data-mini-player]').getByRole('link', { name: 'Back to the room' }).click();
  await expect(listener.page).toHaveURL(roomUrl);
  await expect(listener.page.locator('[data-mini-player]')).toHaveCount(0);
  await expect(listener.page.getByRole('button', { name: 'Raise my hand' })).toBeVisible();

  // The listener closes the tab without leaving: LiveKit's webhook takes them out of the room.
  await expect(host.page.locator(`[data-person="${listener.username}"]`)).toBeVisible();
  await listener.context.close();
  await expect(host.page.locator(`[data-person="${listener.username}"]`)).toHaveCount(0, { timeout: 30_000 });

  // Ending the room ends the sound for everyone.
  await host.page.getByRole('button', { name: 'Terminer la salle', exact: true }).click();
  await host.page
    .getByRole('dialog')
    .getByRole('button', { name: 'Terminer la salle pour tout le monde' })
    .click();
  await expect(quiet.page.getByRole('heading', { level: 2, name: 'Cette salle est terminée' })).toBeVisible();
  await Promise.all([host.context.close(), quiet.context.close()]);
});

/** Presses Tab until `target` has the focus, as someone on a keyboard does (60 stops at most). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error('not reachable with the keyboard');
}

test('by keyboard alone: join, raise a hand, accept, speak, leave', async ({ browser, request }) => {
  test.setTimeout(180_000);
  if (!(await audioConfigured(request))) {
    expect(process.env.CI, 'CI must run the app with the pinned LiveKit server').not.toBe('true');
    test.skip(true, 'No LiveKit server: run `npm run livekit:install` (needs Go) to hear rooms.');
  }
  const tag = Date.now() % 10_000;
  const host = await signUpMember(browser, ENGLISH, { name: 'Alice Clavier', username: `alice_kb_${tag}` });
  const guest = await signUpMember(await speakerBrowser('speech'), ENGLISH, {
    name: 'Bruno Touche',
    username: `bruno_kb_${tag}`,
  });
  const guestId = await memberId(guest);
  await recordPeerConnections(host.context);

  await open(host.page, '/rooms/new');
  await host.page.locator('#room-topic').fill('Keyboard only');
  await host.page.getByRole('button', { name: 'Start the room' }).click();
  await expect(host.page.locator('[data-audio="connected"]')).toBeVisible();
  const roomUrl = host.page.url();

  const { page } = guest;
  await open(page, roomUrl);
  await tabTo(page, page.getByRole('button', { name: 'Join the room' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await tabTo(page, page.getByRole('button', { name: 'Raise my hand' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Lower my hand' })).toBeFocused();

  await host.page.locator('[data-hands]').click();
  await host.page.getByRole('button', { name: 'Invite Bruno Touche to speak' }).click();

  await tabTo(page, page.getByRole('button', { name: 'Accept and go on stage' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-notice]')).toHaveText('You are on stage.');
  await tabTo(page, page.getByRole('button', { name: 'Turn my microphone on' }));
  await page.keyboard.press('Space');
  await expect(page.locator('button[data-mic="on"]')).toBeVisible();
  // The host hears the guest who got there by keyboard.
  await expect.poll(() => receivedEnergy(host.page, guestId), { timeout: 20_000 }).toBeGreaterThan(0.001);

  await tabTo(page, page.getByRole('button', { name: 'Leave quietly' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'You left the room' })).toBeFocused();
  await expect(host.page.locator(`[data-person="${guest.username}"]`)).toHaveCount(0);

  // The host leaving her own room is asked first.
  await host.page.getByRole('button', { name: 'Leave quietly' }).click();
  const confirm = host.page.getByRole('dialog');
  await expect(confirm).toContainText('You host this room. Leave it?');
  await confirm.getByRole('button', { name: 'Leave the room' }).click();
  await expect(host.page.getByRole('heading', { level: 2, name: 'You left the room' })).toBeVisible();
  await Promise.all([host.context.close(), guest.context.close()]);
});

test('“Start a club room” on a club’s page opens the form in Club mode, for that club', async ({
  browser,
  baseURL,
}) => {
  const tag = Date.now() % 10_000;
  const admin = await signUpMember(browser, FRENCH, { name: 'Claire Club', username: `claire_club_${tag}` });
  const created = await admin.page.request.post('/v1/clubs', {
    headers: { origin: baseURL ?? '' },
    data: { name: 'Les Cyclistes', slug: `cyclistes-${tag}`, joinPolicy: 'open' },
  });
  expect(created.status()).toBe(201);
  await open(admin.page, `/clubs/cyclistes-${tag}`);
  await admin.page.getByRole('link', { name: 'Ouvrir une salle du club' }).click();
  await expect(admin.page.getByRole('radio', { name: /Club/ })).toBeChecked();
  await expect(admin.page.locator('#room-club')).toHaveValue(`cyclistes-${tag}`);
  await admin.context.close();
});
