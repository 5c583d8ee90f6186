import { expect, type Page, test } from '@playwright/test';
import { audioConfigured } from './support/audio';
import {
  ENGLISH,
  FRENCH,
  newBrowserFor,
  open,
  ready,
  screenshotPath,
  shots,
  signUp,
} from './support/members';

test.use(FRENCH);

/**
 * The room page tells the truth about sound: connected when the app runs its LiveKit server (CI
 * always does), and "unavailable, everything else works" on a machine without one.
 */
const AUDIO = {
  fr: {
    connected: 'Connecté·e au son de la salle.',
    unavailable: /Le son est indisponible pour le moment\s;\stout le reste fonctionne\./,
  },
  en: {
    connected: 'Connected to the room’s sound.',
    unavailable: 'Audio is unavailable right now; everything else works.',
  },
};
async function expectAudioTruth(page: Page, lang: 'fr' | 'en', hasSound: boolean) {
  const state = hasSound ? 'connected' : 'unavailable';
  await expect(page.locator(`[data-audio="${state}"]`)).toHaveText(AUDIO[lang][state]);
}
const RECORDING_EN =
  'Rooms may be recorded for moderation only: the audio is encrypted, kept 30 days, then destroyed; nobody can replay it. While it is recorded, the room says so.';
const RECORDING_FR =
  /^Les salles peuvent être enregistrées, uniquement pour la modération\s:\sle son est chiffré, conservé 30 jours puis détruit\s;\spersonne ne peut le réécouter\. Pendant l’enregistrement, la salle l’indique\.$/;

const helene = { phone: '06 40 12 34 01', name: 'Hélène Dubois', username: 'helene_d' };
const marc = { phone: '06 40 12 34 02', name: 'Marc Lefort', username: 'marc_l' };
const chloe = { phone: '06 40 12 34 03', name: 'Chloé Martin', username: 'chloe_m' };

const row = (page: Page, username: string) => page.locator(`[data-person="${username}"]`);
const tile = (page: Page, username: string) => page.locator(`[data-person="${username}"] button`);
const sheet = (page: Page) => page.locator('[data-person-sheet]');
/** Opens a person's sheet from their face and picks one of the actions there. */
async function actOn(page: Page, username: string, action: string) {
  await tile(page, username).click();
  await sheet(page).getByRole('button', { name: action }).click();
}
const inBand = (page: Page, band: 'stage' | 'followed' | 'audience', username: string) =>
  page.locator(`[data-band="band-${band}"] [data-person="${username}"]`);
const myRole = (page: Page) => page.locator('#room-mine-heading');
const notice = (page: Page) => page.locator('[data-notice]');

test('a host opens a room; a listener raises a hand, goes on stage and back, reacts; the room ends', async ({
  browser,
  request,
}) => {
  test.setTimeout(300_000);
  const hasSound = await audioConfigured(request);

  // Three members: Hélène hosts (French), Marc listens (English), Chloé listens (French).
  const a = await newBrowserFor(browser, FRENCH);
  const b = await newBrowserFor(browser, ENGLISH);
  const c = await newBrowserFor(browser, FRENCH);
  await signUp(a.page, helene, FRENCH);
  await signUp(b.page, marc, ENGLISH);
  await signUp(c.page, chloe, FRENCH);

  // A: from the home page to the hallway, empty for now, which invites her to start a room.
  await open(a.page, '/');
  await shots(a.page, 'home-member-fr');
  await a.page.getByRole('link', { name: 'Aller au hall' }).click();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Le hall');
  await expect(a.page.getByText('Aucune salle n’est en direct pour vous en ce moment.')).toBeVisible();
  await shots(a.page, 'hallway-empty-fr');
  await a.page.getByRole('link', { name: 'Ouvrir une salle' }).first().click();

  // The form: nothing typed is lost, and a missing topic is said next to the field.
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Ouvrir une salle');
  await expect(a.page.getByText(RECORDING_FR)).toBeVisible();
  await a.page.getByRole('button', { name: 'Ouvrir la salle' }).click();
  await expect(a.page.locator('#room-topic-error')).toHaveText('Donnez un sujet à la salle.');
  await expect(a.page.locator('#room-topic')).toBeFocused();
  await a.page.locator('#room-topic').fill('x'.repeat(64));
  await expect(a.page.locator('#room-topic-count')).toContainText('4 caractères en trop');
  await a.page.locator('#room-topic').fill('Le vélo en ville');
  await expect(a.page.locator('#room-topic-count')).toContainText('44 caractères restants');
  await a.page.getByRole('button', { name: 'Musique' }).click();
  await shots(a.page, 'room-new-fr');
  await a.page.getByRole('button', { name: 'Ouvrir la salle' }).click();

  // A is in her room at once, as its host; the page says whether there is sound.
  await expect(a.page).toHaveURL(/\/rooms\/[0-9a-f-]{36}$/);
  const roomUrl = a.page.url();
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Le vélo en ville');
  await expect(myRole(a.page)).toHaveText(/^Votre place ici\s:\sHôte$/);
  await expectAudioTruth(a.page, 'fr', hasSound);
  await expect(inBand(a.page, 'stage', 'helene_d')).toBeVisible();

  // B, in English, finds the room in the hallway and opens it.
  await open(b.page, '/hallway');
  const card = b.page.getByRole('link', { name: 'Le vélo en ville' });
  await expect(card).toBeVisible();
  await expect(b.page.locator('[data-room-card]').first()).toContainText('Hosted by Hélène Dubois');
  await expect(b.page.locator('[data-room-card]').first()).toContainText('1 person in the room');
  await shots(b.page, 'hallway-en');
  await card.click();

  // Before joining: the recording notice, then Join.
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Le vélo en ville');
  await expect(b.page.getByRole('heading', { level: 2, name: 'This room may be recorded' })).toBeVisible();
  await expect(b.page.getByText(RECORDING_EN)).toBeVisible();
  await b.page.getByRole('button', { name: 'Join the room' }).click();
  await expect(myRole(b.page)).toHaveText('You are here as: Listener');
  await expectAudioTruth(b.page, 'en', hasSound);
  await expect(b.page.getByRole('heading', { level: 1 })).toBeFocused();
  await b.page.getByRole('button', { name: 'Raise my hand' }).click();
  await expect(b.page.getByRole('button', { name: 'Lower my hand' })).toBeVisible();
  await expect(notice(b.page)).toHaveText('Your hand is raised: the moderators can see it.');
  await shots(b.page, 'room-listener-en');

  // C, in French, sees the room in the hallway too, and comes in.
  await open(c.page, '/hallway');
  await expect(c.page.getByRole('link', { name: 'Le vélo en ville' })).toBeVisible();
  await shots(c.page, 'hallway-fr');
  await open(c.page, roomUrl);
  await expect(c.page.getByText(RECORDING_FR)).toBeVisible();
  await c.page.getByRole('button', { name: 'Entrer dans la salle' }).click();
  await expect(myRole(c.page)).toHaveText(/^Votre place ici\s:\sAuditeur·rice$/);
  await expect(inBand(c.page, 'audience', 'marc_l')).toBeVisible();
  await expect(tile(c.page, 'chloe_m')).toHaveAccessibleName(/Chloé Martin, \(vous\)/);
  await expect(c.page.getByRole('button', { name: 'Lever la main' })).toBeVisible();
  // Hands are between a listener and the moderators.
  await expect(row(c.page, 'marc_l')).not.toHaveAttribute('data-hand', 'true');
  await shots(c.page, 'room-listener-fr');
  // Switching the language re-renders the page: C stays in the room, in the same place.
  await c.page.getByRole('button', { name: 'English' }).click();
  await expect(myRole(c.page)).toHaveText('You are here as: Listener');
  await expect(c.page.getByRole('button', { name: 'English' })).toBeFocused();
  await c.page.getByRole('button', { name: 'Français' }).click();
  await expect(myRole(c.page)).toHaveText(/^Votre place ici\s:\sAuditeur·rice$/);

  // A, moderating, sees B's raised hand and opens B's sheet with the keyboard.
  await expect(row(a.page, 'marc_l')).toHaveAttribute('data-hand', 'true');
  await expect(a.page.locator('[data-hands]')).toContainText('1 main levée');
  const marcTile = tile(a.page, 'marc_l');
  await expect(marcTile).toHaveAccessibleName(/Marc Lefort, Main levée/);
  await marcTile.focus();
  await a.page.keyboard.press('Enter');
  await expect(sheet(a.page)).toBeVisible();
  await expect(sheet(a.page).getByRole('heading', { name: 'Marc Lefort' })).toBeFocused();
  await a.page.keyboard.press('Tab');
  await expect(sheet(a.page).getByRole('link', { name: '@marc_l' })).toBeFocused();
  // Escape closes the sheet and gives focus back to the face.
  await a.page.keyboard.press('Escape');
  await expect(sheet(a.page)).toBeHidden();
  await expect(marcTile).toBeFocused();
  await a.page.keyboard.press('Enter');
  await expect(sheet(a.page).getByRole('button')).toHaveText([
    'Suivre',
    'Inviter à parler',
    'Baisser la main',
    'Exclure de la salle…',
    'Fermer',
  ]);
  await shots(a.page, 'room-moderator-fr');
  await a.page.emulateMedia({ colorScheme: 'dark' });
  await a.page.screenshot({ path: screenshotPath('room-moderator-fr-dark.png'), fullPage: true });
  await a.page.emulateMedia({ colorScheme: 'light' });
  await sheet(a.page).getByRole('button', { name: 'Inviter à parler' }).click();
  await expect(notice(a.page)).toHaveText('Marc Lefort est invité·e à parler.');
  await expect(marcTile).toBeFocused();
  await expect(marcTile).toHaveAccessibleName(/Invité·e à parler/);

  // B sees the invitation with the recording notice again, and accepts.
  const invitation = b.page.locator('[data-invitation]');
  await expect(invitation.getByRole('heading', { name: 'You are invited to speak' })).toBeVisible();
  await expect(invitation.getByText(RECORDING_EN)).toBeVisible();
  await expect(invitation.getByText('When you speak, your voice is part of that recording.')).toBeVisible();
  await shots(b.page, 'room-invited-en');
  await invitation.getByRole('button', { name: 'Accept and go on stage' }).click();

  // On stage, on both screens.
  await expect(myRole(b.page)).toHaveText('You are here as: Speaker');
  await expect(notice(b.page)).toHaveText('You are on stage.');
  await expect(inBand(b.page, 'stage', 'marc_l')).toBeVisible();
  await expect(inBand(a.page, 'stage', 'marc_l')).toBeVisible();
  await expect(inBand(c.page, 'stage', 'marc_l')).toBeVisible();

  // A makes B a moderator; B, in English, then has the moderator's actions on C.
  await actOn(a.page, 'marc_l', 'Confier la modération');
  await expect(myRole(b.page)).toHaveText('You are here as: Moderator');
  await expect(b.page.getByRole('heading', { level: 2, name: 'Moderation' })).toBeVisible();
  await tile(b.page, 'chloe_m').click();
  await expect(sheet(b.page).getByRole('button', { name: 'Invite to speak' })).toBeVisible();
  await shots(b.page, 'room-moderator-en');
  await b.page.keyboard.press('Escape');
  // The host is protected: others can only mute her.
  await tile(b.page, 'helene_d').click();
  await expect(sheet(b.page).getByRole('button')).toHaveText(['Follow', 'Mute their microphone', 'Close']);
  await b.page.keyboard.press('Escape');

  // A takes moderation back, mutes B, then moves B back to the audience.
  await actOn(a.page, 'marc_l', 'Retirer la modération');
  await expect(myRole(b.page)).toHaveText('You are here as: Speaker');
  await actOn(a.page, 'marc_l', 'Couper son micro');
  await expect(notice(a.page)).toHaveText('Le micro de Marc Lefort a été coupé.');
  await actOn(a.page, 'marc_l', 'Renvoyer dans le public');
  await expect(inBand(a.page, 'audience', 'marc_l')).toBeVisible();
  await expect(inBand(b.page, 'audience', 'marc_l')).toBeVisible();
  await expect(myRole(b.page)).toHaveText('You are here as: Listener');
  await expect(notice(b.page)).toHaveText('You are back in the audience.');

  // B reacts, and A sees it.
  await b.page.getByRole('button', { name: 'React: applause' }).click();
  await expect(a.page.locator('[data-received="👏"]')).toContainText('1');

  // C leaves quietly, and comes back.
  await c.page.getByRole('button', { name: 'Partir discrètement' }).click();
  await expect(c.page.getByRole('heading', { level: 2, name: 'Vous avez quitté la salle' })).toBeFocused();
  await expect(row(a.page, 'chloe_m')).toHaveCount(0);
  await c.page.getByRole('button', { name: 'Revenir dans la salle' }).click();
  await expect(row(a.page, 'chloe_m')).toBeVisible();

  // A removes C, after confirming: C cannot come back, and is told why.
  await actOn(a.page, 'chloe_m', 'Exclure de la salle…');
  const removal = a.page.getByRole('dialog');
  await expect(removal).toContainText(/^Exclure Chloé Martin de cette salle\s\?/);
  await expect(removal.getByRole('button', { name: 'Annuler' })).toBeFocused();
  await removal.getByRole('button', { name: 'Exclure de la salle' }).click();
  await expect(removal).toBeHidden();
  await expect(row(a.page, 'chloe_m')).toHaveCount(0);
  await expect(notice(a.page)).toHaveText('Chloé Martin a été exclu·e de la salle.');
  await expect(
    c.page.getByRole('heading', { level: 2, name: 'Vous ne pouvez pas revenir dans cette salle' }),
  ).toBeVisible();

  // A ends the room, after confirming; everyone sees that it ended.
  await a.page.getByRole('button', { name: 'Terminer la salle', exact: true }).click();
  const dialog = a.page.getByRole('dialog');
  await expect(dialog).toContainText('Terminer cette salle pour tout le monde');
  await expect(dialog.getByRole('button', { name: 'Annuler' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Terminer la salle pour tout le monde' }).click();
  await expect(a.page.getByRole('heading', { level: 2, name: 'Cette salle est terminée' })).toBeVisible();
  await expect(b.page.getByRole('heading', { level: 2, name: 'This room has ended' })).toBeVisible();
  await b.page.screenshot({ path: screenshotPath('room-ended-en.png'), fullPage: true });

  // The form in English, for the record.
  await open(b.page, '/rooms/new');
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('Start a room');
  await shots(b.page, 'room-new-en');

  await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
});

test('a closed room lets in only its invited members; a weekly room is scheduled, then started', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const host = { phone: '06 40 12 34 04', name: 'Inès Garnier', username: 'ines_g' };
  const guest = { phone: '06 40 12 34 05', name: 'Paul Roche', username: 'paul_r' };
  const outsider = { phone: '06 40 12 34 06', name: 'Léa Fabre', username: 'lea_f' };
  const a = await newBrowserFor(browser, FRENCH);
  const b = await newBrowserFor(browser, FRENCH);
  const c = await newBrowserFor(browser, ENGLISH);
  await signUp(a.page, host, FRENCH);
  await signUp(b.page, guest, FRENCH);
  await signUp(c.page, outsider, ENGLISH);

  await open(a.page, '/rooms/new');
  await a.page.locator('#room-topic').fill('Réunion du bureau');
  await a.page.getByRole('radio', { name: 'Fermée' }).check();
  const invitees = a.page.getByRole('textbox', { name: 'Qui invitez-vous ?' });
  // A misspelt username is named, and what was typed stays.
  await invitees.fill('@paul_r, @personne_zz');
  await a.page.getByRole('button', { name: 'Ouvrir la salle' }).click();
  await expect(a.page.locator('#room-invitees-error')).toHaveText(
    /^Aucun membre n’utilise ces pseudos\s:\s@personne_zz\. Vérifiez l’orthographe\.$/,
  );
  await expect(invitees).toBeFocused();
  await expect(invitees).toHaveValue('@paul_r, @personne_zz');
  await expect(a.page.locator('#room-topic')).toHaveValue('Réunion du bureau');
  await a.page.screenshot({ path: screenshotPath('room-new-closed-fr.png'), fullPage: true });
  await invitees.fill('@paul_r');
  await a.page.getByRole('button', { name: 'Ouvrir la salle' }).click();
  await expect(a.page).toHaveURL(/\/rooms\/[0-9a-f-]{36}$/);
  const roomUrl = a.page.url();
  await expect(myRole(a.page)).toHaveText(/Hôte$/);

  // The invited member sees it and may come in.
  await open(b.page, '/hallway');
  await expect(b.page.getByRole('link', { name: 'Réunion du bureau' })).toBeVisible();
  await open(b.page, roomUrl);
  await b.page.getByRole('button', { name: 'Entrer dans la salle' }).click();
  await expect(myRole(b.page)).toHaveText(/Auditeur·rice$/);

  // Anyone else neither sees it nor gets in, and is told so plainly.
  await open(c.page, '/hallway');
  await expect(c.page.getByRole('heading', { level: 1 })).toHaveText('Hallway');
  await expect(c.page.getByRole('link', { name: 'Réunion du bureau' })).toHaveCount(0);
  const response = await c.page.goto(roomUrl);
  expect(response?.status()).toBe(404);
  await expect(c.page.getByRole('heading', { level: 1 })).toHaveText('Room not found');
  await expect(
    c.page.getByText('This room does not exist, or it is open only to people its host chose'),
  ).toBeVisible();
  await expect(c.page.getByRole('button', { name: 'Join the room' })).toHaveCount(0);
  await c.page.screenshot({ path: screenshotPath('room-refused-en.png'), fullPage: true });

  // A weekly room, scheduled: shown as coming up, then started by its host.
  // In two days at 18:30, on the browser's clock (the field is in local time).
  const when = new Date();
  when.setDate(when.getDate() + 2);
  when.setHours(18, 30, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}T18:30`;

  await open(a.page, '/rooms/new');
  await a.page.locator('#room-topic').fill('Club de lecture du jeudi');
  await a.page.getByRole('radio', { name: 'Plus tard' }).check();
  await a.page.getByRole('button', { name: 'Programmer la salle' }).click();
  await expect(a.page.locator('#room-schedule-error')).toHaveText(
    'Choisissez la date et l’heure de la salle.',
  );
  await expect(a.page.locator('#room-schedule')).toBeFocused();
  await a.page.locator('#room-schedule').fill(local);
  await a.page.getByRole('checkbox', { name: 'Répéter chaque semaine à la même heure' }).check();
  await a.page.getByRole('button', { name: 'Programmer la salle' }).click();

  // The scheduled room's page: when, weekly, and the host's "Start now".
  await expect(a.page).toHaveURL(/\/rooms\/[0-9a-f-]{36}$/);
  const weeklyUrl = a.page.url();
  await expect(notice(a.page)).toHaveText('Votre salle est programmée.');
  await expect(a.page.locator('#room-scheduled-heading')).toContainText('Commence le');
  await expect(a.page.locator('#room-scheduled-heading')).toContainText('18:30');
  await expect(a.page.getByText('Chaque semaine')).toBeVisible();
  await shots(a.page, 'room-scheduled-fr');

  // Others see it coming up, with its time in their language, and cannot enter yet.
  await open(c.page, '/hallway');
  const card = c.page.locator('[data-room-card]').filter({ hasText: 'Club de lecture du jeudi' });
  await expect(card).toContainText('Weekly');
  await expect(card).toContainText(/Starts\s.*18:30/);
  await shots(c.page, 'hallway-upcoming-en');
  await open(c.page, weeklyUrl);
  await expect(c.page.getByText('The host opens the room at that time. Come back then.')).toBeVisible();
  await expect(c.page.getByRole('button', { name: 'Join the room' })).toHaveCount(0);
  // A reminder 10 minutes before, asked and kept; the event for one's calendar.
  await c.page.getByRole('button', { name: 'Remind me 10 minutes before' }).click();
  await expect(c.page.getByRole('button', { name: 'Cancel the reminder' })).toBeVisible();
  await c.page.reload();
  await expect(c.page.getByRole('button', { name: 'Cancel the reminder' })).toBeVisible();
  const ics = await c.page.request.get(`${weeklyUrl.replace('/rooms/', '/v1/rooms/')}/calendar.ics`);
  expect(ics.headers()['content-type']).toContain('text/calendar');
  expect(await ics.text()).toContain('RRULE:FREQ=WEEKLY');
  await shots(c.page, 'room-scheduled-en');

  // The host starts it now, and is in it.
  await a.page.getByRole('button', { name: 'Commencer maintenant' }).click();
  await expect(myRole(a.page)).toHaveText(/Hôte$/);
  await expect(a.page.getByText('En direct', { exact: true })).toBeVisible();
  await c.page.reload();
  await ready(c.page);
  await c.page.getByRole('button', { name: 'Join the room' }).click();
  await expect(inBand(a.page, 'audience', 'lea_f')).toBeVisible();

  await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
});

test('the hallway and rooms are for members: visitors are asked to sign in', async ({ page }) => {
  await open(page, '/hallway');
  await expect(page).toHaveURL('/login?next=%2Fhallway');
  await open(page, '/rooms/new');
  await expect(page).toHaveURL('/login?next=%2Frooms%2Fnew');
  await open(page, '/');
  await expect(page.getByRole('link', { name: 'Aller au hall' })).toHaveCount(0);
});
