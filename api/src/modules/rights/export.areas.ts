import { type Db, schema } from '@salon/db';
import { and, asc, eq, isNotNull, or } from 'drizzle-orm';
import type { AnyPgColumn, PgSelect } from 'drizzle-orm/pg-core';

/**
 * What the export holds: one area per file of the archive, the tables it draws on (the data map's
 * names, so a test can check every exportable table is covered) and the query that pages its rows.
 * How the archive is written is export.builder.ts.
 */

const {
  users,
  passkeys,
  sessions,
  invites,
  follows,
  clubs,
  clubMembers,
  clubFollowers,
  rooms,
  roomParticipants,
} = schema;
const { roomInvites, roomRemovals, roomEvents, roomReactions, notifications, recoveryRequests, auditEvents } =
  schema;
const { roomReminders } = schema;
const { staff, recordings, reports, decisions, appeals } = schema;

type Query = (offset: number, limit: number) => Promise<unknown[]>;

/** One file of the archive: what it holds (FR/EN, for the README), its tables, and its rows. */
export interface Area {
  file: string;
  en: string;
  fr: string;
  tables: string[];
  rows: Query;
}

export function areas(db: Db, userId: string): Area[] {
  const paged =
    <T extends PgSelect>(query: () => T) =>
    (offset: number, limit: number) =>
      query().limit(limit).offset(offset) as unknown as Promise<unknown[]>;
  const mine = (column: Parameters<typeof eq>[0]) => eq(column, userId);
  return [
    {
      file: 'profile.json',
      en: 'Your account and public profile, the time you stated you were 18 or over, and your role in Salon’s moderation team if you have one.',
      fr: 'Votre compte et votre profil public, la date à laquelle vous avez déclaré avoir 18 ans ou plus, et votre rôle dans l’équipe de modération de Salon si vous en avez un.',
      tables: ['users', 'staff'],
      rows: paged(() =>
        db
          .select({
            username: users.username,
            displayName: users.displayName,
            bio: users.bio,
            interests: users.interests,
            locale: users.locale,
            status: users.status,
            adultAttestedAt: users.adultAttestedAt,
            notificationSettings: users.notificationSettings,
            createdAt: users.createdAt,
            suspendedUntil: users.suspendedUntil,
            staffRole: staff.role,
            staffSince: staff.grantedAt,
          })
          .from(users)
          .leftJoin(staff, eq(staff.userId, users.id))
          .where(mine(users.id))
          .$dynamic(),
      ),
    },
    {
      file: 'passkeys.json',
      en: 'Your passkeys (names and dates only; the keys themselves stay on your devices).',
      fr: 'Vos clés d’accès (noms et dates seulement ; les clés restent sur vos appareils).',
      tables: ['passkeys'],
      rows: paged(() =>
        db
          .select({
            name: passkeys.name,
            backedUp: passkeys.backedUp,
            createdAt: passkeys.createdAt,
            lastUsedAt: passkeys.lastUsedAt,
          })
          .from(passkeys)
          .where(mine(passkeys.userId))
          .orderBy(asc(passkeys.createdAt))
          .$dynamic(),
      ),
    },
    {
      file: 'sessions.json',
      en: 'The devices where you are signed in.',
      fr: 'Les appareils sur lesquels vous êtes connecté·e.',
      tables: ['sessions'],
      rows: paged(() =>
        db
          .select({
            device: sessions.label,
            createdAt: sessions.createdAt,
            lastSeenAt: sessions.lastSeenAt,
            expiresAt: sessions.expiresAt,
          })
          .from(sessions)
          .where(mine(sessions.userId))
          .orderBy(asc(sessions.createdAt))
          .$dynamic(),
      ),
    },
    {
      file: 'invites.json',
      en: 'The invites you created.',
      fr: 'Les invitations que vous avez créées.',
      tables: ['invites'],
      rows: paged(() =>
        db
          .select({
            code: invites.code,
            createdAt: invites.createdAt,
            expiresAt: invites.expiresAt,
            usedAt: invites.usedAt,
            revokedAt: invites.revokedAt,
          })
          .from(invites)
          .where(mine(invites.inviterId))
          .orderBy(asc(invites.createdAt))
          .$dynamic(),
      ),
    },
    {
      file: 'follows.json',
      en: 'Who you follow and who follows you (@usernames).',
      fr: 'Les personnes que vous suivez et celles qui vous suivent (@pseudos).',
      tables: ['follows'],
      rows: async (offset, limit) => {
        const side = (mineColumn: AnyPgColumn, otherColumn: AnyPgColumn) =>
          db
            .select({ username: users.username, since: follows.createdAt })
            .from(follows)
            .innerJoin(users, eq(users.id, otherColumn))
            .where(mine(mineColumn))
            .orderBy(asc(follows.createdAt))
            .limit(limit)
            .offset(offset);
        const following = await side(follows.followerId, follows.followeeId);
        const followers = await side(follows.followeeId, follows.followerId);
        return [
          ...following.map((f) => ({ direction: 'you follow', ...f })),
          ...followers.map((f) => ({ direction: 'follows you', ...f })),
        ];
      },
    },
    {
      file: 'clubs.json',
      en: 'Your club memberships, requests and invitations, and the clubs you follow.',
      fr: 'Vos clubs (membre, demandes, invitations) et les clubs que vous suivez.',
      tables: ['club_members', 'club_followers', 'clubs'],
      rows: async (offset, limit) => {
        const memberships = await db
          .select({
            club: clubs.slug,
            name: clubs.name,
            role: clubMembers.role,
            status: clubMembers.status,
            since: clubMembers.createdAt,
          })
          .from(clubMembers)
          .innerJoin(clubs, eq(clubs.id, clubMembers.clubId))
          .where(mine(clubMembers.userId))
          .orderBy(asc(clubMembers.createdAt))
          .limit(limit)
          .offset(offset);
        const followed =
          offset === 0
            ? await db
                .select({ club: clubs.slug, name: clubs.name, since: clubFollowers.createdAt })
                .from(clubFollowers)
                .innerJoin(clubs, eq(clubs.id, clubFollowers.clubId))
                .where(mine(clubFollowers.userId))
            : [];
        return [
          ...memberships.map((m) => ({ kind: 'membership', ...m })),
          ...followed.map((f) => ({ kind: 'follow', ...f })),
        ];
      },
    },
    {
      file: 'rooms.json',
      en: 'Rooms you hosted, scheduled, joined, were let into or removed from, kept 30 days after each room ended.',
      fr: 'Les salons que vous avez animés, programmés, rejoints, ceux où l’on vous a invité·e ou dont on vous a exclu·e, conservés 30 jours après leur fin.',
      tables: ['rooms', 'room_participants', 'room_invites', 'room_removals'],
      rows: paged(() =>
        db
          .select({
            room: rooms.id,
            topic: rooms.topic,
            mode: rooms.mode,
            status: rooms.status,
            hostedByYou: eq(rooms.hostId, userId),
            scheduledFor: rooms.scheduledFor,
            recurrence: rooms.recurrence,
            role: roomParticipants.role,
            joinedAt: roomParticipants.joinedAt,
            leftAt: roomParticipants.leftAt,
            invitedAt: roomInvites.createdAt,
            removedAt: roomRemovals.createdAt,
            createdAt: rooms.createdAt,
            startedAt: rooms.startedAt,
            endedAt: rooms.endedAt,
          })
          .from(rooms)
          .leftJoin(
            roomParticipants,
            and(eq(roomParticipants.roomId, rooms.id), mine(roomParticipants.userId)),
          )
          .leftJoin(roomInvites, and(eq(roomInvites.roomId, rooms.id), mine(roomInvites.userId)))
          .leftJoin(roomRemovals, and(eq(roomRemovals.roomId, rooms.id), mine(roomRemovals.userId)))
          // A room scheduled and never opened has no participant: the host still finds it here.
          .where(
            or(
              mine(rooms.hostId),
              isNotNull(roomParticipants.userId),
              isNotNull(roomInvites.userId),
              isNotNull(roomRemovals.userId),
            ),
          )
          .orderBy(asc(rooms.createdAt), asc(rooms.id))
          .$dynamic(),
      ),
    },
    {
      file: 'reminders.json',
      en: 'The scheduled rooms you asked to be reminded of, until the reminder is sent or the room starts.',
      fr: 'Les salons programmés dont vous avez demandé le rappel, jusqu’à l’envoi du rappel ou le début du salon.',
      tables: ['room_reminders'],
      rows: paged(() =>
        db
          .select({
            room: rooms.id,
            topic: rooms.topic,
            scheduledFor: rooms.scheduledFor,
            askedAt: roomReminders.createdAt,
          })
          .from(roomReminders)
          .innerJoin(rooms, eq(rooms.id, roomReminders.roomId))
          .where(mine(roomReminders.userId))
          .orderBy(asc(roomReminders.createdAt), asc(rooms.id))
          .$dynamic(),
      ),
    },
    {
      file: 'stage-events.json',
      en: 'What happened to you or by you in rooms: stage invitations, moves, hands, removals.',
      fr: 'Ce qui vous concerne dans les salons : invitations à parler, passages sur scène, mains levées, exclusions.',
      tables: ['room_events'],
      rows: paged(() =>
        db
          .select({
            room: roomEvents.roomId,
            at: roomEvents.at,
            type: roomEvents.type,
            byYou: eq(roomEvents.actorId, userId),
          })
          .from(roomEvents)
          .where(or(mine(roomEvents.actorId), mine(roomEvents.subjectId)))
          .orderBy(asc(roomEvents.id))
          .$dynamic(),
      ),
    },
    {
      file: 'reactions.json',
      en: 'Your reactions in rooms.',
      fr: 'Vos réactions dans les salons.',
      tables: ['room_reactions'],
      rows: paged(() =>
        db
          .select({ room: roomReactions.roomId, emoji: roomReactions.emoji, at: roomReactions.at })
          .from(roomReactions)
          .where(mine(roomReactions.userId))
          .orderBy(asc(roomReactions.id))
          .$dynamic(),
      ),
    },
    {
      file: 'notifications.json',
      en: 'Your notifications of the last 30 days.',
      fr: 'Vos notifications des 30 derniers jours.',
      tables: ['notifications'],
      // Who and what each one is about lives in its own columns (a club request names the club
      // and the person asking in them, with no data of its own): joined in, as @username and slug.
      rows: paged(() =>
        db
          .select({
            type: notifications.type,
            person: users.username,
            room: notifications.roomId,
            roomTopic: rooms.topic,
            club: clubs.slug,
            clubName: clubs.name,
            data: notifications.data,
            createdAt: notifications.createdAt,
            readAt: notifications.readAt,
          })
          .from(notifications)
          .leftJoin(users, eq(users.id, notifications.actorId))
          .leftJoin(rooms, eq(rooms.id, notifications.roomId))
          .leftJoin(clubs, eq(clubs.id, notifications.clubId))
          .where(mine(notifications.userId))
          .orderBy(asc(notifications.createdAt), asc(notifications.id))
          .$dynamic(),
      ),
    },
    {
      file: 'reports.json',
      en: 'The reports you made about rooms or people, and their outcome.',
      fr: 'Les signalements que vous avez faits sur des salons ou des personnes, et leur issue.',
      tables: ['reports'],
      rows: paged(() =>
        db
          .select({
            report: reports.id,
            room: reports.roomId,
            person: users.username,
            category: reports.category,
            law: reports.law,
            description: reports.description,
            moment: reports.at,
            status: reports.status,
            createdAt: reports.createdAt,
            decidedAt: reports.decidedAt,
          })
          .from(reports)
          .leftJoin(users, eq(users.id, reports.subjectId))
          .where(mine(reports.reporterId))
          .orderBy(asc(reports.createdAt))
          .$dynamic(),
      ),
    },
    {
      file: 'decisions.json',
      en: 'Moderation decisions about you, each with its statement of reasons, and your appeals.',
      fr: 'Les décisions de modération vous concernant, chacune avec son exposé des motifs, et vos recours.',
      tables: ['decisions', 'appeals'],
      rows: paged(() =>
        db
          .select({
            decision: decisions.id,
            room: decisions.roomId,
            action: decisions.action,
            facts: decisions.facts,
            ground: decisions.ground,
            groundDetail: decisions.groundDetail,
            scope: decisions.scope,
            endsAt: decisions.endsAt,
            decidedAt: decisions.createdAt,
            appealUntil: decisions.appealUntil,
            appeal: appeals.text,
            appealStatus: appeals.status,
            appealOutcome: appeals.outcome,
            appealedAt: appeals.createdAt,
            appealDecidedAt: appeals.decidedAt,
          })
          .from(decisions)
          .leftJoin(appeals, eq(appeals.decisionId, decisions.id))
          .where(mine(decisions.subjectId))
          .orderBy(asc(decisions.createdAt))
          .$dynamic(),
      ),
    },
    {
      file: 'recordings.json',
      en: 'The recordings of your voice kept for moderation (room, times, size). The audio itself is not in the export: it exists only for moderators handling a report, and is destroyed 30 days after it started.',
      fr: 'Les enregistrements de votre voix conservés pour la modération (salon, heures, taille). L’audio n’est pas dans l’export : il n’existe que pour la modération d’un signalement, et il est détruit 30 jours après son début.',
      tables: ['recordings'],
      rows: paged(() =>
        db
          .select({
            room: recordings.roomId,
            startedAt: recordings.startedAt,
            endedAt: recordings.endedAt,
            sizeBytes: recordings.sizeBytes,
            status: recordings.status,
            destroyedAt: recordings.shreddedAt,
            expiresAt: recordings.expiresAt,
          })
          .from(recordings)
          .where(mine(recordings.speakerId))
          .orderBy(asc(recordings.startedAt))
          .$dynamic(),
      ),
    },
    {
      file: 'security.json',
      en: 'Account recoveries and the security and privacy events recorded about your account (audit log).',
      fr: 'Les récupérations de compte et les événements de sécurité et de confidentialité enregistrés sur votre compte (journal d’audit).',
      tables: ['recovery_requests', 'audit_events'],
      rows: async (offset, limit) => {
        const recoveries =
          offset === 0
            ? await db
                .select({
                  requestedAt: recoveryRequests.createdAt,
                  availableAt: recoveryRequests.availableAt,
                  completedAt: recoveryRequests.completedAt,
                  cancelledAt: recoveryRequests.cancelledAt,
                })
                .from(recoveryRequests)
                .where(mine(recoveryRequests.userId))
            : [];
        const events = await db
          .select({ at: auditEvents.at, action: auditEvents.action })
          .from(auditEvents)
          .where(or(mine(auditEvents.actorId), mine(auditEvents.subjectId)))
          .orderBy(asc(auditEvents.id))
          .limit(limit)
          .offset(offset);
        return [
          ...recoveries.map((r) => ({ kind: 'recovery', ...r })),
          ...events.map((e) => ({ kind: 'audit', ...e })),
        ];
      },
    },
  ];
}

/** Every table some file of the export draws on (the queries are built lazily, never run here). */
export function exportedTables(): string[] {
  return areas({} as Db, '').flatMap((area) => area.tables);
}
