import { mintInvites } from '../modules/invites/invites.service';
import type { createTestApp } from './index';
import { softAuthenticator } from './soft-passkey';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * A browser-like client for API tests: keeps its cookies, sends our Origin on writes (as a
 * browser on our pages does) and carries its own passkey authenticator.
 */
export function testClient(t: TestApp, options: { ip?: string; userAgent?: string } = {}) {
  const origin = t.config.publicUrl.origin;
  const jar = new Map<string, string>();
  const authenticator = softAuthenticator(origin);

  async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await t.app.request(path, {
      method,
      headers: {
        origin,
        'user-agent':
          options.userAgent ?? 'Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0',
        'x-forwarded-for': options.ip ?? '203.0.113.10',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    return { status: res.status, body: json, headers: res.headers };
  }

  /** The raw response, for streams. */
  async function raw(path: string, headers: Record<string, string> = {}) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return t.app.request(path, { headers: { origin, ...(cookie ? { cookie } : {}), ...headers } });
  }

  const client = {
    jar,
    raw,
    authenticator,
    request,
    get: (path: string) => request('GET', path),
    post: (path: string, body?: unknown) => request('POST', path, body),
    put: (path: string, body?: unknown) => request('PUT', path, body),
    patch: (path: string, body?: unknown) => request('PATCH', path, body),
    delete: (path: string) => request('DELETE', path),

    /** Phone check as a person does it: ask for a code, read the SMS, type it. */
    async verifyPhone(phone: string) {
      const started = await client.post('/v1/auth/otp/start', { phone });
      if (started.status !== 202) throw new Error(`otp start: ${JSON.stringify(started.body)}`);
      const code = t.sms.codeFor(started.body.challengeId);
      const verified = await client.post('/v1/auth/otp/verify', {
        challengeId: started.body.challengeId,
        code,
      });
      if (verified.status !== 200) throw new Error(`otp verify: ${JSON.stringify(verified.body)}`);
      return verified.body as { ticket: string; accountExists: boolean };
    },

    /** The whole sign-up: phone check, details, passkey. */
    async signUp(input: { phone: string; username: string; displayName: string; inviteCode?: string }) {
      const inviteCode = input.inviteCode ?? (await mintInvites(t, 1))[0]?.code;
      const { ticket } = await client.verifyPhone(input.phone);
      const options = await client.post('/v1/auth/signup', {
        ticket,
        inviteCode,
        displayName: input.displayName,
        username: input.username,
        ageConfirmed: true,
      });
      if (options.status !== 200) throw new Error(`signup: ${JSON.stringify(options.body)}`);
      const done = await client.post('/v1/auth/passkeys/register/verify', {
        response: authenticator.register(options.body),
      });
      if (done.status !== 200) throw new Error(`register: ${JSON.stringify(done.body)}`);
      return done.body as { userId: string };
    },

    async logIn() {
      const options = await client.post('/v1/auth/passkeys/login/options');
      return client.post('/v1/auth/passkeys/login/verify', {
        response: authenticator.authenticate(options.body),
      });
    },
  };
  return client;
}

/**
 * Signs members up one after another — each from its own network and with its own number — and
 * returns their clients with their ids.
 */
export function memberFactory(t: TestApp) {
  let count = 0;
  return async (username: string) => {
    count++;
    const client = testClient(t, { ip: `198.51.100.${count}` });
    const pad = (n: number) => String(n).padStart(2, '0');
    const { userId } = await client.signUp({
      phone: `06 44 55 ${pad(Math.floor(count / 100))} ${pad(count % 100)}`,
      username,
      displayName: username.charAt(0).toUpperCase() + username.slice(1),
    });
    return Object.assign(client, { id: userId });
  };
}
