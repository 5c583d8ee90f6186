/**
 * Shared set-up for the moderation tests (not used by the app): an app with a real data
 * directory, members, staff, rooms and recordings made through the recorder. No LiveKit by
 * default (what a decision does there is proven on the real server in livekit/real-server.test.ts);
 * that test passes its own LiveKit URL and key pair.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@salon/db';
import { expect } from 'vitest';
import type { Secrets } from '../../env';
import { startRecording } from '../../recorder/pipeline';
import { createTestApp } from '../../testing';
import { memberFactory } from '../../testing/client';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
export type Member = Awaited<ReturnType<ReturnType<typeof memberFactory>>>;

export async function moderationApp(livekit?: { url: string; secrets: Secrets }) {
  const dataDir = await mkdtemp(join(tmpdir(), 'salon-mod-'));
  const t = await createTestApp(
    { DATA_DIR: dataDir, ...(livekit ? { LIVEKIT_URL: livekit.url } : {}) },
    livekit ? { secrets: livekit.secrets } : {},
  );
  const member = memberFactory(t);
  return {
    t,
    dataDir,
    member,
    /** A member who is also on Salon's moderation team. */
    async staffMember(username: string, role: 'moderator' | 'admin' = 'moderator') {
      const m = await member(username);
      await t.database.db.insert(schema.staff).values({ userId: m.id, role, grantedAt: t.clock.now() });
      return m;
    },
    async openRoom(host: Member, body: Record<string, unknown> = {}) {
      const res = await host.post('/v1/rooms', { topic: 'Le vélo en ville', mode: 'open', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    },
    async join(who: Member, roomId: string) {
      const res = await who.post(`/v1/rooms/${roomId}/join`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { livekitUrl: string | null; token: string | null; role: string };
    },
    async close() {
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A 440 Hz tone, 48 kHz mono, as LiveKit's AudioStream hands it to the recorder. */
export function tone(seconds: number) {
  const pcm = new Int16Array(Math.round(48_000 * seconds));
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 48_000));
  return pcm;
}

/** A complete recording of one speaker in a room, made through the recorder's own pipeline. */
export async function recordSpeaker(
  t: TestApp,
  input: { roomId: string; speakerId: string; startedAt: Date; seconds: number },
) {
  const sink = await startRecording(t, {
    roomId: input.roomId,
    speakerId: input.speakerId,
    trackSid: `TR_${input.speakerId.slice(0, 8)}`,
    startedAt: input.startedAt,
  });
  const pcm = tone(input.seconds);
  for (let i = 0; i < pcm.length; i += 4800) await sink.write(pcm.subarray(i, i + 4800));
  return sink.close(new Date(input.startedAt.getTime() + input.seconds * 1000));
}

export const report = (who: Member, body: Record<string, unknown>) =>
  who.post('/v1/reports', { category: 'harassment', description: 'Insults aimed at a speaker.', ...body });

/** The statement of reasons with sensible defaults; tests override what they check. */
export const statement = (action: string, extra: Record<string, unknown> = {}) => ({
  action,
  facts: 'At 12:03 the speaker insulted another speaker repeatedly (recording, timeline).',
  ground: 'terms',
  groundDetail: 'Terms of use §4.2 (harassment)',
  scope: 'The whole account',
  ...extra,
});
