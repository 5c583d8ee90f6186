import { expect, type Locator, type Page, test } from '@playwright/test';
import { takeInvite } from './support/invites';
import {
  addAuthenticator,
  DESKTOP,
  ENGLISH,
  FRENCH,
  MOBILE,
  newBrowserFor,
  open,
  screenshotPath,
  shownCode,
} from './support/members';

test.use(FRENCH);

/** A full-page screenshot named `<prefix>-<step>`, when the caller wants them. */
async function shot(page: Page, prefix: string | undefined, step: string): Promise<void> {
  if (prefix) await page.screenshot({ path: screenshotPath(`${prefix}-${step}`), fullPage: true });
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

interface Member {
  phone: string;
  name: string;
  username: string;
}

interface Labels {
  accept: string;
  phoneHeading: string;
  codeHeading: string;
  profileHeading: string;
  passkeyHeading: string;
  name: string;
  username: string;
  age: string;
  continue: string;
  back: string;
  number: string;
  send: string;
  create: string;
  welcome: RegExp;
  available: (username: string) => string;
  wrongCode: string;
}

const FR: Labels = {
  accept: 'Accepter l’invitation',
  phoneHeading: 'Votre numéro de mobile',
  codeHeading: 'Saisissez le code',
  profileHeading: 'À propos de vous',
  passkeyHeading: 'Créez votre clé d’accès',
  name: 'Votre nom',
  username: 'Pseudo',
  age: 'J’ai 18 ans ou plus',
  continue: 'Continuer',
  back: 'Retour',
  number: 'Numéro de mobile',
  send: 'M’envoyer un code',
  create: 'Créer ma clé d’accès',
  welcome: /^Bienvenue sur Salon, /,
  available: (username) => `@${username} est disponible.`,
  wrongCode: 'Ce code n’est pas le bon. Il vous reste 4 essais.',
};

const EN: Labels = {
  accept: 'Accept the invitation',
  phoneHeading: 'Your mobile number',
  codeHeading: 'Enter the code',
  profileHeading: 'About you',
  passkeyHeading: 'Create your passkey',
  name: 'Your name',
  username: 'Username',
  age: 'I am 18 or over',
  continue: 'Continue',
  back: 'Back',
  number: 'Mobile number',
  send: 'Send me a code',
  create: 'Create my passkey',
  welcome: /^Welcome to Salon, /,
  available: (username) => `@${username} is available.`,
  wrongCode: 'This code is not the right one. You have 4 attempts left.',
};

/**
 * Signs a member up through the wizard. The phone and code steps are done with the keyboard
 * only; `shots` names the screenshots of each step; `wrongCodeFirst` tries a wrong code first.
 */
async function signUp(
  page: Page,
  member: Member,
  labels: Labels,
  options: { shots?: string; wrongCodeFirst?: boolean; checkBack?: boolean } = {},
) {
  const invite = takeInvite();
  await open(page, `/join/${invite}`);
  const heading = (name: string) => page.getByRole('heading', { level: 2, name });

  // 1. Invite: who invited (bootstrap invites come from Salon itself) and what is needed.
  await expect(page.getByTestId('inviter')).toBeVisible();
  await expect(page.locator('[aria-current="step"]')).toHaveCount(1);
  await shot(page, options.shots, '1-invite.png');
  await page.getByRole('button', { name: labels.accept }).click();

  // 2. Phone, keyboard only. Focus moved to the step's heading.
  await expect(heading(labels.phoneHeading)).toBeFocused();
  const number = page.getByRole('textbox', { name: labels.number, exact: true });
  await expect(number).toHaveAttribute('inputmode', 'tel');
  await expect(number).toHaveAttribute('autocomplete', 'tel');
  await shot(page, options.shots, '2-phone.png');
  await page.keyboard.press('Tab');
  expect(await isFocused(page.locator('#phone-country'))).toBe(true);
  await expect(page.locator('#phone-country')).toHaveValue('FR');
  await page.keyboard.press('Tab');
  await expect(number).toBeFocused();
  await page.keyboard.type(member.phone);
  await page.keyboard.press('Enter');

  // 3. Code, keyboard only, read from the development notice.
  await expect(heading(labels.codeHeading)).toBeFocused();
  const code = await shownCode(page);
  const codeField = page.locator('#otp-code');
  await expect(codeField).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(codeField).toHaveAttribute('inputmode', 'numeric');
  await shot(page, options.shots, '3-code.png');
  // The resend button waits out the API's cool-down, counting down.
  await expect(page.locator('#resend-wait')).toContainText(/0:[0-3]\d/);
  await expect(page.locator('#resend-wait')).not.toContainText('0:30', { timeout: 3000 });
  await page.keyboard.press('Tab');
  await expect(codeField).toBeFocused();
  if (options.wrongCodeFirst) {
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await page.keyboard.type(wrong);
    await page.keyboard.press('Enter');
    await expect(page.locator('#code-error')).toHaveText(labels.wrongCode);
    await expect(codeField).toHaveAttribute('aria-invalid', 'true');
    // What was typed stays, selected, so typing again replaces it.
    await expect(codeField).toBeFocused();
    await expect(codeField).toHaveValue(wrong);
    await shot(page, options.shots, '3-code-wrong.png');
  }
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');

  // 4. Name, @username (checked live), 18+ (not pre-ticked).
  await expect(heading(labels.profileHeading)).toBeFocused();
  const age = page.getByRole('checkbox', { name: labels.age });
  await expect(age).not.toBeChecked();
  await page.getByRole('textbox', { name: labels.name, exact: true }).fill(member.name);
  await page.getByRole('textbox', { name: labels.username, exact: true }).fill(member.username);
  await expect(page.locator('#username-status')).toHaveText(labels.available(member.username));

  if (options.checkBack) {
    // Back to the phone step and forward again: nothing typed is lost, and no new code is needed.
    await page.getByRole('button', { name: labels.back }).click();
    await expect(heading(labels.phoneHeading)).toBeFocused();
    await expect(number).toHaveValue(member.phone);
    await page.getByRole('button', { name: labels.send }).click();
    await expect(heading(labels.profileHeading)).toBeFocused();
    await expect(page.getByRole('textbox', { name: labels.name, exact: true })).toHaveValue(member.name);
    await expect(page.getByRole('textbox', { name: labels.username, exact: true })).toHaveValue(
      member.username,
    );
  }

  // Continuing without ticking the box says why, next to the box.
  await page.getByRole('button', { name: labels.continue }).click();
  await expect(age).toBeFocused();
  await expect(age).toHaveAttribute('aria-invalid', 'true');
  await age.check();
  await expect(page.locator('#age-error')).toHaveCount(0);
  await shot(page, options.shots, '4-profile.png');
  await page.getByRole('button', { name: labels.continue }).click();

  // 5. The passkey, created by the virtual authenticator.
  await expect(heading(labels.passkeyHeading)).toBeFocused();
  await shot(page, options.shots, '5-passkey.png');
  await page.getByRole('button', { name: labels.create }).click();

  // Welcome: signed in, and the header knows it.
  await expect(page.getByRole('heading', { level: 1, name: labels.welcome })).toBeFocused();
  await expect(page.getByRole('link', { name: new RegExp(`@${member.username}$`) }).first()).toBeVisible();
  await shot(page, options.shots, '6-welcome.png');
}

test('two members sign up, sign in with a passkey, find and follow each other', async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize(DESKTOP);
  await addAuthenticator(context, page);

  // Member A, in French, from the invite link.
  const eloise = { phone: '06 12 34 56 78', name: 'Éloïse Martin', username: 'eloise' };
  await signUp(page, eloise, FR, { shots: 'signup-fr', checkBack: true });
  await page.getByRole('link', { name: 'Voir mon profil' }).click();
  await expect(page).toHaveURL('/@eloise');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Éloïse Martin');
  await expect(page.getByText('Nouveau', { exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Modifier mon profil' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('profile-own-fr.png'), fullPage: true });

  // The phone step on a phone-sized screen (a fresh visit, no sign-up made).
  const mobile = await browser.newContext({ ...FRENCH, viewport: MOBILE });
  const mobilePage = await mobile.newPage();
  await open(mobilePage, `/join/${takeInvite()}`);
  await mobilePage.screenshot({ path: screenshotPath('signup-fr-mobile-1-invite.png'), fullPage: true });
  await mobilePage.getByRole('button', { name: FR.accept }).click();
  await expect(mobilePage.getByRole('heading', { level: 2, name: FR.phoneHeading })).toBeFocused();
  await mobilePage.screenshot({ path: screenshotPath('signup-fr-mobile-2-phone.png'), fullPage: true });
  await mobile.close();

  // Member B, in English, in another browser, trying a wrong code first.
  const b = await newBrowserFor(browser, ENGLISH);
  const bastien = { phone: '07 81 23 45 67', name: 'Bastien Roux', username: 'bastien' };
  await signUp(b.page, bastien, EN, { shots: 'signup-en', wrongCodeFirst: true });
  // Signed in, the join page says so instead of starting another sign-up.
  await open(b.page, '/join');
  await expect(b.page.getByText('You already have an account and are signed in as @bastien.')).toBeVisible();

  // B signs out, then back in with the passkey alone: no username typed.
  await b.page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(b.page).toHaveURL('/');
  await expect(b.page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await b.page.getByRole('link', { name: 'Sign in' }).click();
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Salon');
  await b.page.screenshot({ path: screenshotPath('login-en.png'), fullPage: true });
  await b.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(b.page).toHaveURL('/@bastien');
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Bastien Roux');

  // B finds A by name without the accents, and follows her.
  await b.page.getByRole('link', { name: 'Search' }).click();
  const searchbox = b.page.getByRole('searchbox', { name: 'Name or @username' });
  await searchbox.fill('zzz');
  await expect(b.page.getByText('Nobody matches “zzz”.')).toBeVisible();
  await searchbox.fill('eloise');
  const result = b.page.getByRole('link', { name: /Éloïse Martin/ });
  await expect(result).toBeVisible();
  await expect(b.page).toHaveURL('/search?q=eloise');
  await expect(b.page.getByRole('status').filter({ hasText: 'found' })).toHaveText('1 person found');
  await b.page.screenshot({ path: screenshotPath('search-en.png'), fullPage: true });
  await result.click();
  await expect(b.page).toHaveURL('/@eloise');
  const followers = b.page.locator('[data-count="followers"]');
  await expect(followers).toHaveText(/^\s*0\s+followers\s*$/);
  await b.page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(followers).toHaveText(/^\s*1\s+follower\s*$/);
  await expect(b.page.getByRole('button', { name: 'Unfollow' })).toBeVisible();
  await b.page.screenshot({ path: screenshotPath('profile-en.png'), fullPage: true });
  await b.page.setViewportSize(MOBILE);
  await b.page.screenshot({ path: screenshotPath('profile-en-mobile.png'), fullPage: true });
  await b.page.setViewportSize(DESKTOP);

  // The follow was saved, not just shown.
  await b.page.reload();
  await expect(followers).toHaveText(/^\s*1\s+follower\s*$/);
  await expect(b.page.getByRole('button', { name: 'Unfollow' })).toBeVisible();

  // And A sees her follower too (in French, on a phone).
  await page.reload();
  await expect(page.locator('[data-count="followers"]')).toHaveText(/^\s*1\s+abonné\s*$/);
  await page.setViewportSize(MOBILE);
  await page.screenshot({ path: screenshotPath('profile-own-fr-mobile.png'), fullPage: true });
  await page.setViewportSize(DESKTOP);

  // B's settings list the passkey and this device.
  await b.page.getByRole('link', { name: 'Settings' }).click();
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  const passkeys = b.page.locator('[data-passkey]');
  await expect(passkeys).toHaveCount(1);
  await expect(passkeys).toContainText(/Chrom\w* on Linux/);
  await expect(b.page.getByText('This is your only passkey, so it cannot be removed')).toBeVisible();
  await expect(b.page.getByRole('button', { name: /^Remove the passkey/ })).toHaveCount(0);
  const thisDevice = b.page.locator('[data-session][data-current="true"]');
  await expect(thisDevice).toHaveCount(1);
  await expect(thisDevice).toContainText('This device');
  await b.page.screenshot({ path: screenshotPath('settings-en.png'), fullPage: true });

  // Invitations: create one, and its link is there to copy.
  await b.page.getByRole('button', { name: 'Create an invitation' }).click();
  const invite = b.page.locator('[data-invite][data-status="active"]');
  await expect(invite).toHaveCount(1);
  await expect(invite).toContainText('/join/');
  await expect(b.page.getByText('You can create 1 more invitation.')).toBeVisible();
  const link = /https?:\/\/\S+/.exec((await invite.locator('.link').textContent()) ?? '')?.[0];
  expect(link).toContain('/join/');

  // Whoever opens that link sees who invited them.
  const guest = await browser.newContext(ENGLISH);
  const guestPage = await guest.newPage();
  await open(guestPage, link ?? '');
  await expect(guestPage.getByTestId('inviter')).toHaveText('Bastien Roux (@bastien) invited you to Salon.');
  await guest.close();

  // A's settings, in French, on a phone.
  await open(page, '/settings');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Réglages');
  await page.getByRole('textbox', { name: 'Présentation' }).fill('Cheffe de chœur à Lyon.');
  await page.getByRole('button', { name: 'Musique' }).click();
  await expect(page.getByRole('button', { name: 'Musique' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
  await expect(page.getByText('Votre profil est enregistré.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('settings-fr.png'), fullPage: true });
  await page.setViewportSize(MOBILE);
  await page.screenshot({ path: screenshotPath('settings-fr-mobile.png'), fullPage: true });

  await b.context.close();
});

test('a cancelled passkey prompt is explained, not treated as a failure', async ({ page, context }) => {
  const { cdp, authenticatorId } = await addAuthenticator(context, page);
  // An authenticator that holds no passkey for this site: the browser's prompt ends as NotAllowedError.
  await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
  await open(page, '/login');
  await page.getByRole('button', { name: 'Se connecter avec une clé d’accès' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'fenêtre' })).toHaveText(
    'La fenêtre de la clé d’accès a été fermée. Appuyez à nouveau sur le bouton quand vous êtes prêt·e.',
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page).toHaveURL('/login');
});

test('members-only pages send signed-out visitors to sign in, and come back after', async ({ page }) => {
  await open(page, '/settings');
  await expect(page).toHaveURL('/login?next=%2Fsettings');
  await open(page, '/search?q=eloise');
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/search?q=eloise')}`);
  await expect(page.getByRole('link', { name: 'Appareil perdu ?' })).toHaveAttribute('href', '/recover');
});

test('an unknown member has a translated 404', async ({ page }) => {
  const response = await page.goto('/@personne_ici');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Membre introuvable');
});

test('an unusable invite says so and lets the person type another code', async ({ page }) => {
  await open(page, '/join/NOPE0-NOPE0');
  await expect(page.locator('#invite-code-error')).toContainText('Cette invitation n’est pas utilisable');
  const field = page.getByLabel('Code d’invitation');
  await expect(field).toHaveValue('NOPE0-NOPE0');
  const code = takeInvite();
  await field.fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Vérifier le code' }).click();
  await expect(page).toHaveURL(`/join/${code}`);
  await expect(page.getByRole('button', { name: 'Accepter l’invitation' })).toBeVisible();
});

/**
 * Moves the development server's clock forward (POST /v1/dev/clock), from the page so that the
 * request carries the app's origin: a cool-down or an expiry passes without waiting for it.
 */
async function advanceServerClock(page: Page, seconds: number) {
  const status = await page.evaluate(async (advanceSeconds) => {
    const response = await fetch('/v1/dev/clock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceSeconds }),
    });
    return response.status;
  }, seconds);
  expect(status).toBe(200);
}

test('a lost device: recovery waits, and the signed-in device sees the request and cancels it', async ({
  page,
  context,
  browser,
}) => {
  test.setTimeout(120_000);
  await addAuthenticator(context, page);
  const camille = { phone: '06 55 44 33 22', name: 'Camille Lefèvre', username: 'camille' };
  await signUp(page, camille, FR);

  // Somewhere else, without any passkey: "Lost your device?"
  const elsewhere = await browser.newContext({ ...FRENCH, viewport: DESKTOP });
  const lost = await elsewhere.newPage();
  await open(lost, '/login');
  await lost.getByRole('link', { name: 'Appareil perdu ?' }).click();
  await expect(lost).toHaveURL('/recover');
  await lost.getByRole('textbox', { name: 'Numéro de mobile', exact: true }).fill(camille.phone);
  await lost.getByRole('button', { name: 'M’envoyer un code' }).click();

  // A code went to this number moments ago (sign-up): the API's cool-down applies, in words.
  const cooldown = lost.getByRole('alert').filter({ hasText: 'Un code vient d’être envoyé' });
  await expect(cooldown).toHaveText(/Vous pourrez en demander un nouveau dans \d+\ssecondes?\./);
  const wait = Number(/(\d+)\sseconde/.exec((await cooldown.textContent()) ?? '')?.[1] ?? 30);
  // The server's clock, not the test, goes past the cool-down.
  await advanceServerClock(lost, wait + 1);
  await lost.getByRole('button', { name: 'M’envoyer un code' }).click();
  const code = await shownCode(lost);
  await lost.locator('#otp-code').fill(code);
  await lost.keyboard.press('Enter');

  // For safety the new passkey has to wait; the date is written the French way.
  await expect(lost.getByRole('heading', { level: 2, name: 'Votre demande est enregistrée' })).toBeFocused();
  await expect(lost.locator('.when time')).toHaveText(/^\d{1,2} \S+ \d{4}, \d{2}:\d{2}$/);
  await lost.screenshot({ path: screenshotPath('recover-waiting-fr.png'), fullPage: true });
  await elsewhere.close();

  // The member's signed-in device shows the request and cancels it.
  await open(page, '/settings');
  const banner = page.getByRole('region', { name: 'Quelqu’un a demandé à récupérer votre compte' });
  await expect(banner).toBeVisible();
  await page.screenshot({ path: screenshotPath('settings-recovery-fr.png') });
  await banner.getByRole('button', { name: 'Annuler cette récupération' }).click();
  await expect(page.getByText('La demande de récupération a été annulée.')).toBeVisible();
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Réglages');
  await expect(banner).toHaveCount(0);
});

test('a member adds, renames and removes passkeys, but never the last one', async ({ page, context }) => {
  test.setTimeout(90_000);
  const first = await addAuthenticator(context, page);
  await signUp(page, { phone: '07 66 55 44 33', name: 'Dora Weiß', username: 'dora' }, FR);
  await open(page, '/settings#passkeys');
  const passkeys = page.locator('[data-passkey]');
  await expect(passkeys).toHaveCount(1);
  await expect(page.getByText('C’est votre seule clé d’accès')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Supprimer la clé d’accès/ })).toHaveCount(0);

  // The same device already holds this account's passkey: said plainly.
  await page.getByRole('button', { name: 'Ajouter une clé d’accès' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Cet appareil contient déjà une clé d’accès pour ce compte.',
  );

  // Another device (a second authenticator) can add one.
  await first.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first.authenticatorId });
  await addAuthenticator(context, page);
  await page.getByRole('button', { name: 'Ajouter une clé d’accès' }).click();
  await expect(passkeys).toHaveCount(2);
  await expect(page.getByText('C’est votre seule clé d’accès')).toHaveCount(0);

  // Rename the new one inline, with the keyboard.
  await page
    .getByRole('button', { name: /^Renommer la clé d’accès/ })
    .nth(1)
    .click();
  const name = page.getByRole('textbox', { name: 'Nom de cette clé d’accès' });
  await expect(name).toBeFocused();
  await name.fill('Ordinateur du bureau');
  await page.keyboard.press('Enter');
  await expect(passkeys.nth(1)).toContainText('Ordinateur du bureau');
  await expect(
    page.getByRole('button', { name: 'Renommer la clé d’accès Ordinateur du bureau' }),
  ).toBeFocused();

  // Remove the first one, after confirming.
  await page
    .getByRole('button', { name: /^Supprimer la clé d’accès/ })
    .first()
    .click();
  await expect(
    page.getByText(/^Supprimer «\s.+\s»\s\?\sVous ne pourrez plus vous connecter avec\.$/),
  ).toBeVisible();
  await page.screenshot({ path: screenshotPath('settings-passkeys-fr.png') });
  await page.getByRole('button', { name: 'Supprimer cette clé' }).click();
  await expect(passkeys).toHaveCount(1);
  await expect(passkeys).toContainText('Ordinateur du bureau');
  await expect(page.getByText('C’est votre seule clé d’accès')).toBeVisible();

  // The one left still signs in.
  await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
  await expect(page).toHaveURL('/');
  await open(page, '/login?next=%2Fsettings');
  await page.getByRole('button', { name: 'Se connecter avec une clé d’accès' }).click();
  await expect(page).toHaveURL('/settings');
});
