import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRecording, type Recording } from '../../recorder/pipeline';
import { plaintextSize } from '../../storage/sealed-file';
import { type Member, moderationApp, recordSpeaker, report, statement } from './moderation.fixtures';
import { PLAYBACK_TTL_MS, parseRange } from './playback.service';

let m: Awaited<ReturnType<typeof moderationApp>>;
beforeEach(async () => {
  m = await moderationApp();
});
afterEach(async () => {
  await m.close();
});

async function plaintext(row: Recording) {
  const parts: Uint8Array[] = [];
  for await (const chunk of openRecording(m.t, row)) parts.push(chunk);
  return Buffer.concat(parts);
}

/** A reported room with a 30-second recording (more than one 64 KiB sealed chunk), claimed by maud. */
async function scene() {
  const host = await m.member('alice');
  const bob = await m.member('bob');
  const mod = await m.staffMember('maud');
  const roomId = await m.openRoom(host);
  await m.join(host, roomId);
  await m.join(bob, roomId);
  const recording = await recordSpeaker(m.t, {
    roomId,
    speakerId: host.id,
    startedAt: m.t.clock.now(),
    seconds: 30,
  });
  m.t.clock.advance(60_000);
  const reportId = (await report(bob, { roomId, userId: host.id })).body.report.id as string;
  return { host, bob, mod, roomId, recording, reportId };
}

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

const play = (mod: Member, reportId: string, recordingId: string, reason = 'Check the insult at 12:03') =>
  mod.post(`/v1/mod/reports/${reportId}/playbacks`, { recordingId, reason });

describe('listening to a recording', () => {
  it('streams the decrypted audio to the moderator holding the report, audited with the reason', async () => {
    const { mod, recording, reportId, host } = await scene();
    await mod.post(`/v1/mod/reports/${reportId}/claim`);
    const started = await play(mod, reportId, recording.id);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.url).toMatch(
      new RegExp(`^/v1/mod/recordings/${recording.id}/audio\\?reportId=${reportId}&playback=`),
    );
    expect(started.body.expiresAt).toBe(new Date(m.t.clock.now().getTime() + PLAYBACK_TTL_MS).toISOString());
    const audit = await m.t.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'recording.played'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: mod.id,
      subjectId: host.id,
      data: { reportId, recordingId: recording.id, reason: 'Check the insult at 12:03' },
    });

    const expected = await plaintext(recording);
    expect(expected.length).toBeGreaterThan(64 * 1024);
    expect(plaintextSize(recording.sizeBytes, m.t.crypto)).toBe(expected.length);

    const whole = await mod.raw(started.body.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/ogg');
    expect(whole.headers.get('cache-control')).toBe('no-store');
    expect(whole.headers.get('content-disposition')).toBe('inline');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-length')).toBe(String(expected.length));
    const body = Buffer.from(await whole.arrayBuffer());
    expect(body.equals(expected)).toBe(true);
    expect(body.subarray(0, 4).toString()).toBe('OggS');
    // What the player gets is a valid Ogg Opus stream of the recorded length.
    const dir = mkdtempSync(join(tmpdir(), 'salon-play-'));
    try {
      writeFileSync(join(dir, 'played.opus'), body);
      const probe = JSON.parse(
        execFileSync(
          'ffprobe',
          ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', join(dir, 'played.opus')],
          {
            encoding: 'utf8',
          },
        ),
      );
      expect(probe.streams[0].codec_name).toBe('opus');
      expect(Number(probe.format.duration)).toBeCloseTo(30, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Range across the first sealed chunk's boundary.
    const start = 64 * 1024 - 100;
    const end = 64 * 1024 + 99;
    const part = await mod.raw(started.body.url, { range: `bytes=${start}-${end}` });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes ${start}-${end}/${expected.length}`);
    expect(part.headers.get('content-length')).toBe('200');
    expect(part.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await part.arrayBuffer()).equals(expected.subarray(start, end + 1))).toBe(true);
    const open = await mod.raw(started.body.url, { range: 'bytes=70000-' });
    expect(open.status).toBe(206);
    expect(Buffer.from(await open.arrayBuffer()).equals(expected.subarray(70000))).toBe(true);
    const tail = await mod.raw(started.body.url, { range: 'bytes=-500' });
    expect(tail.headers.get('content-range')).toBe(
      `bytes ${expected.length - 500}-${expected.length - 1}/${expected.length}`,
    );
    expect(Buffer.from(await tail.arrayBuffer()).equals(expected.subarray(expected.length - 500))).toBe(true);
    const beyond = await mod.raw(started.body.url, { range: `bytes=${expected.length}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${expected.length}`);
  });

  it('refuses without a claim, on a closed report, for another room, once shredded, or with someone else’s link', async () => {
    const { mod, recording, reportId, bob } = await scene();
    const other = await m.staffMember('olga');
    expect((await play(mod, reportId, recording.id)).body.error.code).toBe('mod.not_claimed');
    await other.post(`/v1/mod/reports/${reportId}/claim`);
    const notMine = await play(mod, reportId, recording.id);
    expect([notMine.status, notMine.body.error.code]).toEqual([403, 'mod.not_claimed']);
    await other.post(`/v1/mod/reports/${reportId}/release`);
    await mod.post(`/v1/mod/reports/${reportId}/claim`);
    expect((await play(mod, reportId, recording.id, 'no')).body.error.details[0].message).toBe(
      'reason.too_short',
    );
    expect((await play(mod, reportId, recording.id, 'x'.repeat(501))).body.error.details[0].message).toBe(
      'reason.too_long',
    );
    expect(
      (await mod.post(`/v1/mod/reports/${reportId}/playbacks`, { recordingId: recording.id })).status,
    ).toBe(400);

    // A recording of another room is not evidence for this report.
    const carol = await m.member('carol');
    const elsewhere = await m.openRoom(carol);
    const foreign = await recordSpeaker(m.t, {
      roomId: elsewhere,
      speakerId: carol.id,
      startedAt: m.t.clock.now(),
      seconds: 1,
    });
    const wrongRoom = await play(mod, reportId, foreign.id);
    expect([wrongRoom.status, wrongRoom.body.error.code]).toEqual([404, 'recording.not_found']);
    // Nor is anything on a report about a person only.
    const personReport = (await report(bob, { userId: carol.id })).body.report.id;
    await mod.post(`/v1/mod/reports/${personReport}/claim`);
    expect((await play(mod, personReport, recording.id)).body.error.code).toBe('recording.not_found');

    // A link works only for the moderator it was made for, for a while.
    const started = await play(mod, reportId, recording.id);
    expect((await other.raw(started.body.url)).status).toBe(403);
    const forged = started.body.url.replace(/playback=\d+/, `playback=${Date.now() + 10 ** 9}`);
    expect((await mod.raw(forged)).status).toBe(403);
    const otherReport = started.body.url.replace(reportId, personReport);
    expect((await mod.raw(otherReport)).status).toBe(403);
    m.t.clock.advance(PLAYBACK_TTL_MS + 1000);
    const expired = await mod.raw(started.body.url);
    expect(expired.status).toBe(403);
    expect(await codeOf(expired)).toBe('playback.invalid');

    // Released: the link dies with the claim.
    const again = await play(mod, reportId, recording.id);
    await mod.post(`/v1/mod/reports/${reportId}/release`);
    const released = await mod.raw(again.body.url);
    expect([released.status, await codeOf(released)]).toEqual([403, 'mod.not_claimed']);

    // Shredded (what the retention sweeper does at 30 days): gone for good.
    await mod.post(`/v1/mod/reports/${reportId}/claim`);
    const beforeShred = await play(mod, reportId, recording.id);
    await m.t.database.db
      .update(schema.recordings)
      .set({ status: 'shredded', wrappedKey: null, shreddedAt: m.t.clock.now() })
      .where(eq(schema.recordings.id, recording.id));
    const shredded = await play(mod, reportId, recording.id);
    expect([shredded.status, shredded.body.error.code]).toEqual([410, 'recording.shredded']);
    expect((await mod.raw(beforeShred.body.url)).status).toBe(410);

    // Decided: closed, so no more listening.
    const second = await recordSpeaker(m.t, {
      roomId: recording.roomId,
      speakerId: bob.id,
      startedAt: m.t.clock.now(),
      seconds: 1,
    });
    const link = await play(mod, reportId, second.id);
    expect(link.status).toBe(201);
    await mod.post(`/v1/mod/reports/${reportId}/decision`, statement('dismiss'));
    const closed = await play(mod, reportId, second.id);
    expect([closed.status, closed.body.error.code]).toEqual([409, 'mod.report_closed']);
    const closedStream = await mod.raw(link.body.url);
    expect([closedStream.status, await codeOf(closedStream)]).toEqual([409, 'mod.report_closed']);

    // Each accepted playback, and only those, left an audit row.
    const audit = await m.t.database.db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, 'recording.played'));
    expect(audit).toHaveLength(4);
    expect((await bob.raw(link.body.url)).status).toBe(403);
  });

  it('refuses a recording still being made', async () => {
    const { mod, reportId, roomId, bob } = await scene();
    await mod.post(`/v1/mod/reports/${reportId}/claim`);
    const [row] = await m.t.database.db
      .insert(schema.recordings)
      .values({
        roomId,
        speakerId: bob.id,
        trackSid: 'TR_live',
        status: 'recording',
        startedAt: m.t.clock.now(),
        wrappedKey: 'x',
        kekId: 'test',
        file: 'live.opus.sealed',
        expiresAt: new Date(m.t.clock.now().getTime() + 30 * 86_400_000),
      })
      .returning();
    const res = await play(mod, reportId, row?.id ?? '');
    expect([res.status, res.body.error.code]).toEqual([409, 'recording.not_ready']);
  });
});

describe('byte ranges', () => {
  it('parses single ranges and answers several with the whole file', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined();
    expect(parseRange('bytes=9-3', 100)).toBeUndefined();
    expect(parseRange('items=0-1', 100)).toBeUndefined();
  });
});
