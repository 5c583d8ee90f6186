import { describe, expect, it } from 'vitest';
import { describeNotification } from './describe';
import type { Notification } from './types';

const eloise = { username: 'eloise', displayName: 'Éloïse Martin' };
const room = { id: '7c1d2a8e-0000-4000-8000-000000000001', topic: 'Ouvert à tous', status: 'live' };
const club = { slug: 'jazz-lyon', name: 'Jazz à Lyon' };

function notification(patch: Partial<Notification>): Notification {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    type: 'room.opened',
    createdAt: '2025-05-12T08:00:00.000Z',
    read: false,
    actor: null,
    room: null,
    club: null,
    data: {},
    ...patch,
  } as Notification;
}

describe('describeNotification', () => {
  it('a followed person opened a room: the room’s page', () => {
    expect(describeNotification(notification({ type: 'room.opened', actor: eloise, room }))).toEqual({
      key: 'notif_text_room_opened',
      actor: 'Éloïse Martin',
      topic: 'Ouvert à tous',
      club: null,
      when: null,
      href: `/rooms/${room.id}`,
      roomStatus: 'live',
    });
  });

  it.each([
    ['room.on_stage', 'notif_text_room_on_stage'],
    ['club.room_started', 'notif_text_club_room_started'],
    ['stage.invited', 'notif_text_stage_invited'],
    ['room.invited', 'notif_text_room_invited'],
  ] as const)('%s leads to the room', (type, key) => {
    const view = describeNotification(notification({ type, actor: eloise, room, club }));
    expect(view.key).toBe(key);
    expect(view.href).toBe(`/rooms/${room.id}`);
  });

  it('a scheduled club room says when, and keeps its topic if the room is gone', () => {
    const view = describeNotification(
      notification({
        type: 'club.room_scheduled',
        club,
        data: { topic: 'Jam du vendredi', scheduledFor: '2025-05-16T10:00:00.000Z' },
      }),
    );
    expect(view).toMatchObject({
      key: 'notif_text_club_room_scheduled',
      topic: 'Jam du vendredi',
      club: 'Jazz à Lyon',
      when: '2025-05-16T10:00:00.000Z',
      href: '/clubs/jazz-lyon',
      roomStatus: null,
    });
  });

  it('a new follower leads to their profile', () => {
    expect(describeNotification(notification({ type: 'follow.new', actor: eloise }))).toMatchObject({
      key: 'notif_text_follow_new',
      href: '/@eloise',
    });
  });

  it('a club invitation leads to the club, a request to join to its administration', () => {
    expect(describeNotification(notification({ type: 'club.invited', actor: eloise, club })).href).toBe(
      '/clubs/jazz-lyon',
    );
    expect(describeNotification(notification({ type: 'club.request', actor: eloise, club })).href).toBe(
      '/clubs/jazz-lyon/admin#requests',
    );
  });

  it('names nobody when the person, the room or the club is gone, and links nowhere', () => {
    const view = describeNotification(notification({ type: 'club.invited' }));
    expect(view).toMatchObject({ actor: null, club: null, href: null });
    expect(describeNotification(notification({ type: 'room.opened' })).href).toBeNull();
  });

  it('falls back on the person when only they are known', () => {
    expect(describeNotification(notification({ type: 'room.opened', actor: eloise })).href).toBe('/@eloise');
  });

  it('a type this page does not know yet still says something', () => {
    const view = describeNotification(notification({ type: 'room.renamed' as Notification['type'] }));
    expect(view.key).toBe('notif_text_unknown');
    expect(view.href).toBeNull();
  });
});
