/**
 * A small Ogg Opus writer: RFC 3533 pages carrying an RFC 7845 Opus stream (one logical stream,
 * mono or stereo, channel mapping family 0). Only what the recorder needs, nothing parsed back:
 * the tests check the output with opusinfo and ffprobe.
 */

/** Opus always counts granule positions in 48 kHz samples, whatever the input rate (RFC 7845 §4). */
export const OPUS_RATE = 48_000;

const FLAG_CONTINUED = 0x01;
const FLAG_BOS = 0x02;
const FLAG_EOS = 0x04;
const MAX_SEGMENTS = 255;
/** Audio pages are closed after about a second of packets (RFC 7845 §6 advises ≤ 1 s of latency). */
const PACKETS_PER_PAGE = 50;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32: polynomial 0x04c11db7, not reflected, initial value 0, no final XOR (RFC 3533 §6). */
export function oggCrc32(bytes: Uint8Array, crc = 0): number {
  let c = crc >>> 0;
  for (const byte of bytes) c = ((c << 8) ^ (CRC_TABLE[((c >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return c;
}

export interface PageInput {
  serial: number;
  sequence: number;
  /** -1 when no packet ends on the page. */
  granule: bigint;
  packets: Uint8Array[];
  bos?: boolean;
  eos?: boolean;
}

/** One Ogg page holding whole packets (the writer never splits a packet across pages). */
export function oggPage({ serial, sequence, granule, packets, bos, eos }: PageInput): Uint8Array {
  const lacing: number[] = [];
  for (const packet of packets) {
    // A packet is 255-byte segments then one shorter (possibly empty) segment that ends it.
    for (let left = packet.length; ; left -= 255) {
      lacing.push(Math.min(left, 255));
      if (left < 255) break;
    }
  }
  if (lacing.length > MAX_SEGMENTS) throw new RangeError('ogg: too many segments for one page');
  const bodyLength = packets.reduce((sum, p) => sum + p.length, 0);
  const page = new Uint8Array(27 + lacing.length + bodyLength);
  const view = new DataView(page.buffer);
  page.set([0x4f, 0x67, 0x67, 0x53]); // "OggS"
  page[4] = 0; // stream structure version
  page[5] = (bos ? FLAG_BOS : 0) | (eos ? FLAG_EOS : 0);
  view.setBigInt64(6, granule, true);
  view.setUint32(14, serial >>> 0, true);
  view.setUint32(18, sequence >>> 0, true);
  view.setUint32(22, 0, true); // CRC, computed over the page with this field zeroed
  page[26] = lacing.length;
  page.set(lacing, 27);
  let offset = 27 + lacing.length;
  for (const packet of packets) {
    page.set(packet, offset);
    offset += packet.length;
  }
  view.setUint32(22, oggCrc32(page), true);
  return page;
}

/** Segments a packet takes in a page's lacing table. */
const segmentsOf = (packet: Uint8Array) => Math.floor(packet.length / 255) + 1;

/** RFC 7845 §5.1 identification header. */
export function opusHead(input: { channels: number; preSkip: number; inputSampleRate: number }) {
  const head = new Uint8Array(19);
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode('OpusHead'));
  head[8] = 1; // version
  head[9] = input.channels;
  view.setUint16(10, input.preSkip, true);
  view.setUint32(12, input.inputSampleRate, true);
  view.setInt16(16, 0, true); // output gain
  head[18] = 0; // mapping family 0: mono or stereo, no mapping table
  return head;
}

/** RFC 7845 §5.2 comment header: vendor string and `NAME=value` comments. */
export function opusTags(vendor: string, comments: string[] = []) {
  const encoder = new TextEncoder();
  const vendorBytes = encoder.encode(vendor);
  const commentBytes = comments.map((c) => encoder.encode(c));
  const size = 8 + 4 + vendorBytes.length + 4 + commentBytes.reduce((sum, c) => sum + 4 + c.length, 0);
  const tags = new Uint8Array(size);
  const view = new DataView(tags.buffer);
  tags.set(encoder.encode('OpusTags'));
  let offset = 8;
  view.setUint32(offset, vendorBytes.length, true);
  tags.set(vendorBytes, offset + 4);
  offset += 4 + vendorBytes.length;
  view.setUint32(offset, commentBytes.length, true);
  offset += 4;
  for (const comment of commentBytes) {
    view.setUint32(offset, comment.length, true);
    tags.set(comment, offset + 4);
    offset += 4 + comment.length;
  }
  return tags;
}

export interface OggOpusOptions {
  /** The logical stream's serial number (random per stream, RFC 3533 §4). */
  serial: number;
  channels: number;
  /** Samples (48 kHz) the decoder drops at the start: the encoder's lookahead (RFC 7845 §4.2). */
  preSkip: number;
  inputSampleRate: number;
  vendor: string;
  comments?: string[];
}

/**
 * Turns Opus packets into Ogg pages. `headers()` first (two pages, granule 0, the first flagged
 * beginning-of-stream), then `packet()` for each Opus packet, then `end()` once: the last page is
 * flagged end-of-stream and its granule position trims the encoder's padding (RFC 7845 §4.5).
 * Every method returns the bytes that are final, to be written in order.
 */
export class OggOpusWriter {
  private sequence = 0;
  /** 48 kHz samples in every packet given so far, pre-skip included. */
  private granule = 0n;
  /** The granule position of the last page written. */
  private pageGranule = 0n;
  private pending: Uint8Array[] = [];
  private pendingSegments = 0;
  private started = false;
  private ended = false;

  constructor(private readonly options: OggOpusOptions) {
    if (options.channels !== 1 && options.channels !== 2) throw new RangeError('ogg: 1 or 2 channels');
    if (!Number.isInteger(options.preSkip) || options.preSkip < 0 || options.preSkip > 0xffff)
      throw new RangeError('ogg: pre-skip out of range');
  }

  headers(): Uint8Array[] {
    if (this.started) throw new Error('ogg: headers already written');
    this.started = true;
    const { channels, preSkip, inputSampleRate, vendor, comments } = this.options;
    return [
      this.page([opusHead({ channels, preSkip, inputSampleRate })], 0n, { bos: true }),
      this.page([opusTags(vendor, comments)], 0n),
    ];
  }

  /** One Opus packet of `samples` samples at 48 kHz (960 for 20 ms). */
  packet(data: Uint8Array, samples: number): Uint8Array[] {
    if (!this.started || this.ended) throw new Error('ogg: packet outside the stream');
    if (data.length === 0 || data.length > 1275 * 3) throw new RangeError('ogg: not an Opus packet');
    const out: Uint8Array[] = [];
    // Flush before adding, so the last packet is always still pending when end() comes.
    if (this.pending.length >= PACKETS_PER_PAGE || this.pendingSegments + segmentsOf(data) > MAX_SEGMENTS) {
      out.push(this.page(this.pending, this.granule));
      this.pageGranule = this.granule;
      this.pending = [];
      this.pendingSegments = 0;
    }
    this.pending.push(data);
    this.pendingSegments += segmentsOf(data);
    this.granule += BigInt(samples);
    return out;
  }

  /**
   * The end-of-stream page. `totalSamples` is the real audio length (48 kHz, without pre-skip);
   * the final granule position, pre-skip + totalSamples, tells players to drop the padding the
   * encoder needed to flush its lookahead.
   */
  end(totalSamples: number): Uint8Array {
    if (!this.started || this.ended) throw new Error('ogg: stream not open');
    if (this.pending.length === 0) throw new Error('ogg: an Opus stream needs at least one audio packet');
    const final = BigInt(this.options.preSkip) + BigInt(totalSamples);
    if (final > this.granule) throw new RangeError('ogg: more samples announced than encoded');
    // End trimming may only cut into the last page's packets (RFC 7845 §4.5).
    if (final < this.pageGranule) throw new RangeError('ogg: end trimming beyond the last page');
    this.ended = true;
    return this.page(this.pending, final, { eos: true });
  }

  private page(packets: Uint8Array[], granule: bigint, flags: { bos?: boolean; eos?: boolean } = {}) {
    return oggPage({ serial: this.options.serial, sequence: this.sequence++, granule, packets, ...flags });
  }
}

export const OGG_FLAGS = { continued: FLAG_CONTINUED, bos: FLAG_BOS, eos: FLAG_EOS };
