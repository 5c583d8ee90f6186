import { expect, test } from '@playwright/test';
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

test.use(FRENCH);

test('an approval club: a request, approved from the admin page, and nothing leaks to non-members', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const origin = baseURL ?? '';
  const tag = runTag();
  const helene = await signUpMember(browser, FRENCH, { name: 'Hélène Caron', username: `helene_${tag}` });
  const bruno = await signUpMember(
    browser,
    ENGLISH,
    { name: 'Bruno Keller', username: `bruno_${tag}` },
    await inviteFrom(helene, origin),
  );
  const chloe = await signUpMember(
    browser,
    FRENCH,
    { name: 'Chloé Roussel', username: `chloe_${tag}` },
    await inviteFrom(helene, origin),
  );
  const a = helene.page;

  // A's clubs: none yet; the header leads there.
  await a.getByRole('link', { name: 'Clubs', exact: true }).click();
  await expect(a).toHaveURL('/clubs');
  await expect(a.getByText('Vous n’êtes encore membre d’aucun club.')).toBeVisible();
  await a.getByRole('link', { name: 'Créer un club' }).click();
  await expect(a).toHaveURL('/clubs/new');

  // The address follows the name, and the link is previewed.
  await a.getByRole('textbox', { name: 'Nom du club' }).fill('Chorale de Lyon');
  const slug = a.getByRole('textbox', { name: 'Adresse' });
  await expect(slug).toHaveValue('chorale-de-lyon');
  await expect(a.getByTestId('slug-preview')).toHaveText(`${origin}/clubs/chorale-de-lyon`);
  await expect(a.getByRole('radio', { name: /Sur demande/ })).toBeChecked();
  await expect(a.getByRole('radio', { name: /Les membres seulement/ })).toBeChecked();
  await a
    .getByRole('textbox', { name: 'Description (facultative)' })
    .fill('On chante ensemble le jeudi soir.');
  await a.getByRole('textbox', { name: 'Règles (facultatives)' }).fill('Bienveillance avant tout.');

  // A bad address is explained next to the field, focused, and nothing typed is lost.
  await slug.fill('ab');
  await a.getByRole('button', { name: 'Créer le club' }).click();
  await expect(slug).toBeFocused();
  await expect(slug).toHaveAttribute('aria-invalid', 'true');
  await expect(a.locator('#club-slug-error')).toContainText('Utilisez de 3 à 40 lettres minuscules');
  await expect(a.getByRole('textbox', { name: 'Nom du club' })).toHaveValue('Chorale de Lyon');
  const address = `chorale-${tag}`;
  await slug.fill(address);
  await expect(a.getByTestId('slug-preview')).toHaveText(`${origin}/clubs/${address}`);
  await shots(a, 'clubs-new-fr');
  await a.getByRole('button', { name: 'Créer le club' }).click();

  // The new club's page: A is its admin.
  await expect(a).toHaveURL(`/clubs/${address}`);
  await expect(a.getByRole('heading', { level: 1 })).toHaveText('Chorale de Lyon');
  await expect(a.getByRole('heading', { name: 'Vous êtes membre de ce club (Admin).' })).toBeVisible();
  await expect(a.getByTestId('club-members')).toContainText('Hélène Caron');
  await expect(a.getByRole('link', { name: 'Ouvrir une salle du club' })).toHaveAttribute(
    'href',
    `/rooms/new?club=${address}`,
  );

  // A opens a room for members only.
  const club = (await (await a.request.get(`/v1/clubs/${address}`)).json()) as { id: string };
  const opened = await a.request.post('/v1/rooms', {
    data: { topic: 'Répétition du jeudi', mode: 'club', clubId: club.id },
    headers: { origin },
  });
  expect(opened.status()).toBe(201);
  const clubRoom = (await opened.json()) as { id: string };
  await a.reload();
  await expect(a.getByTestId('club-rooms')).toContainText('Répétition du jeudi');
  await expect(a.getByTestId('club-rooms')).toContainText('En direct');
  await shots(a, 'club-member-fr');

  // B, not a member: asks to join. No member names, no rooms.
  const b = bruno.page;
  await open(b, `/clubs/${address}`);
  await expect(b.getByRole('heading', { name: 'Ask to join, and an admin will answer.' })).toBeVisible();
  await expect(b.getByTestId('members-hidden')).toHaveText(
    'Only the club’s members can see who belongs to it.',
  );
  await expect(b.getByTestId('rooms-hidden')).toHaveText('The club’s rooms are for its members.');
  await b.getByRole('button', { name: 'Ask to join' }).click();
  await expect(
    b.getByRole('heading', { name: 'Your request to join is waiting for an admin’s answer.' }),
  ).toBeFocused();
  await expect(b.getByRole('button', { name: 'Withdraw my request' })).toBeVisible();

  // A is told, live, and the notification leads to the requests.
  const aBell = a.getByRole('button', { name: /^Notifications/ });
  await expect(aBell).toHaveAccessibleName('Notifications, 1 non lue', { timeout: 20_000 });
  await aBell.click();
  await a
    .locator('#notification-panel')
    .getByRole('link', { name: /Bruno Keller demande à rejoindre Chorale de Lyon/ })
    .click();
  await expect(a).toHaveURL(`/clubs/${address}/admin#requests`);
  const requests = a.getByTestId('club-requests');
  await expect(requests).toContainText('Bruno Keller');
  await shots(a, 'club-admin-fr');
  await requests.getByRole('button', { name: /^Accepter.*Bruno Keller/ }).click();
  await expect(a.getByText('Aucune demande en attente.')).toBeVisible();
  await expect(a.getByRole('status').filter({ hasText: 'est maintenant membre' })).toHaveText(
    'Bruno Keller est maintenant membre.',
  );
  await expect(a.getByTestId('club-roles')).toContainText('Bruno Keller');

  // B now sees the members and the room.
  await b.reload();
  await expect(b.getByRole('heading', { name: 'You are a member of this club (Member).' })).toBeVisible();
  const members = b.getByTestId('club-members');
  await expect(members).toContainText('Hélène Caron');
  await expect(members).toContainText('Bruno Keller');
  await expect(b.getByTestId('club-rooms').getByRole('link', { name: /Répétition du jeudi/ })).toBeVisible();
  await expect(b.getByRole('link', { name: 'Start a club room' })).toHaveCount(0);
  await shots(b, 'club-member-en');

  // C, a non-member: the page does not even carry the members' names or the room.
  const c = chloe.page;
  await open(c, `/clubs/${address}`);
  await expect(c.getByRole('heading', { level: 1 })).toHaveText('Chorale de Lyon');
  await expect(c.locator('[data-count="members"]')).toHaveText('2 membres');
  await expect(c.getByTestId('members-hidden')).toHaveText(
    'Seuls les membres du club peuvent voir qui en fait partie.',
  );
  await expect(c.getByTestId('rooms-hidden')).toBeVisible();
  await expect(c.getByTestId('club-members')).toHaveCount(0);
  await expect(c.getByTestId('club-rooms')).toHaveCount(0);
  const html = await c.content();
  for (const secret of ['Hélène', helene.username, 'Bruno', bruno.username, 'Répétition']) {
    expect(html, secret).not.toContain(secret);
  }
  await shots(c, 'club-nonmember-fr');

  // The same page in English, switched in place: still nothing about the members.
  await c.getByRole('button', { name: 'English' }).click();
  await expect(c.getByRole('heading', { name: 'Ask to join, and an admin will answer.' })).toBeVisible();
  await expect(c.getByTestId('members-hidden')).toHaveText(
    'Only the club’s members can see who belongs to it.',
  );
  await shots(c, 'club-nonmember-en');
  await c.getByRole('button', { name: 'Français' }).click();
  await expect(
    c.getByRole('heading', { name: 'Demandez à rejoindre le club : un admin vous répondra.' }),
  ).toBeVisible();

  // C follows the club: it is listed under the clubs she follows.
  await c.getByRole('button', { name: 'Suivre le club' }).click();
  await expect(c.getByRole('button', { name: 'Ne plus suivre' })).toBeVisible();
  await expect(c.locator('[data-count="followers"]')).toHaveText('1 abonné');
  await open(c, '/clubs');
  await expect(c.getByTestId('followed-clubs').getByRole('link', { name: /Chorale de Lyon/ })).toBeVisible();

  // The clubs lists, in both languages.
  await open(a, '/clubs');
  await expect(a.getByTestId('my-clubs')).toContainText('Chorale de Lyon');
  await expect(a.getByTestId('my-clubs')).toContainText('Admin');
  await shots(a, 'clubs-list-fr');
  await open(b, '/clubs');
  await expect(b.getByTestId('my-clubs')).toContainText('Member');
  await shots(b, 'clubs-list-en');

  // On a phone the header folds a member's links behind a menu button, keyboard operable.
  await a.setViewportSize(MOBILE);
  const menu = a.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(a.getByRole('link', { name: 'Réglages' })).toBeHidden();
  await menu.focus();
  await a.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(a.getByRole('link', { name: 'Réglages' })).toBeVisible();
  await a.screenshot({ path: screenshotPath('header-menu-fr-mobile.png') });
  await a.keyboard.press('Tab');
  await expect(a.getByRole('link', { name: 'Le hall' })).toBeFocused();
  await a.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await a.setViewportSize(DESKTOP);

  // B's profile lists the club.
  await open(c, `/@${bruno.username}`);
  await expect(
    c.getByRole('region', { name: 'Clubs' }).getByRole('link', { name: 'Chorale de Lyon' }),
  ).toBeVisible();
  await c.screenshot({ path: screenshotPath('profile-clubs-fr.png'), fullPage: true });

  // Search finds the club by name.
  await open(c, '/search?q=chorale');
  await expect(c.getByTestId('club-results').getByRole('link', { name: /Chorale de Lyon/ })).toHaveAttribute(
    'href',
    `/clubs/${address}`,
  );
  await expect(c.getByRole('status').filter({ hasText: 'club' })).toHaveText('1 club');
  await c.screenshot({ path: screenshotPath('search-clubs-fr.png'), fullPage: true });

  // The host comes in and ends the room, so that it does not linger in other tests' hallway.
  expect((await a.request.post(`/v1/rooms/${clubRoom.id}/join`, { headers: { origin } })).ok()).toBe(true);
  const ended = await a.request.post(`/v1/rooms/${clubRoom.id}/end`, { headers: { origin } });
  expect(ended.status(), await ended.text()).toBe(204);

  await helene.context.close();
  await bruno.context.close();
  await chloe.context.close();
});

test('an invitation-only club: invite by @username, roles that always keep an admin, typed deletion', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const origin = baseURL ?? '';
  const tag = runTag();
  const paul = await signUpMember(browser, ENGLISH, { name: 'Paul Girard', username: `paul_${tag}` });
  const lea = await signUpMember(
    browser,
    FRENCH,
    { name: 'Léa Fontaine', username: `lea_${tag}` },
    await inviteFrom(paul, origin),
  );
  const address = `alumni-${tag}`;
  const created = await paul.page.request.post('/v1/clubs', {
    data: {
      name: 'Alumni Sciences Po',
      slug: address,
      description: 'For graduates.',
      joinPolicy: 'invite',
      roomVisibility: 'followers',
    },
    headers: { origin },
  });
  expect(created.status()).toBe(201);

  // An outsider sees that it takes an invitation, and no button to join.
  const l = lea.page;
  await open(l, `/clubs/${address}`);
  await expect(
    l.getByRole('heading', { name: 'Ce club n’accepte de nouveaux membres que sur invitation.' }),
  ).toBeVisible();
  await expect(l.getByRole('button', { name: /Rejoindre|Demander/ })).toHaveCount(0);
  await expect(l.getByTestId('rooms-hidden')).toHaveText(
    'Les salles du club sont réservées à ses membres et à ses abonnés. Suivez le club pour les voir.',
  );

  // The admin invites by @username; a wrong one is said next to the field.
  const p = paul.page;
  await open(p, `/clubs/${address}/admin`);
  await expect(p.getByRole('heading', { level: 1 })).toHaveText('Manage the club');
  const field = p.getByRole('textbox', { name: 'Their @username' });
  await field.fill('@nobody_here_at_all');
  await p.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(p.locator('#invite-username-error')).toHaveText('No member of Salon has this @username.');
  await expect(field).toBeFocused();
  await field.fill(`@${lea.username}`);
  await p.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect(p.getByTestId('club-invited')).toContainText('Léa Fontaine');
  await expect(field).toHaveValue('');

  // The only admin can be neither demoted nor removed.
  const roles = p.getByTestId('club-roles');
  await expect(roles.locator(`[data-member="${paul.username}"]`)).toContainText(
    'The only admin: make someone else admin before changing this role.',
  );
  await expect(roles.getByRole('button', { name: /Remove/ })).toHaveCount(0);

  // Léa accepts the invitation.
  await l.reload();
  await expect(l.getByRole('heading', { name: 'Vous êtes invité·e à rejoindre ce club.' })).toBeVisible();
  await l.getByRole('button', { name: 'Accepter l’invitation' }).click();
  await expect(l.getByRole('heading', { name: 'Vous êtes membre de ce club (Membre).' })).toBeFocused();

  // Paul makes her an admin; then he could step down.
  await p.reload();
  await roles.getByRole('combobox', { name: 'Role of Léa Fontaine' }).selectOption('admin');
  await roles.getByRole('button', { name: /Change the role.*Léa Fontaine/ }).click();
  await expect(p.getByRole('status').filter({ hasText: 'is now' })).toHaveText('Léa Fontaine is now Admin.');
  await expect(roles.getByRole('combobox', { name: 'Role of Paul Girard' })).toBeVisible();
  await shots(p, 'club-admin-en');

  // Deleting needs the address typed.
  const confirm = p.getByRole('textbox', { name: /To confirm, type the club’s address/ });
  await confirm.fill('alumni');
  await p.getByRole('button', { name: 'Delete the club for good' }).click();
  await expect(p.locator('#delete-error')).toHaveText('Type the club’s address exactly to confirm.');
  await confirm.fill(address);
  await p.getByRole('button', { name: 'Delete the club for good' }).click();
  await expect(p).toHaveURL('/clubs?deleted=1');
  await expect(p.getByText('The club was deleted.')).toBeVisible();
  await open(l, `/clubs/${address}`);
  await expect(l.getByRole('heading', { level: 1 })).toHaveText('Club introuvable');

  await paul.context.close();
  await lea.context.close();
});

test('club pages are for members of Salon: signed-out visitors are sent to sign in', async ({ page }) => {
  await page.setViewportSize(DESKTOP);
  await open(page, '/clubs/any-club');
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/clubs/any-club')}`);
  await open(page, '/notifications');
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/notifications')}`);
  await open(page, '/clubs/new');
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/clubs/new')}`);
});
