// The data set of the scale rows, written by the database itself (generate_series), so 100k
// members and 1M follows take seconds: member n has a fixed id, so every relation is arithmetic.
import type postgres from 'postgres';
import { INTERESTS } from '../api/src/modules/people/people.service';

export interface Sizes {
  members: number;
  /** Each member follows this many others: members × this = follows. */
  followsPerMember: number;
  liveRooms: number;
  /** Members who join the storm rooms, and who read the hallway and search. */
  actors: number;
  scheduledRooms: number;
  endedRooms: number;
  clubs: number;
  heavy: { follows: number; notifications: number; rooms: number };
}

export const FULL: Sizes = {
  members: 100_000,
  followsPerMember: 10,
  liveRooms: 2000,
  actors: 5000,
  scheduledRooms: 500,
  endedRooms: 10_000,
  clubs: 100,
  heavy: { follows: 10_000, notifications: 2000, rooms: 500 },
};

export const SMOKE: Sizes = {
  members: 2000,
  followsPerMember: 10,
  liveRooms: 50,
  actors: 200,
  scheduledRooms: 10,
  endedRooms: 50,
  clubs: 5,
  heavy: { follows: 300, notifications: 50, rooms: 20 },
};

/** Member n's id (n ≥ 1); the same formula as `bench_uid` in SQL. */
export const memberId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const roomUid = (expr: string, kind: number) =>
  `('00000000-0000-4000-${9000 + kind}-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;

/** The actors are the members right after the live rooms' hosts. */
export const actorNumber = (sizes: Sizes, i: number) => sizes.liveRooms + 1 + i;
/** The member with the heavy account (export row). */
export const heavyNumber = (sizes: Sizes) => sizes.members;

const FIRST = (
  'Adèle Alice Amir Anna Antoine Armand Baptiste Béatrice Camille Carla Céline Charles Chloé ' +
  'Claire Clément Damien David Denise Dylan Éloïse Emma Éric Fatou Félix Florence François Gabriel ' +
  'Gaëlle Hugo Inès Isabelle Jade Jean Jeanne Jules Julie Karim Laura Léa Léon Lina Louis Louise ' +
  'Lucas Manon Marc Marie Martin Mathilde Maxime Mehdi Mia Nathan Nina Noah Noémie Océane Olivier ' +
  'Paul Pauline Pierre Quentin Rachel Raphaël Rose Sacha Samuel Sarah Simon Sofia Sophie Théo ' +
  'Thomas Valentin Victor Yasmine Yann Zoé Aïcha Bruno'
).split(' ');
const LAST = (
  'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre ' +
  'Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre Mercier Dupont ' +
  'Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry ' +
  'Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin ' +
  'Diallo Nguyen Benali Traoré Kowalski Rossi Schmidt Haddad Moulin Lemoine'
).split(' ');

/** Folds like db/src/search-name.ts, for the seeded search_name. */
const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[-'’.]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export async function seed(sql: postgres.Sql, sizes: Sizes) {
  const N = sizes.members;
  const R = sizes.liveRooms;
  const list = (words: readonly string[]) => `array[${words.map((w) => `'${w}'`).join(',')}]`;
  await sql.unsafe(`
    create function pg_temp.bench_uid(n bigint) returns uuid language sql immutable
      as $$ select ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
  `);
  // Seeding writes consistent rows by construction: the foreign-key checks (one index probe per
  // reference, two million for the follows) are skipped for the bulk tables only.
  await sql.unsafe(`set session_replication_role = replica`);
  await sql.unsafe(`
    insert into users (id, username, display_name, search_name, interests, phone_hash, phone_key_version,
                       webauthn_user_id, adult_attested_at, created_at)
    select pg_temp.bench_uid(n), 'm' || n, f.name || ' ' || l.name,
           f.folded || ' ' || l.folded || ' m' || n,
           case when n % 3 = 0 then '{}'::text[]
                else array[(${list(INTERESTS)})[1 + n % ${INTERESTS.length}],
                           (${list(INTERESTS)})[1 + (n / ${INTERESTS.length}) % ${INTERESTS.length}]] end,
           'bench-' || n, 1, 'bench-' || n, now(), now() - (n % 400) * interval '1 day'
    from generate_series(1, ${N}) n
    cross join lateral (select (${list(FIRST)})[1 + n % ${FIRST.length}] as name,
                               (${list(FIRST.map(fold))})[1 + n % ${FIRST.length}] as folded) f
    cross join lateral (select (${list(LAST)})[1 + (n / ${FIRST.length}) % ${LAST.length}] as name,
                               (${list(LAST.map(fold))})[1 + (n / ${FIRST.length}) % ${LAST.length}] as folded) l;
  `);
  // Member n follows n + 9973k: exactly followsPerMember distinct others each.
  await sql.unsafe(`
    insert into follows (follower_id, followee_id, created_at)
    select pg_temp.bench_uid(n), pg_temp.bench_uid(1 + (n - 1 + k * 9973) % ${N}), now()
    from generate_series(1, ${N}) n, generate_series(1, ${sizes.followsPerMember}) k;
  `);
  const heavy = heavyNumber(sizes);
  await sql.unsafe(`
    insert into follows (follower_id, followee_id, created_at)
    select pg_temp.bench_uid(${heavy}), pg_temp.bench_uid(n), now() from generate_series(1, ${sizes.heavy.follows}) n
    on conflict do nothing;
    insert into notifications (user_id, type, actor_id, data, dedupe_key, created_at)
    select pg_temp.bench_uid(${heavy}), 'follow.new', pg_temp.bench_uid(1 + n % ${N - 1}), '{}', 'bench-' || n,
           now() - n * interval '1 minute'
    from generate_series(1, ${sizes.heavy.notifications}) n;
  `);
  await sql.unsafe(`set session_replication_role = origin`);

  // Clubs: every fifth member belongs to club n % clubs, every seventh follows one.
  await sql.unsafe(`
    insert into clubs (id, slug, name, search_name, join_policy, room_visibility, created_by, created_at)
    select ${roomUid('c', 1)}, 'club-' || c, 'Club ' || c, 'club ' || c, 'open',
           case when c % 2 = 0 then 'members' else 'followers' end, pg_temp.bench_uid(c), now()
    from generate_series(1, ${sizes.clubs}) c;
    insert into club_members (club_id, user_id, role, status, created_at)
    select ${roomUid(`1 + n % ${sizes.clubs}`, 1)}, pg_temp.bench_uid(n),
           case when n <= ${R} then 'admin' else 'member' end, 'active', now()
    from generate_series(1, ${N}) n where n % 5 = 0 or n <= ${R};
    insert into club_followers (club_id, user_id, created_at)
    select ${roomUid(`1 + n % ${sizes.clubs}`, 1)}, pg_temp.bench_uid(n), now()
    from generate_series(1, ${N}) n where n % 7 = 0 and n % 5 <> 0 and n > ${R};
  `);

  // Live rooms: member i hosts room i. 70% open, 15% social, 10% closed, 5% club; sizes 1–60,
  // ten rooms of 500; 1–5 people on stage. Presence is written in bulk with the triggers off and
  // counted once: through the presence trigger, 60,000 rows in one transaction would rewrite each
  // room's row dozens of times and leave the tables bloated as no steady state is.
  await sql.unsafe(`set session_replication_role = replica`);
  await sql.unsafe(`
    insert into rooms (id, host_id, topic, mode, club_id, status, capacity, interests, created_at, started_at)
    select ${roomUid('i', 2)}, pg_temp.bench_uid(i), 'Live room ' || i,
           case when i % 20 < 14 then 'open' when i % 20 < 17 then 'social' when i % 20 < 19 then 'closed' else 'club' end,
           case when i % 20 = 19 then ${roomUid(`1 + i % ${sizes.clubs}`, 1)} end,
           'live', 5000,
           case when i % 4 = 0 then '{}'::text[]
                else array[(${list(INTERESTS)})[1 + (i * 7) % ${INTERESTS.length}]] end,
           now(), now() - (i % 120) * interval '1 minute'
    from generate_series(1, ${R}) i;
    insert into room_participants (room_id, user_id, role, present, joined_at, stage_since)
    select ${roomUid('i', 2)},
           case when j = 0 then pg_temp.bench_uid(i)
                else pg_temp.bench_uid(1 + (${R + sizes.actors} + i * 37 + j * 101) % ${N}) end,
           case when j = 0 then 'moderator' when j < 1 + i % 5 then 'speaker' else 'listener' end,
           true, now(), case when j < 1 + i % 5 then now() end
    from generate_series(1, ${R}) i,
         generate_series(0, case when i <= 10 then 499 else (i * 7919) % 60 end) j
    on conflict do nothing;
    insert into room_invites (room_id, user_id, created_at)
    select ${roomUid('i', 2)}, pg_temp.bench_uid(${R} + 1 + (i * 13 + k) % ${sizes.actors}), now()
    from generate_series(1, ${R}) i, generate_series(1, 20) k where i % 20 in (17, 18);
  `);
  await sql.unsafe(`
    update rooms as r set present_count = p.n, size_rank = room_size_rank(p.n)
    from (select room_id, count(*)::int as n from room_participants where present group by room_id) as p
    where r.id = p.room_id;
  `);
  await sql.unsafe(`set session_replication_role = origin`);
  // Upcoming rooms of the next week, and past rooms (the heavy account hosted some of them).
  await sql.unsafe(`
    insert into rooms (id, host_id, topic, mode, status, capacity, created_at, scheduled_for)
    select ${roomUid('i', 3)}, pg_temp.bench_uid(1 + (i * 31) % ${N}), 'Upcoming ' || i,
           case when i % 3 = 0 then 'social' else 'open' end, 'scheduled', 5000, now(),
           now() + (i % 300) * interval '30 minutes' + interval '1 minute'
    from generate_series(1, ${sizes.scheduledRooms}) i;
    insert into rooms (id, host_id, topic, mode, status, capacity, created_at, started_at, ended_at)
    select ${roomUid('i', 4)},
           pg_temp.bench_uid(case when i <= ${sizes.heavy.rooms} then ${heavy} else 1 + (i * 17) % ${N} end),
           'Past ' || i, 'open', 'ended', 5000, now() - interval '2 days', now() - interval '2 days',
           now() - interval '1 day'
    from generate_series(1, ${sizes.endedRooms}) i;
    insert into room_participants (room_id, user_id, role, present, joined_at, left_at)
    select ${roomUid('i', 4)}, pg_temp.bench_uid(${heavy}), 'moderator', false, now() - interval '2 days',
           now() - interval '1 day'
    from generate_series(1, ${sizes.heavy.rooms}) i;
  `);
  await sql.unsafe('vacuum analyze');
}

/** Three empty open rooms: one to warm the API instances up, one per join storm. */
export async function stormRooms(sql: postgres.Sql, capacity: number) {
  const rows = await sql.unsafe<{ id: string }[]>(`
    insert into rooms (host_id, topic, mode, status, capacity, created_at, started_at)
    select null, 'Storm ' || k, 'open', 'live', ${capacity}, now(), now() from generate_series(1, 3) k
    returning id
  `);
  return rows.map((r) => r.id);
}

/** Sessions for the actors, created directly; returns each actor's cookie token. */
export async function actorSessions(sql: postgres.Sql, sizes: Sizes, hash: (token: string) => string) {
  const numbers = Array.from({ length: sizes.actors }, (_, i) => actorNumber(sizes, i));
  const tokens = numbers.map((n) => `bench-session-${n}-${'x'.repeat(20)}`);
  await sql`
    insert into sessions (user_id, token_hash, label, created_at, last_seen_at, expires_at)
    select pg_temp.bench_uid(n), h, 'Bench', now(), now(), now() + interval '30 days'
    from unnest(${sql.array(numbers)}::int[], ${sql.array(tokens.map(hash))}::text[]) as t(n, h)
  `;
  return tokens;
}
