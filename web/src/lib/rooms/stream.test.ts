import { describe, expect, it } from 'vitest';
import { openRoomStream, type StreamStatus, streamUrl } from './stream';
import type { StreamEvent } from './types';

/** Just enough of EventSource to drive the stream by hand. */
class FakeSource {
  readyState = 0;
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, (message: MessageEvent<string>) => void>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (message: MessageEvent<string>) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: string) {
    this.listeners.get(type)?.({ data } as MessageEvent<string>);
  }
}

function open() {
  let source: FakeSource | undefined;
  const events: StreamEvent[] = [];
  const statuses: StreamStatus[] = [];
  const close = openRoomStream(
    'room-1',
    { onevent: (event) => events.push(event), onstatus: (status) => statuses.push(status) },
    (url) => {
      source = new FakeSource(url);
      return source as unknown as EventSource;
    },
  );
  if (!source) throw new Error('no source');
  return { source, events, statuses, close };
}

describe('openRoomStream', () => {
  it('listens to the room’s events address', () => {
    expect(open().source.url).toBe(streamUrl('room-1'));
    expect(streamUrl('a/b')).toBe('/v1/rooms/a%2Fb/events');
  });

  it('passes on the events it understands and drops the rest', () => {
    const { source, events, statuses } = open();
    source.onopen?.();
    const counts = { followed: 0, audience: 3 };
    source.emit('roster', JSON.stringify({ upserts: [], removals: ['x'], counts }));
    source.emit('roster', 'garbage');
    expect(events).toEqual([{ type: 'roster', data: { upserts: [], removals: ['x'], counts } }]);
    expect(statuses).toEqual(['connecting', 'open']);
  });

  it('reports reconnection, and closes for good when the server refuses', () => {
    const { source, statuses } = open();
    source.readyState = 0;
    source.onerror?.();
    expect(statuses.at(-1)).toBe('reconnecting');
    source.readyState = 2;
    source.onerror?.();
    expect(statuses.at(-1)).toBe('closed');
  });

  it('closes after the room ends, and does not reconnect', () => {
    const { source, events, statuses } = open();
    source.emit('ended', '{}');
    expect(events).toEqual([{ type: 'ended' }]);
    expect(source.closed).toBe(true);
    expect(statuses.at(-1)).toBe('closed');
    source.emit(
      'roster',
      JSON.stringify({ upserts: [], removals: [], counts: { followed: 0, audience: 0 } }),
    );
    expect(events).toHaveLength(1);
  });
});
