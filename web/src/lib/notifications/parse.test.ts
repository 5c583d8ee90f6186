import { describe, expect, it } from 'vitest';
import { mergeNewestFirst, parseNotification, parseUnread } from './parse';
import type { Notification } from './types';

describe('parseUnread', () => {
  it.each([
    ['{"count":3}', 3],
    ['{"count":0}', 0],
    ['{"count":-1}', null],
    ['{"n":3}', null],
    ['not json', null],
  ])('%s → %s', (data, count) => {
    expect(parseUnread(data)).toBe(count);
  });
});

describe('parseNotification', () => {
  it('reads the stream’s item', () => {
    const item = parseNotification(
      JSON.stringify({
        id: 'a',
        type: 'room.opened',
        createdAt: '2025-05-12T08:00:00.000Z',
        read: false,
        actor: { username: 'eloise', displayName: 'Éloïse' },
        room: { id: 'r', topic: 'T', status: 'live' },
        club: null,
        data: { topic: 'T' },
      }),
    );
    expect(item).toMatchObject({ id: 'a', type: 'room.opened', read: false, club: null });
  });

  it('refuses what is not one', () => {
    expect(parseNotification('{"id":1}')).toBeNull();
    expect(parseNotification('{"id":"a","type":"x","createdAt":"t","actor":"eloise"}')).toBeNull();
    expect(parseNotification('[]')).toBeNull();
  });

  it('fills in what is missing', () => {
    expect(parseNotification('{"id":"a","type":"follow.new","createdAt":"t"}')).toMatchObject({
      read: false,
      actor: null,
      room: null,
      club: null,
      data: {},
    });
  });
});

describe('mergeNewestFirst', () => {
  const n = (id: string, createdAt: string) => ({ id, createdAt }) as Notification;

  it('keeps each notification once, newest first', () => {
    const live = [n('c', '2025-05-12T10:00:00Z'), n('b', '2025-05-12T09:00:00Z')];
    const page = [n('b', '2025-05-12T09:00:00Z'), n('a', '2025-05-12T08:00:00Z')];
    expect(mergeNewestFirst(live, page).map((item) => item.id)).toEqual(['c', 'b', 'a']);
  });
});
