import { type Db, schema } from '@salon/db';
import type { DataMap } from '@salon/policies';
import {
  erasureConsequences,
  formatPeriod,
  LANGS,
  type Lang,
  loadDpia,
  loadNotice,
  renderDpia,
  renderNotice,
  renderRecord,
  tableFacts,
} from '@salon/policies/render';
import { and, count, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { AppDeps } from '../../http/app-env';
import { errors } from '../../http/errors';
import { documentSettings } from '../../policies';
import { secureCookies, sessionCookieName } from '../auth/sessions';
import { erasureAt } from '../me/deletion.service';
import { latestExport } from '../rights/export.service';

const {
  users,
  sessions,
  passkeys,
  invites,
  follows,
  clubMembers,
  clubFollowers,
  rooms,
  roomParticipants,
  roomEvents,
  roomReactions,
  notifications,
  recoveryRequests,
  reports,
  decisions,
  appeals,
  recordings,
  dataExports,
  auditEvents,
  staff,
} = schema;

type Deps = Pick<AppDeps, 'database' | 'config' | 'clock' | 'dataMap'>;

/** The same interval export.service.ts enforces (one request a day); privacy.test.ts checks they agree. */
export const EXPORT_INTERVAL_MS = 86_400_000;

/** Counts stop here: the privacy centre says "10,000 or more" rather than scan a huge table. */
export const COUNT_CAP = 10_000;

/**
 * The privacy documents and facts, rendered once per app from policies/ (they change only with
 * the data map, the notice or the configuration, all read at start).
 */
export function privacyDocuments(config: Deps['config'], map: DataMap) {
  const notice = loadNotice();
  const dpia = loadDpia();
  const settings = documentSettings(config);
  const both = <T>(render: (lang: Lang) => T) =>
    Object.fromEntries(LANGS.map((lang) => [lang, render(lang)])) as Record<Lang, T>;
  const facts = both(
    (lang) => new Map(tableFacts(map, notice, lang, settings.variables).map((f) => [f.table, f])),
  );
  const text = (table: string) => {
    const en = facts.en.get(table);
    const fr = facts.fr.get(table);
    if (!en || !fr) throw new Error(`policies/data-map.yaml: no table ${table}`);
    return { en, fr };
  };
  const exportsRule = map.tables.data_exports?.retention;
  return {
    notice: both((lang) => renderNotice(map, notice, settings, lang)),
    record: both((lang) => renderRecord(map, notice, settings, lang)),
    dpia: both((lang) => renderDpia(dpia, map, notice, settings, lang)),
    deletion: both((lang) => erasureConsequences(map, notice, lang)),
    /** How long an export stays downloadable, in words ("7 days", "7 jours"). */
    exportAvailability: both((lang) =>
      exportsRule && 'period' in exportsRule && exportsRule.period
        ? formatPeriod(exportsRule.period, lang)
        : '—',
    ),
    text,
  };
}

export type PrivacyDocuments = ReturnType<typeof privacyDocuments>;

/**
 * What the privacy centre shows to anyone, from the data map and the configuration: who the
 * controller is, each processing with its purpose, basis, retention, export and erasure (as
 * sentences in both languages too), what deleting an account does, and the cookies.
 */
export function privacyOverview(config: Deps['config'], map: DataMap, documents: PrivacyDocuments) {
  const processing = Object.entries(map.tables)
    .filter(([, table]) => table.retention.rule !== 'permanent')
    .map(([name, table]) => {
      const { en, fr } = documents.text(name);
      return {
        table: name,
        purpose: { en: table.purpose, fr: table.purpose_fr },
        legalBasis: table.legal_basis,
        retention: table.retention.trigger,
        export: table.export.treatment,
        erasure: table.erasure.treatment,
        /** The same, as sentences in each language (the retention table of the privacy centre). */
        text: {
          en: {
            legalBasis: en.legalBasis,
            retention: en.retention,
            export: en.export.text,
            erasure: en.erasure.text,
          },
          fr: {
            legalBasis: fr.legalBasis,
            retention: fr.retention,
            export: fr.export.text,
            erasure: fr.erasure.text,
          },
        },
        personal: en.personal,
      };
    });
  return {
    operator: { name: config.operator.name, contact: config.operator.contact },
    dpo: { contact: config.operator.dpoContact },
    processing,
    /** What deleting an account does (grace period, what goes, what stays and why), per language. */
    deletion: documents.deletion,
    /** How long an export stays downloadable, per language. */
    exportAvailability: documents.exportAvailability,
    cookies: [
      {
        name: sessionCookieName(config),
        purpose: { en: 'Keeps you signed in.', fr: 'Vous garde connecté·e.' },
        duration: `${config.sessions.absoluteDays} days at most`,
        days: config.sessions.absoluteDays,
        httpOnly: true,
        secure: secureCookies(config),
      },
      {
        name: 'salon_locale',
        purpose: { en: 'Remembers the language you chose.', fr: 'Retient la langue choisie.' },
        duration: '1 year',
        days: 365,
        httpOnly: true,
        secure: secureCookies(config),
      },
    ],
    // Strictly necessary cookies only (ePrivacy art. 5(3) exemption), hence no consent banner.
    consentBanner: false,
  };
}

/** Rows matching `where`, counted up to COUNT_CAP (a bounded scan whatever the table's size). */
async function countUpTo(db: Db, table: PgTable, where: SQL | undefined) {
  const rows = db.select({ one: sql`1` }).from(table).where(where).limit(COUNT_CAP).as('capped');
  const [row] = await db.select({ n: count() }).from(rows);
  return row?.n ?? 0;
}

/**
 * One area of what Salon holds about a member: its tables in the data map (for the purpose,
 * retention and export treatment shown with it) and how to count the member's rows.
 * Reports *about* a member are left out on purpose: telling them would tip off the person a
 * pending notice concerns (GDPR art. 23(1)(d), DSA art. 16); decisions about them are shown.
 */
const AREAS: {
  id: string;
  table: string;
  where: (userId: string) => { table: PgTable; where: SQL | undefined };
}[] = [
  { id: 'sessions', table: 'sessions', where: (id) => ({ table: sessions, where: eq(sessions.userId, id) }) },
  { id: 'passkeys', table: 'passkeys', where: (id) => ({ table: passkeys, where: eq(passkeys.userId, id) }) },
  { id: 'invites', table: 'invites', where: (id) => ({ table: invites, where: eq(invites.inviterId, id) }) },
  {
    id: 'following',
    table: 'follows',
    where: (id) => ({ table: follows, where: eq(follows.followerId, id) }),
  },
  {
    id: 'followers',
    table: 'follows',
    where: (id) => ({ table: follows, where: eq(follows.followeeId, id) }),
  },
  {
    id: 'clubs',
    table: 'club_members',
    where: (id) => ({ table: clubMembers, where: eq(clubMembers.userId, id) }),
  },
  {
    id: 'club_follows',
    table: 'club_followers',
    where: (id) => ({ table: clubFollowers, where: eq(clubFollowers.userId, id) }),
  },
  { id: 'rooms_hosted', table: 'rooms', where: (id) => ({ table: rooms, where: eq(rooms.hostId, id) }) },
  {
    id: 'rooms_joined',
    table: 'room_participants',
    where: (id) => ({ table: roomParticipants, where: eq(roomParticipants.userId, id) }),
  },
  {
    id: 'room_events',
    table: 'room_events',
    where: (id) => ({
      table: roomEvents,
      where: or(eq(roomEvents.actorId, id), eq(roomEvents.subjectId, id)),
    }),
  },
  {
    id: 'reactions',
    table: 'room_reactions',
    where: (id) => ({ table: roomReactions, where: eq(roomReactions.userId, id) }),
  },
  {
    id: 'notifications',
    table: 'notifications',
    where: (id) => ({ table: notifications, where: eq(notifications.userId, id) }),
  },
  {
    id: 'recoveries',
    table: 'recovery_requests',
    where: (id) => ({ table: recoveryRequests, where: eq(recoveryRequests.userId, id) }),
  },
  {
    id: 'recordings',
    table: 'recordings',
    where: (id) => ({
      table: recordings,
      where: and(eq(recordings.speakerId, id), isNull(recordings.shreddedAt)),
    }),
  },
  { id: 'reports', table: 'reports', where: (id) => ({ table: reports, where: eq(reports.reporterId, id) }) },
  {
    id: 'decisions',
    table: 'decisions',
    where: (id) => ({ table: decisions, where: eq(decisions.subjectId, id) }),
  },
  {
    id: 'appeals',
    table: 'appeals',
    where: (id) => ({ table: appeals, where: eq(appeals.appellantId, id) }),
  },
  {
    id: 'exports',
    table: 'data_exports',
    where: (id) => ({ table: dataExports, where: eq(dataExports.userId, id) }),
  },
  {
    id: 'audit',
    table: 'audit_events',
    where: (id) => ({
      table: auditEvents,
      where: or(eq(auditEvents.actorId, id), eq(auditEvents.subjectId, id)),
    }),
  },
];

export const AREA_IDS = ['profile', ...AREAS.map((a) => a.id), 'staff'] as const;

/**
 * What Salon holds about the signed-in member, area by area: the values that matter (the
 * profile) or how many rows there are, with each area's purpose, retention and export treatment
 * from the data map. Open during the grace period of a deletion too.
 */
export async function memberPrivacy(deps: Deps, documents: PrivacyDocuments, userId: string) {
  const db = deps.database.db;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw errors.unauthenticated();
  const [counts, role, latest] = await Promise.all([
    Promise.all(
      AREAS.map(async (area) => {
        const { table, where } = area.where(userId);
        return countUpTo(db, table, where);
      }),
    ),
    db.select({ role: staff.role }).from(staff).where(eq(staff.userId, userId)),
    latestExport(deps, userId),
  ]);
  const describe = (table: string) => {
    const { en, fr } = documents.text(table);
    return {
      table,
      purpose: { en: en.purpose, fr: fr.purpose },
      retention: { en: en.retention, fr: fr.retention },
      export: { treatment: en.export.treatment, en: en.export.text, fr: fr.export.text },
    };
  };
  const areas = [
    { id: 'profile', count: 1, ...describe('users') },
    ...AREAS.map((area, i) => {
      const n = counts[i] ?? 0;
      return { id: area.id, count: n, capped: n >= COUNT_CAP, ...describe(area.table) };
    }),
    ...(role[0] ? [{ id: 'staff', count: 1, ...describe('staff') }] : []),
  ].map((area) => ({ capped: false, ...area }));
  const nextRequestAt = latest ? new Date(Date.parse(latest.requestedAt) + EXPORT_INTERVAL_MS) : null;
  return {
    profile: {
      username: user.username,
      displayName: user.displayName,
      bio: user.bio,
      interests: user.interests,
      locale: user.locale,
      status: user.status,
      createdAt: user.createdAt.toISOString(),
      adultAttestedAt: user.adultAttestedAt.toISOString(),
      staff: role[0]?.role ?? null,
    },
    areas,
    export: {
      latest,
      /** When the member may ask for a new export; null when they may now. */
      nextRequestAt: nextRequestAt && nextRequestAt > deps.clock.now() ? nextRequestAt.toISOString() : null,
    },
    deletion:
      user.status === 'deactivated' && user.deletedAt
        ? { erasureAt: erasureAt(user.deletedAt, deps.dataMap).toISOString() }
        : null,
  };
}
