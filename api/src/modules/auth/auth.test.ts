import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../../testing';
import { testClient } from '../../testing/client';
import { mintInvites } from '../invites/invites.service';

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const DAY = 86_400_000;

async function detailsFor(
  client: ReturnType<typeof testClient>,
  phone: string,
  overrides: Record<string, unknown> = {},
) {
  const { ticket } = await client.verifyPhone(phone);
  const [invite] = await mintInvites(t, 1);
  return {
    ticket,
    inviteCode: invite?.code,
    displayName: 'Éloïse Martin',
    username: 'eloise',
    ageConfirmed: true,
    ...overrides,
  };
}

describe('sign-up', () => {
  it('creates the account with a passkey and signs in with a strict session cookie', async () => {
    const client = testClient(t);
    const body = await detailsFor(client, '0612345678', { username: 'Eloise_M' });
    const options = await client.post('/v1/auth/signup', body);
    expect(options.status).toBe(200);
    expect(options.body.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    expect(options.body.rp).toEqual({ name: 'Salon', id: 'localhost' });
    expect(options.body.user.name).toBe('@eloise_m');
    const done = await client.post('/v1/auth/passkeys/register/verify', {
      response: client.authenticator.register(options.body),
    });
    expect(done.status).toBe(200);
    const cookie = done.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^salon_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure'); // plain-http localhost only

    const me = await client.get('/v1/me');
    expect(me.body).toMatchObject({
      username: 'eloise_m',
      displayName: 'Éloïse Martin',
      isNew: true,
      locale: 'fr',
    });
    const [row] = await t.database.db
      .select()
      .from(schema.users)
      .where(eq(schema.users.id, done.body.userId));
    expect(row?.adultAttestedAt.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    // The WebAuthn user handle is random, not derived from anything personal.
    expect(row?.webauthnUserId).toBe(options.body.user.id);
    expect(row?.webauthnUserId).not.toContain('eloise');
  });

  it('uses Secure and __Host- cookies when served over https', async () => {
    const secure = await createTestApp({ PUBLIC_URL: 'https://salon.example' });
    try {
      const client = testClient(secure);
      await client.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
      expect([...client.jar.keys()]).toEqual(['__Host-salon_session']);
    } finally {
      await secure.close();
    }
  });

  it('records the inviter and uses the invite up', async () => {
    const alice = testClient(t);
    const { userId: aliceId } = await alice.signUp({
      phone: '0611111111',
      username: 'alice',
      displayName: 'Alice Durand',
    });
    const invite = await alice.post('/v1/me/invites');
    expect(invite.status).toBe(201);
    const bob = testClient(t, { ip: '192.0.2.7' });
    const checked = await bob.get(`/v1/invites/${invite.body.code}`);
    expect(checked.body).toMatchObject({
      valid: true,
      inviter: { username: 'alice', displayName: 'Alice Durand' },
    });
    const { userId: bobId } = await bob.signUp({
      phone: '0622222222',
      username: 'bob',
      displayName: 'Bob Lefèvre',
      inviteCode: invite.body.code,
    });
    const [bobRow] = await t.database.db.select().from(schema.users).where(eq(schema.users.id, bobId));
    expect(bobRow?.invitedBy).toBe(aliceId);
    const carol = testClient(t, { ip: '192.0.2.8' });
    const reuse = await carol.post(
      '/v1/auth/signup',
      await detailsFor(carol, '0633333333', { inviteCode: invite.body.code, username: 'carol' }),
    );
    expect(reuse.body.error.code).toBe('invite.invalid');
    expect((await carol.get(`/v1/invites/${invite.body.code}`)).body.error.code).toBe('invite.invalid');
  });

  it('refuses without the 18+ statement, with a bad or reserved @username, or a taken one', async () => {
    const client = testClient(t);
    const body = await detailsFor(client, '0612345678');
    const noAge = await client.post('/v1/auth/signup', { ...body, ageConfirmed: false });
    expect(noAge.body.error).toMatchObject({
      code: 'request.invalid',
      details: [{ path: 'ageConfirmed', message: 'signup.age_required' }],
    });
    for (const [username, message] of [
      ['ab', 'username.format'],
      ['a'.repeat(31), 'username.format'],
      ['élo', 'username.format'],
      ['with space', 'username.format'],
      ['Admin', 'username.reserved'],
    ]) {
      const res = await client.post('/v1/auth/signup', { ...body, username });
      expect(res.body.error.details[0]).toMatchObject({ path: 'username', message });
    }
    const badName = await client.post('/v1/auth/signup', { ...body, displayName: 'x' });
    expect(badName.body.error.details[0].message).toBe('displayName.too_short');
    const handle = await client.post('/v1/auth/signup', { ...body, displayName: '@eloise2000' });
    expect(handle.body.error.details[0].message).toBe('displayName.format');

    await testClient(t, { ip: '192.0.2.9' }).signUp({
      phone: '0699999999',
      username: 'eloise',
      displayName: 'Another Eloise',
    });
    const taken = await client.post('/v1/auth/signup', { ...body, username: 'ELOISE' });
    expect(taken.body.error.code).toBe('username.taken');
    expect((await client.get('/v1/auth/username/ELOISE')).body).toEqual({ available: false, reason: null });
    expect((await client.get('/v1/auth/username/someone_new')).body).toEqual({
      available: true,
      reason: null,
    });
  });

  it('accepts one account per phone number', async () => {
    await testClient(t).signUp({ phone: '0612345678', username: 'first', displayName: 'First Person' });
    const again = testClient(t, { ip: '192.0.2.20' });
    t.clock.advance(60_000);
    const ticket = await again.verifyPhone('+33 6 12 34 56 78');
    expect(ticket.accountExists).toBe(true);
    const [invite] = await mintInvites(t, 1);
    const res = await again.post('/v1/auth/signup', {
      ticket: ticket.ticket,
      inviteCode: invite?.code,
      displayName: 'Second Person',
      username: 'second',
      ageConfirmed: true,
    });
    expect(res.body.error.code).toBe('account.exists');
  });

  it('refuses a passkey made for another origin', async () => {
    const client = testClient(t);
    const options = await client.post('/v1/auth/signup', await detailsFor(client, '0612345678'));
    const res = await client.post('/v1/auth/passkeys/register/verify', {
      response: client.authenticator.register(options.body, { origin: 'https://phishing.example' }),
    });
    expect(res.body.error.code).toBe('passkey.not_verified');
    expect(await t.database.db.select().from(schema.users)).toHaveLength(0);
  });
});

describe('login and sessions', () => {
  it('signs in with a discoverable passkey, rotating the session', async () => {
    const client = testClient(t);
    await client.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
    const first = client.jar.get('salon_session');
    expect((await client.post('/v1/auth/logout')).status).toBe(204);
    expect(client.jar.size).toBe(0);
    expect((await client.get('/v1/me')).status).toBe(401);
    const options = await client.post('/v1/auth/passkeys/login/options');
    expect(options.body.allowCredentials ?? []).toEqual([]);
    expect(options.body.userVerification).toBe('required');
    const res = await client.post('/v1/auth/passkeys/login/verify', {
      response: client.authenticator.authenticate(options.body),
    });
    expect(res.status).toBe(200);
    expect(client.jar.get('salon_session')).not.toBe(first);
    expect((await client.get('/v1/me')).body.username).toBe('eloise');
    // A ceremony is single use.
    const replay = await client.post('/v1/auth/passkeys/login/verify', {
      response: client.authenticator.authenticate(options.body),
    });
    expect(replay.body.error.code).toBe('passkey.ceremony_expired');
  });

  it('refuses an unknown passkey and an assertion for another origin', async () => {
    const client = testClient(t);
    await client.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
    const stranger = testClient(t);
    const options = await stranger.post('/v1/auth/passkeys/login/options');
    stranger.authenticator.register({
      ...options.body,
      user: { id: 'AAAA', name: 'x', displayName: 'x' },
    } as never);
    expect(
      (
        await stranger.post('/v1/auth/passkeys/login/verify', {
          response: stranger.authenticator.authenticate(options.body),
        })
      ).body.error.code,
    ).toBe('passkey.unknown');
    const again = await client.post('/v1/auth/passkeys/login/options');
    const phished = await client.post('/v1/auth/passkeys/login/verify', {
      response: client.authenticator.authenticate(again.body, { origin: 'https://phishing.example' }),
    });
    expect(phished.body.error.code).toBe('passkey.not_verified');
  });

  it('expires idle sessions and, in any case, sessions past their absolute lifetime', async () => {
    const client = testClient(t);
    await client.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
    t.clock.advance(13 * DAY);
    expect((await client.get('/v1/me')).status).toBe(200);
    t.clock.advance(13 * DAY);
    expect((await client.get('/v1/me')).status).toBe(200); // kept alive by use
    t.clock.advance(15 * DAY);
    expect((await client.get('/v1/me')).status).toBe(401); // idle for 15 days

    await client.logIn();
    for (let day = 0; day < 90; day += 10) {
      t.clock.advance(10 * DAY);
      await client.get('/v1/me');
    }
    expect((await client.get('/v1/me')).status).toBe(401); // 90 days after sign-in, however active
  });

  it('lists devices with coarse labels and revokes one', async () => {
    const phone = testClient(t);
    await phone.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
    const laptop = testClient(t, {
      userAgent:
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    });
    // The same passkey, synced to the laptop.
    laptop.authenticator.credentials.push(...phone.authenticator.credentials);
    expect((await laptop.logIn()).status).toBe(200);
    const list = await phone.get('/v1/me/sessions');
    expect(list.body.sessions.map((s: { label: string }) => s.label).sort()).toEqual([
      'Firefox on Android',
      'Safari on macOS',
    ]);
    const other = list.body.sessions.find((s: { current: boolean }) => !s.current);
    expect((await phone.delete(`/v1/me/sessions/${other.id}`)).status).toBe(204);
    expect((await laptop.get('/v1/me')).status).toBe(401);
    expect((await phone.get('/v1/me')).status).toBe(200);
  });

  it('refuses cookie-authenticated writes from another origin (CSRF)', async () => {
    const client = testClient(t);
    await client.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
    const forged = await client.request(
      'PATCH',
      '/v1/me',
      { bio: 'pwned' },
      { origin: 'https://evil.example' },
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('csrf.origin_mismatch');
    const noOrigin = await client.request('POST', '/v1/me/invites', undefined, {
      origin: '',
      'sec-fetch-site': 'cross-site',
    });
    expect(noOrigin.status).toBe(403);
    expect((await client.get('/v1/me')).body.bio).toBe('');
  });
});

describe('passkeys', () => {
  it('adds, renames and removes passkeys, never the last one', async () => {
    const client = testClient(t);
    await client.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
    const options = await client.post('/v1/me/passkeys/options');
    expect(options.body.excludeCredentials).toHaveLength(1);
    const added = await client.post('/v1/auth/passkeys/register/verify', {
      response: client.authenticator.register(options.body),
    });
    expect(added.body.purpose).toBe('add');
    const { body } = await client.get('/v1/me/passkeys');
    expect(body.passkeys).toHaveLength(2);
    const [first, second] = body.passkeys;
    const renamed = await client.patch(`/v1/me/passkeys/${second.id}`, { name: 'Work laptop' });
    expect(renamed.body.passkeys[1].name).toBe('Work laptop');
    expect((await client.delete(`/v1/me/passkeys/${first.id}`)).status).toBe(200);
    const last = await client.delete(`/v1/me/passkeys/${second.id}`);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('passkey.last');
    // Sign-in still works with the remaining passkey.
    expect((await client.logIn()).status).toBe(200);
  });

  it('does not let a ceremony started by one member add a passkey to another', async () => {
    const alice = testClient(t);
    await alice.signUp({ phone: '0611111111', username: 'alice', displayName: 'Alice Durand' });
    const bob = testClient(t, { ip: '192.0.2.30' });
    await bob.signUp({ phone: '0622222222', username: 'bob', displayName: 'Bob Lefèvre' });
    const options = await alice.post('/v1/me/passkeys/options');
    const res = await bob.post('/v1/auth/passkeys/register/verify', {
      response: bob.authenticator.register(options.body),
    });
    expect(res.status).toBe(401);
  });
});

describe('recovery', () => {
  it('lets a member with a lost device register a new passkey after the cool-down, revoking other sessions', async () => {
    const lost = testClient(t);
    const { userId } = await lost.signUp({
      phone: '0612345678',
      username: 'eloise',
      displayName: 'Éloïse Martin',
    });
    const newPhone = testClient(t, { ip: '192.0.2.40' });
    t.clock.advance(60_000);
    const first = await newPhone.verifyPhone('0612345678');
    expect(first.accountExists).toBe(true);
    const waiting = await newPhone.post('/v1/auth/recovery', { ticket: first.ticket });
    expect(waiting.body).toEqual({ status: 'waiting', availableAt: '2026-11-22T12:01:00.000Z' });
    // The old device sees the pending recovery (and could cancel it).
    expect((await lost.get('/v1/me')).body.recoveryPending).toEqual({
      availableAt: '2026-11-22T12:01:00.000Z',
    });

    t.clock.advance(24 * 3_600_000);
    const second = await newPhone.verifyPhone('0612345678');
    const ready = await newPhone.post('/v1/auth/recovery', { ticket: second.ticket });
    expect(ready.body.status).toBe('ready');
    const done = await newPhone.post('/v1/auth/passkeys/register/verify', {
      response: newPhone.authenticator.register(ready.body.options),
    });
    expect(done.body).toEqual({ userId, purpose: 'recover' });
    expect((await newPhone.get('/v1/me')).body.username).toBe('eloise');
    expect((await lost.get('/v1/me')).status).toBe(401);
    const audit = await t.database.db.select().from(schema.auditEvents);
    expect(audit.map((e) => e.action)).toEqual(['recovery.requested', 'account.recovered']);
    expect(audit[1]?.prevHash).toBe(audit[0]?.hash);
  });

  it('lets the member cancel a recovery they did not start', async () => {
    const member = testClient(t);
    await member.signUp({ phone: '0612345678', username: 'eloise', displayName: 'Éloïse Martin' });
    const thief = testClient(t, { ip: '192.0.2.41' });
    t.clock.advance(60_000);
    await thief.post('/v1/auth/recovery', { ticket: (await thief.verifyPhone('0612345678')).ticket });
    expect((await member.post('/v1/me/recovery/cancel')).body.recoveryPending).toBeNull();
    t.clock.advance(25 * 3_600_000);
    const again = await thief.post('/v1/auth/recovery', {
      ticket: (await thief.verifyPhone('0612345678')).ticket,
    });
    expect(again.body.status).toBe('waiting'); // a new request starts a new cool-down
  });

  it('says when no account uses the number', async () => {
    const client = testClient(t);
    const { ticket } = await client.verifyPhone('0612345678');
    expect((await client.post('/v1/auth/recovery', { ticket })).body.error.code).toBe('recovery.no_account');
  });
});
