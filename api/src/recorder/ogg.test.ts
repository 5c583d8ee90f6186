import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OGG_FLAGS, OggOpusWriter, oggCrc32, oggPage, opusHead, opusTags } from './ogg';
import { createOpusEncoder, FRAME_SAMPLES } from './opus';
import { run, tonePcm } from './test-audio';

/** Reads pages back the way RFC 3533 lays them out, checking each CRC. */
function parsePages(bytes: Uint8Array) {
  const pages = [];
  let offset = 0;
  while (offset < bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
    expect(new TextDecoder().decode(bytes.subarray(offset, offset + 4))).toBe('OggS');
    const segments = bytes[offset + 26] as number;
    const lacing = [...bytes.subarray(offset + 27, offset + 27 + segments)];
    const bodyLength = lacing.reduce((a, b) => a + b, 0);
    const length = 27 + segments + bodyLength;
    const page = bytes.slice(offset, offset + length);
    const crc = view.getUint32(22, true);
    new DataView(page.buffer).setUint32(22, 0, true);
    expect(oggCrc32(page)).toBe(crc);
    const packets: number[] = [];
    let current = 0;
    for (const l of lacing) {
      current += l;
      if (l < 255) {
        packets.push(current);
        current = 0;
      }
    }
    pages.push({
      flags: bytes[offset + 5] as number,
      granule: view.getBigInt64(6, true),
      serial: view.getUint32(14, true),
      sequence: view.getUint32(18, true),
      lacing,
      packets,
      body: bytes.subarray(offset + 27 + segments, offset + length),
    });
    offset += length;
  }
  return pages;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Ogg pages (RFC 3533)', () => {
  it('computes the Ogg CRC-32 (polynomial 0x04c11db7, initial 0, no reflection, no final XOR)', () => {
    // CRC-32/CKSUM of "123456789" is 0x765e7680 with a final XOR of 0xffffffff; Ogg has none.
    expect(oggCrc32(new TextEncoder().encode('123456789'))).toBe(0x89a1897f);
    expect(oggCrc32(new Uint8Array())).toBe(0);
  });

  it('lays out the header, the lacing of packets of every length, and a CRC that checks', () => {
    const packets = [0, 1, 254, 255, 256, 510].map((n) => new Uint8Array(n).fill(n % 251));
    const page = oggPage({ serial: 0xdeadbeef, sequence: 7, granule: 123456789n, packets, eos: true });
    const [parsed] = parsePages(page);
    expect(parsed).toMatchObject({
      flags: OGG_FLAGS.eos,
      granule: 123456789n,
      serial: 0xdeadbeef,
      sequence: 7,
      lacing: [0, 1, 254, 255, 0, 255, 1, 255, 255, 0],
      packets: [0, 1, 254, 255, 256, 510],
    });
    expect(page[4]).toBe(0); // stream structure version
    expect(page.length).toBe(27 + 10 + 1276);
    expect(() =>
      oggPage({ serial: 1, sequence: 0, granule: 0n, packets: [new Uint8Array(255 * 255)] }),
    ).toThrow(/too many segments/);
  });
});

describe('Ogg Opus (RFC 7845)', { timeout: 30_000 }, () => {
  it('writes OpusHead and OpusTags as specified', () => {
    const head = opusHead({ channels: 1, preSkip: 312, inputSampleRate: 48_000 });
    expect([...head]).toEqual([
      ...new TextEncoder().encode('OpusHead'),
      1, // version
      1, // channels
      0x38,
      0x01, // pre-skip 312, little-endian
      0x80,
      0xbb,
      0x00,
      0x00, // 48000
      0,
      0, // output gain
      0, // mapping family
    ]);
    const tags = opusTags('v', ['A=b']);
    expect([...tags]).toEqual([
      ...new TextEncoder().encode('OpusTags'),
      1,
      0,
      0,
      0,
      0x76,
      1,
      0,
      0,
      0,
      3,
      0,
      0,
      0,
      0x41,
      0x3d,
      0x62,
    ]);
  });

  it('puts each header on its own page, closes pages of about a second, and trims the end with the last granule', () => {
    const writer = new OggOpusWriter({
      serial: 42,
      channels: 1,
      preSkip: 312,
      inputSampleRate: 48_000,
      vendor: 'test',
    });
    const out = [...writer.headers()];
    for (let i = 0; i < 120; i++) out.push(...writer.packet(new Uint8Array(60).fill(i), FRAME_SAMPLES));
    out.push(writer.end(120 * FRAME_SAMPLES - 312 - 100));
    const pages = parsePages(concat(out));
    expect(pages.map((p) => p.sequence)).toEqual([0, 1, 2, 3, 4]);
    expect(pages.map((p) => p.flags)).toEqual([OGG_FLAGS.bos, 0, 0, 0, OGG_FLAGS.eos]);
    expect(pages.map((p) => p.granule)).toEqual([0n, 0n, 50n * 960n, 100n * 960n, 120n * 960n - 100n]);
    expect(pages.map((p) => p.packets.length)).toEqual([1, 1, 50, 50, 20]);
    expect(new Set(pages.map((p) => p.serial))).toEqual(new Set([42]));
    expect(new TextDecoder().decode(pages[0]?.body.subarray(0, 8))).toBe('OpusHead');
    expect(new TextDecoder().decode(pages[1]?.body.subarray(0, 8))).toBe('OpusTags');
  });

  it('refuses what would make an invalid stream', () => {
    const make = () =>
      new OggOpusWriter({ serial: 1, channels: 1, preSkip: 312, inputSampleRate: 48_000, vendor: 'x' });
    expect(() => make().packet(new Uint8Array(10), 960)).toThrow(/outside the stream/);
    const empty = make();
    empty.headers();
    expect(() => empty.end(0)).toThrow(/at least one audio packet/);
    const short = make();
    short.headers();
    short.packet(new Uint8Array(10), 960);
    expect(() => short.end(960)).toThrow(/more samples announced than encoded/);
    const long = make();
    long.headers();
    for (let i = 0; i < 51; i++) long.packet(new Uint8Array(10), 960);
    expect(() => long.end(10)).toThrow(/end trimming beyond the last page/);
    expect(
      () => new OggOpusWriter({ serial: 1, channels: 3, preSkip: 0, inputSampleRate: 1, vendor: '' }),
    ).toThrow();
  });

  it('with the real encoder, makes a stream opusinfo and ffprobe accept, of the exact length', () => {
    const encoder = createOpusEncoder();
    expect(encoder.lookahead).toBe(312); // libopus at 48 kHz: 2.5 ms frame delay + 4 ms
    const pcm = tonePcm(2.51); // not a whole number of frames
    const writer = new OggOpusWriter({
      serial: 7,
      channels: 1,
      preSkip: encoder.lookahead,
      inputSampleRate: 48_000,
      vendor: 'test',
    });
    const out = [...writer.headers()];
    let encoded = 0;
    for (let at = 0; encoded < pcm.length + encoder.lookahead; at += FRAME_SAMPLES) {
      const frame = new Int16Array(FRAME_SAMPLES);
      frame.set(pcm.subarray(at, at + FRAME_SAMPLES));
      out.push(...writer.packet(encoder.encode(frame), FRAME_SAMPLES));
      encoded += FRAME_SAMPLES;
    }
    out.push(writer.end(pcm.length));
    encoder.close();
    const dir = mkdtempSync(join(tmpdir(), 'salon-ogg-'));
    dirs.push(dir);
    const file = join(dir, 'tone.opus');
    writeFileSync(file, concat(out));
    const info = run('opusinfo', [file]);
    expect(info.code, info.stdout + info.stderr).toBe(0);
    expect(info.stdout + info.stderr).not.toMatch(/WARNING|ERROR/i);
    expect(info.stdout).toMatch(/Pre-skip: 312/);
    expect(info.stdout).toMatch(/Playback length: 0m:02\.5(09|10)s/);
    const probe = run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,sample_rate,channels:format=duration',
      '-of',
      'json',
      file,
    ]);
    expect(probe.code, probe.stderr).toBe(0);
    const parsed = JSON.parse(probe.stdout);
    expect(parsed.streams[0]).toMatchObject({ codec_name: 'opus', sample_rate: '48000', channels: 1 });
    // ffprobe's container duration counts the pre-skip (6.5 ms); decoding drops it exactly.
    expect(Math.abs(Number(parsed.format.duration) - 2.51) / 2.51).toBeLessThan(0.01);
    const decoded = execFileSync(
      'ffmpeg',
      ['-v', 'error', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '48000', '-'],
      {
        maxBuffer: 1 << 24,
      },
    );
    expect(decoded.length / 2).toBe(pcm.length);
    // The same tone comes out, in phase: the encoder got the samples and the pre-skip is right.
    const tone = new Int16Array(decoded.buffer, decoded.byteOffset, decoded.length / 2);
    let xy = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 4800; i < 100_000; i++) {
      xy += (pcm[i] as number) * (tone[i] as number);
      xx += (pcm[i] as number) ** 2;
      yy += (tone[i] as number) ** 2;
    }
    expect(xy / Math.sqrt(xx * yy)).toBeGreaterThan(0.95);
  });
});
