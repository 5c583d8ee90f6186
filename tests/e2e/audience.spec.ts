import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { FRENCH, MOBILE, open, runTag, signUpMember } from './support/members';
import { e2eDatabaseUrl } from './support/paths';

test.use(FRENCH);

/**
 * A room of hundreds is never on the page whole: the room shows its size and the first faces of
 * the audience, and reads more as the person asks (a button, by keyboard) or scrolls to the end.
 * The crowd is written straight into the database, as a few hundred joins would leave it.
 */
test('a large audience shows its size, then more faces on "Show more" or on scrolling to its end', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const tag = runTag();
  const host = await signUpMember(browser, FRENCH, { name: 'Inès Garnier', username: `ines_${tag}` });
  await host.page.setViewportSize(MOBILE);
  const created = await host.page.request.post('/v1/rooms', {
    data: { topic: 'Une salle comble', mode: 'open' },
    headers: { origin: baseURL ?? '' },
  });
  expect(created.status()).toBe(201);
  const { id: roomId } = (await created.json()) as { id: string };
  await open(host.page, `/rooms/${roomId}`);
  await host.page.getByRole('button', { name: 'Entrer dans la salle' }).click();
  const band = host.page.locator('[data-band="band-audience"]');
  const faces = band.locator('[data-person]');
  await expect(host.page.locator(`[data-band="band-stage"] [data-person="ines_${tag}"]`)).toBeVisible();
  await expect(band).toContainText('Personne pour l’instant.');

  // 300 listeners arrive, the way a burst of joins leaves the room, and the streams are told.
  const sql = postgres(e2eDatabaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      const people = await tx<{ id: string; n: number }[]>`
        insert into users (username, display_name, search_name, phone_hash, phone_key_version,
                           webauthn_user_id, adult_attested_at, created_at)
        select 'foule_' || ${tag} || '_' || n, 'Foule ' || n, 'foule ' || n, 'e2e-' || ${tag} || '-' || n, 1,
               'e2e-' || ${tag} || '-' || n, now(), now()
        from generate_series(1, 300) n
        returning id, split_part(username, '_', 3)::int as n`;
      people.sort((a, b) => a.n - b.n);
      await tx`
        insert into room_participants (room_id, user_id, role, present, joined_at)
        select ${roomId}, p.id, 'listener', true, now() + (p.ord * interval '1 millisecond')
        from unnest(${tx.array(people.map((p) => p.id))}::uuid[]) with ordinality as p(id, ord)`;
      await tx`insert into room_events (room_id, at, type, data) values (${roomId}, now(), 'participant.joined', '{}')`;
      await tx`select pg_notify('room_changes', ${JSON.stringify({ roomId })})`;
    });
  } finally {
    await sql.end();
  }

  // The size of the room and of its audience, and its first faces.
  await expect(band.locator('[data-band-count]')).toHaveText('300');
  await expect(host.page.locator('[data-people-count]')).toHaveText('301 personnes ici');
  await expect(faces).toHaveCount(48);

  // From the keyboard: the button reads the next faces and shows them.
  const more = band.getByRole('button', { name: 'Afficher 96 personnes de plus' });
  await more.focus();
  await host.page.keyboard.press('Enter');
  await expect(faces).toHaveCount(144);
  await expect(faces.last()).toHaveAttribute('data-person', `foule_${tag}_144`);

  // Scrolling to the end of the faces shows the next ones without a press.
  await band.locator('[data-show-more]').scrollIntoViewIfNeeded();
  await expect(faces).toHaveCount(240);

  // The last of them, and then nothing more to show.
  await band.getByRole('button', { name: 'Afficher 60 personnes de plus' }).click();
  await expect(faces).toHaveCount(300);
  await expect(band.locator('[data-show-more]')).toHaveCount(0);
  await expect(host.page.locator('[data-band="band-followed"]')).toContainText('Personne pour l’instant.');

  // The room ends, so that other tests find the hallway as they left it.
  const ended = await host.page.request.post(`/v1/rooms/${roomId}/end`, {
    headers: { origin: baseURL ?? '' },
  });
  expect(ended.status()).toBe(204);
  await host.context.close();
});
