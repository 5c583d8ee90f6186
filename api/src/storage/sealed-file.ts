import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Crypto } from '../crypto';

const CHUNK = 64 * 1024;
/** Each sealed chunk: a 4-byte length, then the chunk with secretstream's 17 bytes (tag and MAC). */
const CHUNK_OVERHEAD = 4 + 17;

/**
 * The plaintext size of a sealed file from its size alone, so that a reader can answer Range
 * requests without decrypting the file first.
 */
export function plaintextSize(sealedSize: number, crypto: Pick<Crypto, 'streamHeaderBytes'>) {
  const body = sealedSize - crypto.streamHeaderBytes;
  if (body <= 0) return 0;
  const chunks = Math.ceil(body / (CHUNK + CHUNK_OVERHEAD));
  return Math.max(0, body - chunks * CHUNK_OVERHEAD);
}

/**
 * A file encrypted as it is written (libsodium secretstream, see crypto.ts): plaintext never
 * touches the disk. Data is sealed in 64 KiB chunks, so memory stays flat whatever the size.
 */
export async function sealedWriter(path: string, key: Uint8Array, crypto: Crypto) {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path, { mode: 0o600 });
  const sealer = crypto.encryptor(key);
  let pending = new Uint8Array(0);
  let size = 0;
  const write = (bytes: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      size += bytes.length;
      out.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  await write(sealer.header);
  return {
    async write(chunk: Uint8Array) {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending);
      joined.set(chunk, pending.length);
      let offset = 0;
      while (joined.length - offset > CHUNK) {
        await write(sealer.push(joined.subarray(offset, offset + CHUNK), false));
        offset += CHUNK;
      }
      pending = joined.slice(offset);
    },
    /** Seals the last chunk with the final tag (a truncated file is then detectable) and closes. */
    async close() {
      await write(sealer.push(pending, true));
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      return size;
    },
  };
}

/** Decrypts a sealed file chunk by chunk; throws on any altered, missing or reordered chunk. */
export async function* sealedReader(
  path: string,
  key: Uint8Array,
  crypto: Crypto,
): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(0);
  let opener: ReturnType<Crypto['decryptor']> | undefined;
  let finished = false;
  for await (const piece of createReadStream(path)) {
    const joined = new Uint8Array(buffer.length + (piece as Buffer).length);
    joined.set(buffer);
    joined.set(piece as Buffer, buffer.length);
    buffer = joined;
    if (!opener) {
      if (buffer.length < crypto.streamHeaderBytes) continue;
      opener = crypto.decryptor(key, buffer.slice(0, crypto.streamHeaderBytes));
      buffer = buffer.slice(crypto.streamHeaderBytes);
    }
    for (;;) {
      if (buffer.length < 4) break;
      const length = new DataView(buffer.buffer, buffer.byteOffset).getUint32(0);
      if (buffer.length < 4 + length) break;
      if (finished) throw new Error('sealed file: data after the final chunk');
      const { message, final } = opener.pull(buffer.slice(4, 4 + length));
      buffer = buffer.slice(4 + length);
      finished = final;
      if (message.length > 0) yield message;
    }
  }
  if (!finished || buffer.length > 0) throw new Error('sealed file: truncated');
}
