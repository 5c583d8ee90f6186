import { describe, expect, it } from 'vitest';
import {
  addPage,
  applyDiff,
  bandsOf,
  changesBetween,
  PAGE,
  parseStreamEvent,
  rosterOf,
  type ViewState,
} from './roster';
import type { RosterEntry, StreamRoom } from './types';

function person(patch: Partial<RosterEntry> & { userId: string }): RosterEntry {
  return {
    username: patch.userId,
    displayName: `Person ${patch.userId}`,
    isNew: false,
    role: 'listener',
    band: 'audience',
    joinedAt: '2026-11-21T12:00:00.000Z',
    stageSince: null,
    handRaised: false,
    handRaisedAt: null,
    invitedToSpeak: false,
    ...patch,
  };
}

const room: StreamRoom = {
  id: 'r1',
  topic: 'Le vélo en ville',
  mode: 'open',
  status: 'live',
  recording: false,
};

describe('applyDiff', () => {
  it('adds, replaces and removes entries without touching the original', () => {
    const before = rosterOf([person({ userId: 'a' }), person({ userId: 'b' })]);
    const after = applyDiff(before, {
      upserts: [person({ userId: 'b', handRaised: true }), person({ userId: 'c' })],
      removals: ['a'],
    });
    expect([...after.keys()].sort()).toEqual(['b', 'c']);
    expect(after.get('b')?.handRaised).toBe(true);
    expect([...before.keys()]).toEqual(['a', 'b']);
    expect(before.get('b')?.handRaised).toBe(false);
  });

  it('keeps the same roster when nothing changed', () => {
    const roster = rosterOf([person({ userId: 'a' })]);
    expect(applyDiff(roster, { upserts: [], removals: [] })).toBe(roster);
  });

  it('takes in a listener not held yet only where the held part of the band reaches', () => {
    const at = (i: number) => new Date(Date.UTC(2026, 10, 21, 12, 0, i)).toISOString();
    const listener = (i: number) => person({ userId: `l${String(i).padStart(3, '0')}`, joinedAt: at(i) });
    // The first page of a long audience: arrivals after it are counted, not listed.
    const firstPage = rosterOf(Array.from({ length: PAGE }, (_, i) => listener(i)));
    expect(applyDiff(firstPage, { upserts: [listener(500)], removals: [] }).size).toBe(PAGE);
    // Someone on it leaves and the next in line moves up: that one is taken in.
    const moved = applyDiff(firstPage, { upserts: [listener(PAGE)], removals: ['l003'] });
    expect(moved.has(`l0${PAGE}`)).toBe(true);
    expect(moved.size).toBe(PAGE);
    // A short band takes every arrival; a change to someone held is always taken.
    const short = rosterOf([listener(0), listener(1)]);
    expect(applyDiff(short, { upserts: [listener(2)], removals: [] }).size).toBe(3);
    const followed = { ...listener(1), band: 'followed' as const };
    expect(applyDiff(firstPage, { upserts: [followed], removals: [] }).get('l001')?.band).toBe('followed');
  });

  it('adds a page, keeping what the stream says of anyone already held', () => {
    const held = person({ userId: 'a', displayName: 'Newer' });
    const roster = addPage(rosterOf([held]), [
      person({ userId: 'a', displayName: 'Older' }),
      person({ userId: 'b' }),
    ]);
    expect([...roster.keys()]).toEqual(['a', 'b']);
    expect(roster.get('a')?.displayName).toBe('Newer');
  });
});

describe('bandsOf', () => {
  it('puts moderators first on stage, then speakers, each by time on stage', () => {
    const roster = rosterOf([
      person({ userId: 's1', role: 'speaker', band: 'stage', stageSince: '2026-11-21T12:01:00Z' }),
      person({ userId: 'm2', role: 'moderator', band: 'stage', stageSince: '2026-11-21T12:05:00Z' }),
      person({ userId: 'm1', role: 'moderator', band: 'stage', stageSince: '2026-11-21T12:00:00Z' }),
      person({ userId: 'f', band: 'followed' }),
      person({ userId: 'l2', joinedAt: '2026-11-21T12:10:00Z' }),
      person({ userId: 'l1', joinedAt: '2026-11-21T12:02:00Z' }),
    ]);
    const bands = bandsOf(roster);
    expect(bands.stage.map((e) => e.userId)).toEqual(['m1', 'm2', 's1']);
    expect(bands.followed.map((e) => e.userId)).toEqual(['f']);
    expect(bands.audience.map((e) => e.userId)).toEqual(['l1', 'l2']);
  });

  it('trusts the role over the band for the stage', () => {
    const bands = bandsOf(rosterOf([person({ userId: 'x', role: 'speaker', band: 'audience' })]));
    expect(bands.stage).toHaveLength(1);
    expect(bands.audience).toHaveLength(0);
  });
});

describe('parseStreamEvent', () => {
  it('reads the end of the viewer’s visit when a moderator removed them', () => {
    expect(parseStreamEvent('removed', '')).toEqual({ type: 'removed' });
  });

  const band = (entries: RosterEntry[], count = entries.length) => ({ entries, count, nextCursor: 'c1' });

  it('reads a snapshot: the stage, the first page of each band with its size, the hands, the viewer', () => {
    const event = parseStreamEvent(
      'snapshot',
      JSON.stringify({
        you: person({ userId: 'a' }),
        room,
        stage: [person({ userId: 'h', role: 'moderator', band: 'stage' })],
        followed: band([]),
        audience: band([person({ userId: 'a' })], 4000),
        hands: null,
      }),
    );
    expect(event?.type).toBe('snapshot');
    if (event?.type !== 'snapshot') return;
    expect(event.data.room.topic).toBe('Le vélo en ville');
    expect(event.data.stage).toHaveLength(1);
    expect(event.data.audience).toMatchObject({ count: 4000, nextCursor: 'c1' });
    expect(event.data.hands).toBeNull();
    expect(event.data.you?.userId).toBe('a');
  });

  it('reads roster diffs, room changes, reactions and the end', () => {
    const counts = { followed: 0, audience: 12 };
    expect(parseStreamEvent('roster', JSON.stringify({ upserts: [], removals: ['a'], counts }))).toEqual({
      type: 'roster',
      data: { upserts: [], removals: ['a'], counts },
    });
    const hands = { entries: [person({ userId: 'b', handRaised: true })], count: 3 };
    expect(
      parseStreamEvent('roster', JSON.stringify({ you: null, upserts: [], removals: [], counts, hands })),
    ).toEqual({ type: 'roster', data: { you: null, upserts: [], removals: [], counts, hands } });
    expect(
      parseStreamEvent(
        'room',
        JSON.stringify({ topic: 'T', mode: 'closed', status: 'live', recording: true }),
      ),
    ).toEqual({ type: 'room', data: { topic: 'T', mode: 'closed', status: 'live', recording: true } });
    expect(parseStreamEvent('reactions', JSON.stringify({ counts: { '👏': 2, '❤️': 0, x: 'y' } }))).toEqual({
      type: 'reactions',
      data: { counts: { '👏': 2 } },
    });
    expect(parseStreamEvent('ended', '{}')).toEqual({ type: 'ended' });
  });

  it.each([
    ['snapshot', 'not json'],
    [
      'snapshot',
      JSON.stringify({ room, stage: [{ userId: 'a' }], followed: band([]), audience: band([]), you: null }),
    ],
    [
      'snapshot',
      JSON.stringify({ room, stage: [], followed: band([]), audience: { entries: [] }, you: null }),
    ],
    ['roster', JSON.stringify({ upserts: 'no', removals: [], counts: { followed: 0, audience: 0 } })],
    ['roster', JSON.stringify({ upserts: [], removals: [] })],
    ['roster', JSON.stringify({ upserts: [], removals: [], counts: { followed: 0, audience: 0 }, hands: 3 })],
    ['room', JSON.stringify({ topic: 'T', mode: 'secret', status: 'live' })],
    ['reactions', JSON.stringify({ counts: [] })],
    ['whatever', '{}'],
  ])('drops a malformed %s message', (type, raw) => {
    expect(parseStreamEvent(type, raw)).toBeNull();
  });
});

describe('changesBetween', () => {
  const me = person({ userId: 'me' });
  const view = (
    you: RosterEntry | null,
    others: RosterEntry[] = [],
    patch: Partial<StreamRoom> = {},
    hands: RosterEntry[] = others.filter((e) => e.handRaised),
    handCount = hands.length,
  ): ViewState => ({
    room: { ...room, ...patch },
    roster: rosterOf(you ? [you, ...others] : others),
    you,
    hands: { entries: hands, count: handCount },
  });

  it('tells a listener they are invited, then on stage', () => {
    const invited = { ...me, invitedToSpeak: true };
    expect(changesBetween(view(me), view(invited), false)).toEqual([{ kind: 'invited' }]);
    const speaking = { ...me, role: 'speaker' as const, band: 'stage' as const };
    expect(changesBetween(view(invited), view(speaking), false)).toEqual([{ kind: 'on_stage' }]);
  });

  it('tells a speaker they are back in the audience, or a moderator', () => {
    const speaker = { ...me, role: 'speaker' as const, band: 'stage' as const };
    const moderator = { ...speaker, role: 'moderator' as const };
    expect(changesBetween(view(speaker), view(me), false)).toEqual([{ kind: 'to_audience' }]);
    expect(changesBetween(view(speaker), view(moderator), true)).toEqual([{ kind: 'now_moderator' }]);
    expect(changesBetween(view(moderator), view(speaker), false)).toEqual([{ kind: 'no_longer_moderator' }]);
  });

  it('notices when the viewer is no longer listed, unless the room ended', () => {
    expect(changesBetween(view(me), view(null), false)).toEqual([{ kind: 'gone' }]);
    expect(changesBetween(view(me), view(null, [], { status: 'ended' }), false)).toEqual([{ kind: 'ended' }]);
  });

  it('tells moderators about new raised hands, but not on a fresh snapshot', () => {
    const moderator = { ...me, role: 'moderator' as const, band: 'stage' as const };
    const bastien = person({ userId: 'b', displayName: 'Bastien Roux' });
    const raised = { ...bastien, handRaised: true };
    expect(changesBetween(view(moderator, [bastien]), view(moderator, [raised]), false)).toEqual([
      { kind: 'hand_raised', name: 'Bastien Roux' },
    ]);
    expect(changesBetween(view(moderator, [bastien]), view(moderator, [raised]), true)).toEqual([]);
    // Listeners never see others' hands, and would not be told anyway.
    expect(changesBetween(view(me, [bastien]), view(me, [raised]), false)).toEqual([]);
  });

  it('does not call a hand new when it only moves up the queue as older ones are dealt with', () => {
    const moderator = { ...me, role: 'moderator' as const, band: 'stage' as const };
    const hand = (id: string, minute: number) =>
      person({ userId: id, displayName: id, handRaised: true, handRaisedAt: `2026-11-21T12:${minute}0:00Z` });
    const [a, b, c] = [hand('a', 1), hand('b', 2), hand('c', 3)];
    // The head shows two of three hands; a is dealt with and c moves into the head.
    expect(
      changesBetween(view(moderator, [], {}, [a, b], 3), view(moderator, [], {}, [b, c], 2), false),
    ).toEqual([]);
    // A hand raised beyond the head grows the count only; one raised into the head is news.
    const d = hand('d', 4);
    expect(
      changesBetween(view(moderator, [], {}, [b, c], 2), view(moderator, [], {}, [b, c], 3), false),
    ).toEqual([]);
    expect(
      changesBetween(view(moderator, [], {}, [b], 1), view(moderator, [], {}, [b, d], 2), false),
    ).toEqual([{ kind: 'hand_raised', name: 'd' }]);
  });

  it('tells everyone about a new topic or access', () => {
    expect(changesBetween(view(me), view(me, [], { topic: 'Autre', mode: 'closed' }), false)).toEqual([
      { kind: 'topic', topic: 'Autre' },
      { kind: 'mode', mode: 'closed' },
    ]);
  });
});
