import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Crypto, crypto } from '../crypto';
import { sealedReader, sealedWriter } from './sealed-file';

let c: Crypto;
beforeAll(async () => {
  c = await crypto();
});

async function seal(data: Buffer, pieces = 7) {
  const path = join(mkdtempSync(join(tmpdir(), 'salon-sealed-')), 'file.bin');
  const key = c.newStreamKey();
  const writer = await sealedWriter(path, key, c);
  const step = Math.ceil(data.length / pieces);
  for (let i = 0; i < data.length; i += step) await writer.write(data.subarray(i, i + step));
  await writer.close();
  return { path, key };
}

async function open(path: string, key: Uint8Array) {
  const parts: Uint8Array[] = [];
  for await (const part of sealedReader(path, key, c)) parts.push(part);
  return Buffer.concat(parts);
}

describe('sealed files', () => {
  it('round-trips data of any size and never stores it in clear', async () => {
    for (const size of [0, 10, 64 * 1024, 300_000]) {
      const data = randomBytes(size);
      const { path, key } = await seal(data);
      expect((await open(path, key)).equals(data)).toBe(true);
      if (size >= 10) expect(readFileSync(path).includes(data.subarray(0, 10))).toBe(false);
    }
  });

  it('detects a flipped byte, a dropped chunk, a truncated file and a wrong key', async () => {
    const data = randomBytes(200_000);
    const { path, key } = await seal(data);
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    flipped[100_000] = (flipped[100_000] ?? 0) ^ 1;
    writeFileSync(path, flipped);
    await expect(open(path, key)).rejects.toThrow();
    // Drop the first sealed chunk (header is 24 bytes, then 4 + 65,553 bytes per chunk).
    const chunk = 4 + 64 * 1024 + 17;
    writeFileSync(path, Buffer.concat([original.subarray(0, 24), original.subarray(24 + chunk)]));
    await expect(open(path, key)).rejects.toThrow();
    writeFileSync(path, original.subarray(0, original.length - 10));
    await expect(open(path, key)).rejects.toThrow(/truncated|authentication/);
    writeFileSync(path, original.subarray(0, 24 + chunk)); // cut at a chunk boundary
    await expect(open(path, key)).rejects.toThrow(/truncated/);
    writeFileSync(path, original);
    await expect(open(path, c.newStreamKey())).rejects.toThrow();
    expect((await open(path, key)).equals(data)).toBe(true);
  });

  it('wraps data keys under the key-encryption key', () => {
    const kek = c.randomBytes(32);
    const key = c.newStreamKey();
    const wrapped = c.wrapKey(key, kek);
    expect(Buffer.from(c.unwrapKey(wrapped, kek)).equals(Buffer.from(key))).toBe(true);
    expect(() => c.unwrapKey(wrapped, c.randomBytes(32))).toThrow();
  });
});
