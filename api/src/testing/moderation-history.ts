import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Db, schema } from '@salon/db';

const DAY = 86_400_000;

/**
 * A member's moderation history, written straight to the tables (the moderation tests go through
 * the API): a report they made about `otherId` in `roomId`, a warning about them with its
 * statement of reasons and their appeal, and a recording of their voice, whose sealed file
 * stands under `dataDir`. For the export and erasure tests, which only need the rows to exist.
 */
export async function seedModerationHistory(
  db: Db,
  options: { memberId: string; otherId: string; roomId: string; dataDir: string; now: Date },
) {
  const { memberId, otherId, roomId, dataDir, now } = options;
  await db.insert(schema.reports).values({
    reporterId: memberId,
    subjectId: otherId,
    roomId,
    category: 'harassment',
    description: 'Insults aimed at a speaker.',
    createdAt: now,
  });
  const [decision] = await db
    .insert(schema.decisions)
    .values({
      subjectId: memberId,
      moderatorId: otherId,
      roomId,
      action: 'warn',
      facts: 'Repeated insults on stage.',
      ground: 'terms',
      groundDetail: 'Terms §4 — respect',
      scope: 'The account',
      createdAt: now,
      appealUntil: new Date(now.getTime() + 182 * DAY),
    })
    .returning();
  await db.insert(schema.appeals).values({
    decisionId: decision?.id ?? '',
    appellantId: memberId,
    text: 'I was quoting someone.',
    createdAt: now,
  });
  mkdirSync(join(dataDir, 'recordings'), { recursive: true });
  const recordingFile = join(dataDir, 'recordings', 'voice.opus.sealed');
  writeFileSync(recordingFile, 'sealed bytes');
  await db.insert(schema.recordings).values({
    roomId,
    speakerId: memberId,
    trackSid: 'TR_voice',
    status: 'complete',
    startedAt: now,
    endedAt: now,
    sizeBytes: 1234,
    kekId: 'k1',
    wrappedKey: 'secret-wrapped-key',
    file: 'voice.opus.sealed',
    expiresAt: new Date(now.getTime() + 30 * DAY),
  });
  return { recordingFile };
}
