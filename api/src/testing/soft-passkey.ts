import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';

/**
 * A software platform authenticator for API tests: it answers WebAuthn ceremonies with real
 * ES256 keys and the byte layouts of the spec, so the server verifies it with the same library
 * code path as a phone or a laptop. (Browser tests use Chromium's virtual authenticator instead.)
 */
export function softAuthenticator(origin: string) {
  const rpId = new URL(origin).hostname;
  const credentials: { id: Buffer; privateKey: KeyObject; userHandle: string; counter: number }[] = [];

  return {
    credentials,
    register(
      options: PublicKeyCredentialCreationOptionsJSON,
      overrides: { origin?: string } = {},
    ): RegistrationResponseJSON {
      const id = randomBytes(16);
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = publicKey.export({ format: 'jwk' });
      const coseKey = cbor(
        new Map<number, number | Buffer>([
          [1, 2],
          [3, -7],
          [-1, 1],
          [-2, Buffer.from(jwk.x ?? '', 'base64url')],
          [-3, Buffer.from(jwk.y ?? '', 'base64url')],
        ]),
      );
      const length = Buffer.alloc(2);
      length.writeUInt16BE(id.length);
      const authData = Buffer.concat([
        rpIdHash(rpId),
        Buffer.from([0x45]),
        counter(0),
        Buffer.alloc(16),
        length,
        id,
        coseKey,
      ]);
      const attestationObject = cbor(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      credentials.push({ id, privateKey, userHandle: options.user.id, counter: 0 });
      return {
        id: id.toString('base64url'),
        rawId: id.toString('base64url'),
        type: 'public-key',
        response: {
          clientDataJSON: clientData('webauthn.create', options.challenge, overrides.origin ?? origin),
          attestationObject: attestationObject.toString('base64url'),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
    /** Signs in with the newest credential, as a person picking the account their device offers. */
    authenticate(
      options: PublicKeyCredentialRequestOptionsJSON,
      overrides: { origin?: string; credentialIndex?: number } = {},
    ): AuthenticationResponseJSON {
      const credential = credentials.at(overrides.credentialIndex ?? -1);
      if (!credential) throw new Error('no credential on this authenticator');
      credential.counter += 1;
      const authData = Buffer.concat([rpIdHash(rpId), Buffer.from([0x05]), counter(credential.counter)]);
      const clientDataJSON = clientData('webauthn.get', options.challenge, overrides.origin ?? origin);
      const digest = createHash('sha256').update(Buffer.from(clientDataJSON, 'base64url')).digest();
      const signature = sign('sha256', Buffer.concat([authData, digest]), credential.privateKey);
      return {
        id: credential.id.toString('base64url'),
        rawId: credential.id.toString('base64url'),
        type: 'public-key',
        response: {
          clientDataJSON,
          authenticatorData: authData.toString('base64url'),
          signature: signature.toString('base64url'),
          userHandle: credential.userHandle,
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },
  };
}

function rpIdHash(rpId: string) {
  return createHash('sha256').update(rpId).digest();
}

function counter(value: number) {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

function clientData(type: string, challenge: string, origin: string) {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })).toString('base64url');
}

/** The CBOR subset WebAuthn structures need: integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number) => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    const parts: Buffer[] = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: unsupported ${typeof value}`);
}
