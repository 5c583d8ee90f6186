import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileModule } from 'svelte/compiler';
import ts from 'typescript';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LiveRoom as LiveRoomType, PageReader } from './live-room.svelte';
import type { RosterDiff, RosterEntry, Snapshot, StreamEvent, StreamRoom } from './types';

/**
 * The store is a runes module (`*.svelte.ts`). Unit tests run without the Svelte plugin, so it is
 * compiled here exactly as the app's build compiles it (TypeScript stripped, then Svelte's
 * compileModule for the browser) and imported from a temporary file.
 */
async function loadStore(): Promise<{ LiveRoom: typeof LiveRoomType; REACTION_SHOW_MS: number }> {
  const here = dirname(fileURLToPath(import.meta.url));
  const source = readFileSync(join(here, 'live-room.svelte.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  let code = compileModule(js, { filename: 'live-room.svelte.js', generate: 'client' }).js.code;
  const require = createRequire(import.meta.url);
  code = code.replace(
    /from '(svelte\/[^']+)'/g,
    (_, id: string) => `from '${pathToFileURL(require.resolve(id)).href}'`,
  );
  code = code.replace(
    /from '\.\/([^']+)'/g,
    (_, id: string) => `from '${pathToFileURL(join(here, `${id}.ts`)).href}'`,
  );
  const file = join(mkdtempSync(join(tmpdir(), 'salon-runes-')), 'live-room.svelte.js');
  writeFileSync(file, code);
  return import(/* @vite-ignore */ pathToFileURL(file).href);
}

let LiveRoom: typeof LiveRoomType;
let SHOW_MS: number;

beforeAll(async () => {
  ({ LiveRoom, REACTION_SHOW_MS: SHOW_MS } = await loadStore());
});

afterEach(() => {
  vi.useRealTimers();
});

const room: StreamRoom = {
  id: 'r1',
  topic: 'Le vélo en ville',
  mode: 'open',
  status: 'live',
  recording: false,
};

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

const host = person({ userId: 'host', role: 'moderator', band: 'stage', stageSince: '2026-11-21T12:00:00Z' });
const me = person({ userId: 'me' });

/** A snapshot of `people` (stage and listeners alike), each band whole unless its size is given. */
function snapshot(people: RosterEntry[], you: RosterEntry | null, more: Partial<Snapshot> = {}): StreamEvent {
  const of = (band: string) => people.filter((e) => e.role === 'listener' && e.band === band);
  return {
    type: 'snapshot',
    data: {
      room,
      stage: people.filter((e) => e.role !== 'listener'),
      followed: { entries: of('followed'), count: of('followed').length, nextCursor: null },
      audience: { entries: of('audience'), count: of('audience').length, nextCursor: null },
      hands: null,
      you,
      ...more,
    },
  };
}

/** A roster diff; the sizes as given, or none in the audience. */
function diff(patch: Partial<RosterDiff>): StreamEvent {
  return {
    type: 'roster',
    data: { upserts: [], removals: [], counts: { followed: 0, audience: 1 }, ...patch },
  };
}

describe('LiveRoom', () => {
  it('hears of its viewer’s removal from the stream, and asks to come back (which says why)', () => {
    const live = new LiveRoom('me');
    live.apply(snapshot([host, me], me));
    expect(live.apply({ type: 'removed' })).toEqual([{ kind: 'gone' }]);
  });

  it('knows nothing until the snapshot, then everything in it', () => {
    const live = new LiveRoom('me');
    expect(live.ready).toBe(false);
    expect(live.you).toBeNull();
    const changes = live.apply(snapshot([host, me], me));
    expect(changes).toEqual([]);
    expect(live.ready).toBe(true);
    expect(live.room?.topic).toBe('Le vélo en ville');
    expect(live.count).toBe(2);
    expect(live.you?.userId).toBe('me');
    expect(live.bands.stage.map((e) => e.userId)).toEqual(['host']);
    expect(live.bands.audience.map((e) => e.userId)).toEqual(['me']);
    expect(live.isModerator).toBe(false);
    expect(live.onStage).toBe(false);
  });

  it('applies upserts and removals, and says what changed for the viewer', () => {
    const live = new LiveRoom('me');
    live.apply(snapshot([host, me], me));

    expect(live.apply(diff({ you: { ...me, handRaised: true } }))).toEqual([]);
    expect(live.you?.handRaised).toBe(true);
    // The viewer's own tile shows their hand, which the public entry does not carry.
    expect(live.bands.audience[0]?.handRaised).toBe(true);

    const invited = { ...me, handRaised: false, invitedToSpeak: true };
    expect(live.apply(diff({ you: invited }))).toEqual([{ kind: 'invited' }]);

    const speaker = {
      ...me,
      role: 'speaker' as const,
      band: 'stage' as const,
      stageSince: '2026-11-21T12:05:00Z',
    };
    const counts = { followed: 0, audience: 0 };
    expect(live.apply(diff({ upserts: [speaker], you: speaker, counts }))).toEqual([{ kind: 'on_stage' }]);
    expect(live.onStage).toBe(true);
    expect(live.bands.stage.map((e) => e.userId)).toEqual(['host', 'me']);

    const guest = person({ userId: 'guest' });
    live.apply(diff({ upserts: [guest], counts: { followed: 0, audience: 1 } }));
    expect(live.count).toBe(3);
    live.apply(diff({ removals: ['guest'], counts }));
    expect(live.count).toBe(2);

    expect(live.apply(diff({ removals: ['me'], you: null, counts }))).toEqual([{ kind: 'gone' }]);
    expect(live.you).toBeNull();
  });

  it('counts the audience from the stream and reads more of it when asked', async () => {
    const at = (i: number) => new Date(Date.UTC(2026, 10, 21, 11, 0, i)).toISOString();
    const crowd = Array.from({ length: 200 }, (_, i) =>
      person({ userId: `c${String(i).padStart(3, '0')}`, joinedAt: at(i) }),
    );
    const asked: (string | null)[] = [];
    let fail = true;
    const read: PageReader = async (band, cursor) => {
      asked.push(cursor);
      if (fail) return null;
      const from = cursor ? Number(cursor) : 0;
      return {
        entries: crowd.slice(from, from + 96).map((e) => ({ ...e, band })),
        nextCursor: String(from + 96),
      };
    };
    const live = new LiveRoom('me', read);
    live.apply(
      snapshot([host], null, {
        audience: { entries: crowd.slice(0, 48), count: 200, nextCursor: '48' },
      }),
    );
    expect(live.count).toBe(201);
    expect(live.bands.audience).toHaveLength(48);
    expect(live.hasMore('audience')).toBe(true);
    expect(live.hasMore('followed')).toBe(false);

    await live.loadMore('audience');
    expect(live.loading.audience).toBe('failed');
    fail = false;
    await live.loadMore('audience');
    expect(live.loading.audience).toBeUndefined();
    expect(live.bands.audience).toHaveLength(144);
    await live.loadMore('audience');
    expect(live.bands.audience.map((e) => e.userId)).toEqual(crowd.map((e) => e.userId));
    expect(live.hasMore('audience')).toBe(false);
    await live.loadMore('audience'); // nothing left: nothing asked
    expect(asked).toEqual(['48', '48', '144']);

    // Someone far down the audience changes: held, so the change is taken.
    live.apply(
      diff({
        upserts: [{ ...crowd[150], band: 'followed' } as RosterEntry],
        counts: { followed: 1, audience: 199 },
      }),
    );
    expect(live.bands.followed.map((e) => e.userId)).toEqual(['c150']);
    expect(live.count).toBe(201);
  });

  it('reads past what the stream already brought when its cursor lags behind', async () => {
    const at = (i: number) => new Date(Date.UTC(2026, 10, 21, 11, 0, i)).toISOString();
    const crowd = Array.from({ length: 200 }, (_, i) =>
      person({ userId: `c${String(i).padStart(3, '0')}`, joinedAt: at(i) }),
    );
    const asked: (string | null)[] = [];
    const read: PageReader = async (_band, cursor) => {
      asked.push(cursor);
      const from = cursor ? Number(cursor) : 0;
      return { entries: crowd.slice(from, from + 96), nextCursor: String(Math.min(200, from + 96)) };
    };
    const live = new LiveRoom('me', read);
    live.apply(snapshot([host], null));
    // The crowd arrives after the snapshot: the stream brings the first page of it, and the count.
    live.apply(diff({ upserts: crowd.slice(0, 48), counts: { followed: 0, audience: 200 } }));
    expect(live.bands.audience).toHaveLength(48);
    await live.loadMore('audience');
    expect(asked).toEqual([null, '96']);
    expect(live.bands.audience).toHaveLength(192);
  });

  it('keeps the moderators’ queue of hands as the stream sends it, and says when one goes up', () => {
    const live = new LiveRoom('host');
    const b = person({
      userId: 'b',
      displayName: 'Bastien Roux',
      handRaised: true,
      handRaisedAt: '2026-11-21T12:01:00Z',
    });
    live.apply(snapshot([host], host, { hands: { entries: [], count: 0 } }));
    expect(live.apply(diff({ hands: { entries: [b], count: 1 } }))).toEqual([
      { kind: 'hand_raised', name: 'Bastien Roux' },
    ]);
    expect(live.hands.map((e) => e.userId)).toEqual(['b']);
    expect(live.handsQueue.count).toBe(1);
  });

  it('starts afresh on a new snapshot (becoming a moderator) without replaying old hands', () => {
    const live = new LiveRoom('me');
    const speaker = { ...me, role: 'speaker' as const, band: 'stage' as const };
    const raised = person({ userId: 'b', handRaised: true });
    live.apply(snapshot([host, speaker, person({ userId: 'b' })], speaker));
    const moderator = { ...speaker, role: 'moderator' as const };
    expect(
      live.apply(snapshot([host, moderator, raised], moderator, { hands: { entries: [raised], count: 1 } })),
    ).toEqual([{ kind: 'now_moderator' }]);
    expect(live.isModerator).toBe(true);
    expect(live.hands.map((e) => e.userId)).toEqual(['b']);
  });

  it('follows topic and mode changes, and the end of the room', () => {
    const live = new LiveRoom('me');
    live.apply(snapshot([host, me], me));
    expect(
      live.apply({
        type: 'room',
        data: { topic: 'La ville à vélo', mode: 'closed', status: 'live', recording: true },
      }),
    ).toEqual([
      { kind: 'topic', topic: 'La ville à vélo' },
      { kind: 'mode', mode: 'closed' },
    ]);
    expect(live.room).toEqual({
      id: 'r1',
      topic: 'La ville à vélo',
      mode: 'closed',
      status: 'live',
      recording: true,
    });
    expect(live.apply({ type: 'ended' })).toEqual([{ kind: 'ended' }]);
    expect(live.ended).toBe(true);
    expect(live.room?.status).toBe('ended');
    // The stream says it once more as it closes: not news twice.
    expect(live.apply({ type: 'ended' })).toEqual([]);
  });

  it('shows received reactions for a few seconds, adding up bursts', () => {
    vi.useFakeTimers();
    const live = new LiveRoom('me');
    live.apply(snapshot([host, me], me));
    live.apply({ type: 'reactions', data: { counts: { '👏': 2, '🔥': 1, '🦄': 9 } } });
    expect(live.reactions).toEqual({ '👏': 2, '🔥': 1 });
    vi.advanceTimersByTime(SHOW_MS / 2);
    live.apply({ type: 'reactions', data: { counts: { '👏': 1 } } });
    expect(live.reactions).toEqual({ '👏': 3, '🔥': 1 });
    vi.advanceTimersByTime(SHOW_MS / 2);
    expect(live.reactions).toEqual({ '👏': 1 });
    vi.advanceTimersByTime(SHOW_MS);
    expect(live.reactions).toEqual({});
  });

  it('stops its timers when destroyed', () => {
    vi.useFakeTimers();
    const live = new LiveRoom('me');
    live.apply({ type: 'reactions', data: { counts: { '👏': 1 } } });
    live.destroy();
    vi.advanceTimersByTime(SHOW_MS * 2);
    expect(live.reactions).toEqual({ '👏': 1 });
  });
});
