import { describe, expect, it } from 'vitest';
import {
  applyDiff,
  bandsOf,
  changesBetween,
  parseStreamEvent,
  raisedHands,
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

  it('lists raised hands of listeners, longest waiting first', () => {
    const roster = rosterOf([
      person({ userId: 'late', handRaised: true, joinedAt: '2026-11-21T12:09:00Z' }),
      person({ userId: 'early', handRaised: true, joinedAt: '2026-11-21T12:01:00Z' }),
      person({ userId: 'quiet' }),
    ]);
    expect(raisedHands(roster).map((e) => e.userId)).toEqual(['early', 'late']);
  });
});

describe('parseStreamEvent', () => {
  it('reads the end of the viewer’s visit when a moderator removed them', () => {
    expect(parseStreamEvent('removed', '')).toEqual({ type: 'removed' });
  });

  it('reads a snapshot', () => {
    const event = parseStreamEvent(
      'snapshot',
      JSON.stringify({ room, roster: [person({ userId: 'a' })], you: person({ userId: 'a' }) }),
    );
    expect(event?.type).toBe('snapshot');
    if (event?.type !== 'snapshot') return;
    expect(event.data.room.topic).toBe('Le vélo en ville');
    expect(event.data.roster).toHaveLength(1);
    expect(event.data.you?.userId).toBe('a');
  });

  it('reads roster diffs, room changes, reactions and the end', () => {
    expect(parseStreamEvent('roster', JSON.stringify({ upserts: [], removals: ['a'] }))).toEqual({
      type: 'roster',
      data: { upserts: [], removals: ['a'] },
    });
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
    ['snapshot', JSON.stringify({ room, roster: [{ userId: 'a' }], you: null })],
    ['roster', JSON.stringify({ upserts: 'no', removals: [] })],
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
  ): ViewState => ({
    room: { ...room, ...patch },
    roster: rosterOf(you ? [you, ...others] : others),
    you,
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

  it('tells everyone about a new topic or access', () => {
    expect(changesBetween(view(me), view(me, [], { topic: 'Autre', mode: 'closed' }), false)).toEqual([
      { kind: 'topic', topic: 'Autre' },
      { kind: 'mode', mode: 'closed' },
    ]);
  });
});
