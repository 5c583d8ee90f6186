import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ENGLISH, FRENCH, inviteFrom, open, runTag, shots, signUpMember } from './support/members';
import { grantStaffRole, playbackAudits, recordTone } from './support/moderation';

test.use(FRENCH);

/** Shows the page in the other language (the server-set cookie the switcher sets), then back. */
async function inLanguage(context: BrowserContext, page: Page, locale: 'en' | 'fr'): Promise<void> {
  const { origin } = new URL(page.url());
  await context.addCookies([{ name: 'salon_locale', value: locale, url: origin }]);
  await page.reload();
  await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/** Screenshots of the page as it stands, in French and in English, desktop and 390 px. */
async function bothLanguages(context: BrowserContext, page: Page, name: string, back: 'en' | 'fr') {
  await inLanguage(context, page, 'fr');
  await shots(page, `${name}-fr`);
  await inLanguage(context, page, 'en');
  await shots(page, `${name}-en`);
  await inLanguage(context, page, back);
}

test('a member reports a room; a moderator listens, decides with reasons; the person appeals', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const tag = runTag();

  // Aline hosts (French), Ben listens and reports (English), Mona moderates (French), Paul is the
  // team's admin (English) and decides the appeal, as a moderator other than Mona must.
  const a = await signUpMember(browser, FRENCH, { name: 'Aline Moreau', username: `aline_${tag}` });
  const b = await signUpMember(browser, ENGLISH, { name: 'Ben Carter', username: `ben_${tag}` });
  const mod = await signUpMember(
    browser,
    FRENCH,
    { name: 'Mona Girard', username: `mona_${tag}` },
    await inviteFrom(a, baseURL ?? ''),
  );
  const admin = await signUpMember(
    browser,
    ENGLISH,
    { name: 'Paul Admin', username: `paul_${tag}` },
    await inviteFrom(b, baseURL ?? ''),
  );

  // Nobody but staff gets into the console: a translated 403 inside the app.
  await open(b.page, '/mod');
  await expect(b.page.getByRole('heading', { level: 1 })).toHaveText('This page is for Salon’s moderators');
  await expect(b.page.locator('[data-nav-mod]')).toHaveCount(0);

  // A opens a room, and is in it as its host.
  const created = await a.page.request.post('/v1/rooms', {
    headers: { origin: baseURL ?? '' },
    data: { topic: 'Soirée débat cinéma', mode: 'open' },
  });
  expect(created.status()).toBe(201);
  const { id: roomId } = (await created.json()) as { id: string };
  await open(a.page, `/rooms/${roomId}`);
  await a.page.getByRole('button', { name: 'Entrer dans la salle' }).click();
  await expect(a.page.locator('#room-mine-heading')).toContainText('Hôte');

  // B joins; the host has no "report the room" button of her own, B has one.
  await open(b.page, `/rooms/${roomId}`);
  await b.page.getByRole('button', { name: 'Join the room' }).click();
  await expect(b.page.locator(`[data-band="band-stage"] [data-person="${a.username}"]`)).toBeVisible();
  await expect(a.page.getByRole('button', { name: 'Signaler cette salle' })).toHaveCount(0);
  await expect(b.page.getByRole('button', { name: 'Report this room' })).toBeVisible();

  // What A says on stage is recorded by the recorder's pipeline (a tone here, no LiveKit).
  const recording = recordTone(roomId, a.username, 4);
  expect(recording.status).toBe('complete');
  expect(recording.sizeBytes).toBeGreaterThan(1000);

  // B reports A from A's sheet on the stage: an accessible dialog, checked before sending.
  const face = b.page.locator(`[data-person="${a.username}"] button`);
  await face.click();
  await b.page.locator('[data-person-sheet]').getByRole('button', { name: 'Report to Salon' }).click();
  const dialog = b.page.getByRole('dialog', { name: `Report ${a.name}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Illegal content' })).toBeFocused();
  // Escape closes it and gives focus back to the person's face.
  await b.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(face).toBeFocused();
  await b.page.keyboard.press('Enter');
  await b.page.locator('[data-person-sheet]').getByRole('button', { name: 'Report to Salon' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Send the report' }).click();
  await expect(dialog.getByText('Choose what the report is about.')).toBeVisible();
  await expect(dialog.getByText('Write at least 10 characters.')).toBeVisible();
  await dialog.getByRole('radio', { name: 'Illegal content' }).check();
  await dialog.getByRole('button', { name: 'Send the report' }).click();
  await expect(dialog.getByText('For illegal content, say which law you believe is broken.')).toBeVisible();
  await dialog.getByRole('radio', { name: 'Harassment or bullying' }).check();
  await dialog
    .getByRole('textbox', { name: 'What happened?' })
    .fill('She kept insulting a listener who disagreed, calling him names for several minutes.');
  await dialog
    .getByRole('combobox', { name: 'When did it happen?' })
    .selectOption({ label: 'About 5 minutes ago' });
  await shots(b.page, 'report-dialog-en');
  await dialog.getByRole('button', { name: 'Send the report' }).click();
  // The dialog now says it was sent, and is named by that.
  const sent = b.page.getByRole('dialog', { name: 'Report sent — thank you' });
  await expect(sent.getByRole('heading', { name: 'Report sent — thank you' })).toBeFocused();
  await expect(sent.getByText(/We have sent you an acknowledgement in your notifications/)).toBeVisible();
  await shots(b.page, 'report-sent-en');
  await sent.getByRole('button', { name: 'Close' }).click();
  await expect(sent).toBeHidden();

  // B's acknowledgement is in the notifications, and the report in "My reports", being reviewed.
  await open(b.page, '/notifications');
  await expect(b.page.getByRole('link', { name: /We received your report/ })).toBeVisible();
  await open(b.page, '/decisions#my-reports');
  await expect(b.page.locator('[data-my-report]')).toHaveCount(1);
  await expect(b.page.locator('[data-my-report]')).toContainText('Under review');

  // M is made a moderator by the operator, and finds the console in the menu.
  grantStaffRole(mod.username, 'moderator');
  await open(mod.page, '/hallway');
  await mod.page.locator('[data-nav-mod]').click();
  await expect(mod.page).toHaveURL(/\/mod$/);
  await expect(mod.page.getByRole('heading', { level: 1 })).toHaveText('Signalements');
  const item = mod.page.locator('[data-report]').filter({ hasText: a.name });
  await expect(item).toContainText('Harcèlement');
  await expect(item).toContainText('Non pris en charge');
  await expect(item).not.toContainText(b.name);
  await bothLanguages(mod.context, mod.page, 'mod-queue', 'fr');

  // The filters live in the URL: a category with nothing in it, then back.
  await mod.page.getByRole('combobox', { name: 'Catégorie' }).selectOption({ label: 'Spam ou arnaque' });
  await expect(mod.page).toHaveURL(/category=spam_scam/);
  await expect(mod.page.getByText('Aucun signalement ne correspond à ces filtres.')).toBeVisible();
  await mod.page
    .getByRole('combobox', { name: 'Catégorie' })
    .selectOption({ label: 'Toutes les catégories' });
  await expect(item).toBeVisible();

  // M takes the report: its page, with the room's timeline and the recording of that moment.
  await item.getByRole('button', { name: 'Prendre en charge' }).click();
  await expect(mod.page).toHaveURL(/\/mod\/reports\/[0-9a-f-]{36}$/);
  await expect(mod.page.getByText('Pris en charge par vous')).toBeVisible();
  const timeline = mod.page.locator('[data-timeline]');
  await expect(timeline.locator('[data-type="room.opened"]')).toContainText(`${a.name} a ouvert la salle`);
  await expect(
    timeline.locator('[data-type="participant.joined"]').filter({ hasText: b.name }),
  ).toBeVisible();
  await expect(timeline.locator('[data-moment]')).toContainText('Moment signalé');
  const rec = mod.page.locator(`[data-recording="${recording.id}"]`);
  await expect(rec).toContainText(a.name);
  await expect(rec).toContainText('Couvre le moment signalé');

  // Listening asks for a reason first; the player streams the decrypted recording, no download.
  await rec.getByRole('button', { name: 'Écouter…' }).click();
  await expect(mod.page.getByRole('textbox', { name: 'Pourquoi écoutez-vous ?' })).toBeFocused();
  await rec.getByRole('button', { name: 'Écouter', exact: true }).click();
  await expect(rec.getByText('Écrivez au moins 5 caractères.')).toBeVisible();
  const reason = 'Vérifier les propos signalés vers le début de la salle';
  await mod.page.getByRole('textbox', { name: 'Pourquoi écoutez-vous ?' }).fill(reason);
  await rec.getByRole('button', { name: 'Écouter', exact: true }).click();
  const player = rec.locator('audio[data-player]');
  await expect(player).toBeVisible();
  await expect(player).toHaveAttribute('controlslist', /nodownload/);
  await expect.poll(() => player.evaluate((audio: HTMLAudioElement) => audio.readyState)).toBeGreaterThan(0);
  const duration = await player.evaluate((audio: HTMLAudioElement) => audio.duration);
  expect(duration).toBeGreaterThan(3);
  expect(duration).toBeLessThan(5);
  await expect(mod.page.locator('a[download]')).toHaveCount(0);
  await shots(mod.page, 'mod-player-fr');
  const reportId = new URL(mod.page.url()).pathname.split('/').at(-1);
  const audits = await playbackAudits();
  expect(audits).toHaveLength(1);
  expect(audits[0]?.data).toMatchObject({ reportId, recordingId: recording.id, reason });
  await bothLanguages(mod.context, mod.page, 'mod-report', 'fr');

  // The decision, with its statement of reasons: a 7-day suspension of A.
  const form = mod.page.locator('[data-decision-form]');
  await form.getByRole('button', { name: 'Décider et envoyer l’exposé' }).click();
  await expect(form.getByText('Choisissez une décision.')).toBeVisible();
  await form.getByRole('radio', { name: /Suspendre le compte/ }).check();
  // Everyone in the room's timeline can be decided about; the reported person comes first.
  const subject = form.getByRole('combobox', { name: 'Qui la décision vise-t-elle ?' });
  await expect(subject.locator('option:checked')).toHaveText(`${a.name} (@${a.username})`);
  await expect(subject.locator('option')).toHaveCount(2);
  await form
    .getByRole('textbox', { name: 'Faits et circonstances' })
    .fill(
      'Pendant la salle « Soirée débat cinéma », insultes répétées envers un auditeur, entendues dans l’enregistrement.',
    );
  await form.getByRole('radio', { name: 'Les conditions d’utilisation de Salon' }).check();
  await form
    .getByRole('textbox', { name: 'Quelle règle des conditions' })
    .fill('Conditions §4.2 — harcèlement');
  await expect(form.getByRole('textbox', { name: 'Portée de la mesure' })).toHaveValue(
    'Tout le compte, pour la durée ci-dessous',
  );
  await form.getByRole('textbox', { name: 'Durée, en jours' }).fill('400');
  await form.getByRole('button', { name: 'Décider et envoyer l’exposé' }).click();
  await expect(form.getByText('Une suspension dure de 1 à 365 jours.')).toBeVisible();
  await form.getByRole('textbox', { name: 'Durée, en jours' }).fill('7');
  await shots(mod.page, 'mod-decision-form-fr');
  await form.getByRole('button', { name: 'Décider et envoyer l’exposé' }).click();
  const statement = mod.page.locator('[data-decision]');
  await expect(statement).toContainText('Compte suspendu');
  await expect(statement).toContainText('Conditions §4.2 — harcèlement');
  await expect(mod.page.locator('[data-decision-form]')).toHaveCount(0);

  // A's sessions were revoked; she signs in again and may read why and appeal (nothing else).
  await open(a.page, '/decisions');
  await expect(a.page).toHaveURL(/\/login\?next=%2Fdecisions/);
  await a.page.getByRole('button', { name: 'Se connecter avec une clé d’accès' }).click();
  await expect(a.page).toHaveURL(/\/decisions$/);
  await expect(a.page.getByRole('heading', { level: 1 })).toHaveText('Décisions me concernant');
  const mine = a.page.locator('[data-decision]');
  await expect(mine).toContainText('Compte suspendu');
  await expect(mine).toContainText('Exposé des motifs (règlement sur les services numériques, art. 17)');
  await expect(mine).toContainText('insultes répétées envers un auditeur');
  await expect(mine).toContainText('Aucun. Une personne de Salon a examiné le signalement');
  await expect(mine).toContainText('Comment contester');
  await expect(mine).toContainText('Jusqu’au');
  await bothLanguages(a.context, a.page, 'decisions-before-appeal', 'fr');
  const appealBox = a.page.getByRole('textbox', {
    name: 'Pourquoi cette décision devrait-elle être réexaminée ?',
  });
  await a.page.getByRole('button', { name: 'Envoyer mon recours' }).click();
  await expect(appealBox).toBeFocused();
  await expect(a.page.getByText('Écrivez au moins 10 caractères.')).toBeVisible();
  await appealBox.fill('Je répondais à des attaques ; l’enregistrement ne contient pas tout le contexte.');
  await a.page.getByRole('button', { name: 'Envoyer mon recours' }).click();
  await expect(a.page.locator('[data-appeal-status="open"]')).toContainText('Recours en cours d’examen');
  await bothLanguages(a.context, a.page, 'decisions-appealed', 'fr');

  // The appeal reaches the console; M took the decision, so another moderator must decide it.
  await open(mod.page, '/mod/appeals');
  const waiting = mod.page.locator('[data-appeal]');
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText('Je répondais à des attaques');
  await expect(waiting).toContainText('un autre modérateur doit trancher ce recours');
  await bothLanguages(mod.context, mod.page, 'mod-appeals', 'fr');

  // Paul, made admin by the operator, manages the team and decides the appeal: reversed.
  grantStaffRole(admin.username, 'admin');
  await open(admin.page, '/mod/staff');
  await expect(admin.page.locator(`[data-staff="${mod.username}"]`)).toContainText('Moderator');
  await admin.page.getByRole('textbox', { name: 'Username' }).fill('@nobody_here_x');
  await admin.page.getByRole('button', { name: 'Grant the role' }).click();
  await expect(admin.page.getByText('Nobody has this username.')).toBeVisible();
  await bothLanguages(admin.context, admin.page, 'mod-staff', 'en');
  await open(admin.page, '/mod/appeals');
  const appeal = admin.page.locator('[data-appeal]');
  await appeal.getByRole('button', { name: 'Decide the appeal' }).click();
  await expect(appeal.getByText('Choose whether the decision is upheld or reversed.')).toBeVisible();
  await appeal.getByRole('radio', { name: /Reverse the decision/ }).check();
  await appeal
    .getByRole('textbox', { name: 'Your reasons' })
    .fill('The recording shows she was answering insults first; a suspension is not justified.');
  await appeal.getByRole('button', { name: 'Decide the appeal' }).click();
  await expect(appeal).toContainText('Decision reversed');

  // A is told, and reads the outcome with its reasons.
  await open(a.page, '/decisions');
  await expect(a.page.locator('[data-appeal-status="reversed"]')).toContainText('Décision annulée');
  await expect(a.page.locator('[data-appeal-status="reversed"]')).toContainText('answering insults first');
  await open(a.page, '/notifications');
  await expect(a.page.getByRole('link', { name: /la décision est annulée/ })).toBeVisible();

  // B heard the outcome, and sees it in "My reports".
  await open(b.page, '/notifications');
  await expect(
    b.page.getByRole('link', { name: /Your report was reviewed\. Outcome: account suspended\./ }),
  ).toBeVisible();
  await open(b.page, '/decisions#my-reports');
  await expect(b.page.locator('[data-my-report]')).toContainText('Decided: Account suspended');
  // Mona's decision was then reversed on appeal by Paul: the reporter sees that too.
  await expect(b.page.locator('[data-my-report]')).toContainText('Reversed on appeal');
  await bothLanguages(b.context, b.page, 'my-reports', 'en');

  // Anyone's profile can be reported by another member, through the same dialog.
  await open(b.page, `/@${a.username}`);
  await b.page.getByRole('button', { name: 'Report', exact: true }).click();
  await expect(b.page.getByRole('dialog', { name: `Report ${a.name}` })).toBeVisible();
  await expect(b.page.getByRole('dialog').getByRole('combobox')).toHaveCount(0);
  await b.page.keyboard.press('Escape');
  await expect(b.page.getByRole('button', { name: 'Report', exact: true })).toBeFocused();

  for (const member of [a, b, mod, admin]) await member.context.close();
});
