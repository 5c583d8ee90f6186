import sodium from 'libsodium-wrappers';

/**
 * The one place that touches cryptographic primitives. Everything goes through libsodium so
 * that algorithms are reviewed once: keyed BLAKE2b for hashes, XChaCha20-Poly1305 for data,
 * Ed25519 for signatures.
 */
export async function crypto() {
  await sodium.ready;
  const b64url = sodium.base64_variants.URLSAFE_NO_PADDING;
  return {
    randomBytes: (length: number) => sodium.randombytes_buf(length),
    /** An unguessable bearer token (session, ticket), 256 bits by default. */
    randomToken: (bytes = 32) => sodium.to_base64(sodium.randombytes_buf(bytes), b64url),
    /** A uniformly random decimal code of `digits` digits. */
    randomDigits: (digits: number) => String(sodium.randombytes_uniform(10 ** digits)).padStart(digits, '0'),
    /** Keyed BLAKE2b-256 (DESIGN §1.1); the key never leaves the process. */
    keyedHash: (data: string, key: Uint8Array) =>
      sodium.to_base64(sodium.crypto_generichash(32, data, key), b64url),
    /** Unkeyed BLAKE2b-256, for high-entropy tokens whose hash only has to be one-way. */
    hash: (data: string) => sodium.to_base64(sodium.crypto_generichash(32, data, null), b64url),
    /** Unkeyed BLAKE2b-256 over a stream of bytes (a recording's content hash). */
    hasher: () => {
      const state = sodium.crypto_generichash_init(null, 32);
      return {
        update: (bytes: Uint8Array) => sodium.crypto_generichash_update(state, bytes),
        digest: () => sodium.to_base64(sodium.crypto_generichash_final(state, 32), b64url),
      };
    },
    /** The Ed25519 key pair derived from a 32-byte seed (the audit signing key). */
    signingKeys: (seed: Uint8Array) => sodium.crypto_sign_seed_keypair(seed),
    /** A detached Ed25519 signature, base64url. */
    sign: (message: string, privateKey: Uint8Array) =>
      sodium.to_base64(sodium.crypto_sign_detached(message, privateKey), b64url),
    verifySignature: (signature: string, message: string, publicKey: Uint8Array) => {
      try {
        return sodium.crypto_sign_verify_detached(sodium.from_base64(signature, b64url), message, publicKey);
      } catch {
        return false;
      }
    },
    /** Constant-time equality of two encoded digests. */
    equal: (a: string, b: string) => {
      const x = sodium.from_string(a);
      const y = sodium.from_string(b);
      return x.length === y.length && sodium.memcmp(x, y);
    },
    /** Seals a data key under the key-encryption key (XSalsa20-Poly1305): nonce ‖ box, base64. */
    wrapKey: (key: Uint8Array, kek: Uint8Array) => {
      const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
      const box = sodium.crypto_secretbox_easy(key, nonce, kek);
      const out = new Uint8Array(nonce.length + box.length);
      out.set(nonce);
      out.set(box, nonce.length);
      return sodium.to_base64(out, sodium.base64_variants.ORIGINAL);
    },
    unwrapKey: (wrapped: string, kek: Uint8Array) => {
      const bytes = sodium.from_base64(wrapped, sodium.base64_variants.ORIGINAL);
      const nonce = bytes.subarray(0, sodium.crypto_secretbox_NONCEBYTES);
      return sodium.crypto_secretbox_open_easy(
        bytes.subarray(sodium.crypto_secretbox_NONCEBYTES),
        nonce,
        kek,
      );
    },
    newStreamKey: () => sodium.crypto_secretstream_xchacha20poly1305_keygen(),
    /**
     * XChaCha20-Poly1305 secretstream: every chunk authenticated, their order and the end of the
     * stream too (a dropped, reordered or truncated chunk is detected). Output: the header, then
     * each encrypted chunk prefixed by its 4-byte length.
     */
    encryptor: (key: Uint8Array) => {
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      return {
        header,
        push(chunk: Uint8Array, final: boolean) {
          const tag = final
            ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
            : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
          const sealed = sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, null, tag);
          const framed = new Uint8Array(4 + sealed.length);
          new DataView(framed.buffer).setUint32(0, sealed.length);
          framed.set(sealed, 4);
          return framed;
        },
      };
    },
    decryptor: (key: Uint8Array, header: Uint8Array) => {
      const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
      return {
        /** Opens one sealed chunk; throws if it was altered. `final` tells the stream's end. */
        pull(sealed: Uint8Array) {
          const result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, sealed, null);
          if (!result) throw new Error('secretstream: chunk failed authentication');
          return {
            message: result.message,
            final: result.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
          };
        },
      };
    },
    streamHeaderBytes: sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES,
    toBase64: (bytes: Uint8Array) => sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL),
    fromBase64: (text: string) => sodium.from_base64(text, sodium.base64_variants.ORIGINAL),
    toBase64Url: (bytes: Uint8Array) => sodium.to_base64(bytes, b64url),
    fromBase64Url: (text: string) => new Uint8Array(sodium.from_base64(text, b64url)),
  };
}

export type Crypto = Awaited<ReturnType<typeof crypto>>;
