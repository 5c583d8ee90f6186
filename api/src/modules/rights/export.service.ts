import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { enqueueJob, schema } from '@salon/db';
import { type DataMap, periodMs } from '@salon/policies';
import { and, desc, eq, gt } from 'drizzle-orm';
import type { AppDeps } from '../../http/app-env';
import { AppError, errors } from '../../http/errors';
import { documentSettings } from '../../policies';
import { serialize } from '../../ratelimit/rate-limit';
import { sealedReader, sealedWriter } from '../../storage/sealed-file';
import { appendAudit } from '../audit/audit.service';
import { deliver } from '../notifications/notifications.service';
import { writeExportZip } from './export.builder';

const { dataExports } = schema;
type Deps = Pick<AppDeps, 'database' | 'config' | 'clock' | 'crypto' | 'secrets' | 'logger' | 'dataMap'>;

/** One export request per 24 hours: building one reads the whole account. */
const REQUEST_INTERVAL_MS = 86_400_000;

export const exportErrors = {
  tooSoon: (retryAfterSeconds: number) =>
    new AppError(
      429,
      'export.too_soon',
      'You can ask for one export a day.',
      [{ retryAfterSeconds }],
      retryAfterSeconds,
    ),
  notFound: () => new AppError(404, 'export.not_found', 'No such export.'),
  notReady: () => new AppError(409, 'export.not_ready', 'This export is not ready yet.'),
};

/** How long an archive stays downloadable: the data map's retention for data_exports. */
function availability(map: DataMap) {
  const rule = map.tables.data_exports?.retention;
  if (rule?.rule !== 'older_than')
    throw new Error('policies/data-map.yaml: data_exports needs an older_than rule');
  return periodMs(rule.period);
}

export const exportsDir = (deps: Pick<Deps, 'config'>) => join(deps.config.dataDir, 'exports');

export async function requestExport(deps: Deps, userId: string) {
  const now = deps.clock.now();
  return deps.database.db.transaction(async (tx) => {
    // One request a day, however many arrive together: the member's requests are checked and
    // written one after the other (the lock lasts until this transaction ends).
    await serialize(tx, `export:${userId}`);
    const [recent] = await tx
      .select({ requestedAt: dataExports.requestedAt })
      .from(dataExports)
      .where(
        and(
          eq(dataExports.userId, userId),
          gt(dataExports.requestedAt, new Date(now.getTime() - REQUEST_INTERVAL_MS)),
        ),
      )
      .orderBy(desc(dataExports.requestedAt))
      .limit(1);
    if (recent) {
      throw exportErrors.tooSoon(
        Math.ceil((recent.requestedAt.getTime() + REQUEST_INTERVAL_MS - now.getTime()) / 1000),
      );
    }
    const [row] = await tx
      .insert(dataExports)
      .values({ userId, status: 'pending', requestedAt: now })
      .returning();
    if (!row) throw errors.internal();
    await enqueueJob(tx, now, 'exports.build', { exportId: row.id }, { dedupeKey: `export:${row.id}` });
    await appendAudit(tx, deps.crypto, now, {
      action: 'export.requested',
      actorId: userId,
      subjectId: userId,
    });
    return { exportId: row.id };
  });
}

/**
 * Job handler: builds the ZIP straight into a sealed file (its own key, wrapped by the
 * key-encryption key), then tells the member. Idempotent: a built export is left alone.
 */
export async function buildExport(deps: Deps, exportId: string) {
  const db = deps.database.db;
  const [row] = await db.select().from(dataExports).where(eq(dataExports.id, exportId));
  if (row?.status !== 'pending') return false;
  const key = deps.crypto.newStreamKey();
  const file = `${row.id}.zip.sealed`;
  const writer = await sealedWriter(join(exportsDir(deps), file), key, deps.crypto);
  await writeExportZip(db, row.userId, deps.clock.now(), (chunk) => writer.write(chunk), {
    map: deps.dataMap,
    variables: documentSettings(deps.config).variables,
  });
  const size = await writer.close();
  const now = deps.clock.now();
  await db.transaction(async (tx) => {
    await tx
      .update(dataExports)
      .set({
        status: 'ready',
        readyAt: now,
        expiresAt: new Date(row.requestedAt.getTime() + availability(deps.dataMap)),
        file,
        sizeBytes: size,
        wrappedKey: deps.crypto.wrapKey(key, deps.secrets.recordingKek),
        keyId: deps.secrets.recordingKekId,
      })
      .where(eq(dataExports.id, row.id));
    await deliver(tx, now, [row.userId], {
      type: 'export.ready',
      data: { exportId: row.id },
      dedupeKey: `export:${row.id}`,
    });
    await appendAudit(tx, deps.crypto, now, {
      action: 'export.ready',
      subjectId: row.userId,
      data: { bytes: size },
    });
  });
  return true;
}

/**
 * `salon export <username>`: the operator answers a written request with the same archive, written
 * to a file they will hand over (mode 0600); recorded in the audit log.
 */
export async function exportForOperator(
  deps: Pick<Deps, 'database' | 'crypto' | 'clock' | 'config' | 'dataMap'>,
  username: string,
  file: string,
) {
  const db = deps.database.db;
  const [user] = await db
    .select({ id: schema.users.id, username: schema.users.username })
    .from(schema.users)
    .where(eq(schema.users.username, username.replace(/^@/, '').toLowerCase()));
  if (!user) throw new Error(`no member @${username.replace(/^@/, '')}`);
  const out = createWriteStream(file, { mode: 0o600 });
  let bytes = 0;
  await writeExportZip(
    db,
    user.id,
    deps.clock.now(),
    (chunk) => {
      bytes += chunk.length;
      return new Promise<void>((resolve, reject) =>
        out.write(chunk, (error) => (error ? reject(error) : resolve())),
      );
    },
    { map: deps.dataMap, variables: documentSettings(deps.config).variables },
  );
  await new Promise<void>((resolve) => out.end(resolve));
  await db.transaction((tx) =>
    appendAudit(tx, deps.crypto, deps.clock.now(), {
      action: 'export.operator',
      subjectId: user.id,
      data: { bytes },
    }),
  );
  return { username: user.username, bytes };
}

async function ownExport(deps: Pick<Deps, 'database'>, userId: string, exportId: string) {
  const [row] = await deps.database.db
    .select()
    .from(dataExports)
    .where(and(eq(dataExports.id, exportId), eq(dataExports.userId, userId)));
  if (!row) throw exportErrors.notFound();
  return row;
}

export async function exportStatus(deps: Pick<Deps, 'database'>, userId: string, exportId: string) {
  const row = await ownExport(deps, userId, exportId);
  return {
    id: row.id,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    readyAt: row.readyAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    sizeBytes: row.sizeBytes,
  };
}

/** The member's latest export, for the privacy centre. */
export async function latestExport(deps: Pick<Deps, 'database'>, userId: string) {
  const [row] = await deps.database.db
    .select({ id: dataExports.id })
    .from(dataExports)
    .where(eq(dataExports.userId, userId))
    .orderBy(desc(dataExports.requestedAt))
    .limit(1);
  return row ? exportStatus(deps, userId, row.id) : null;
}

/** Decrypts the archive as it is sent; only its owner, only while it is available. */
export async function openExport(deps: Deps, userId: string, exportId: string) {
  const row = await ownExport(deps, userId, exportId);
  if (row.status !== 'ready' || !row.file || !row.wrappedKey) throw exportErrors.notReady();
  if (row.expiresAt && row.expiresAt <= deps.clock.now()) throw exportErrors.notFound();
  const key = deps.crypto.unwrapKey(row.wrappedKey, deps.secrets.recordingKek);
  await deps.database.db.transaction((tx) =>
    appendAudit(tx, deps.crypto, deps.clock.now(), {
      action: 'export.downloaded',
      actorId: userId,
      subjectId: userId,
    }),
  );
  const chunks = sealedReader(join(exportsDir(deps), row.file), key, deps.crypto);
  return {
    fileName: `salon-export-${row.requestedAt.toISOString().slice(0, 10)}.zip`,
    size: row.sizeBytes,
    body: new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    }),
  };
}
