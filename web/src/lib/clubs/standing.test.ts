import { describe, expect, it } from 'vitest';
import { adminCount, hostsRooms, isAdmin, seesRooms, standingOf } from './standing';
import type { ClubMember, ClubPage } from './types';

type Me = ClubPage['me'];
const me = (patch: Partial<Me> = {}): Me => ({ role: null, status: null, following: false, ...patch });
const club = (patch: Partial<Pick<ClubPage, 'me' | 'joinPolicy' | 'roomVisibility'>> = {}) => ({
  me: me(),
  joinPolicy: 'approval' as const,
  roomVisibility: 'members' as const,
  ...patch,
});

describe('standingOf', () => {
  it('tells members by their role', () => {
    expect(standingOf(club({ me: me({ role: 'leader', status: 'active' }) }))).toEqual({
      kind: 'member',
      role: 'leader',
    });
  });

  it('tells a pending request and an invitation apart', () => {
    expect(standingOf(club({ me: me({ status: 'pending' }) }))).toEqual({ kind: 'pending' });
    expect(standingOf(club({ me: me({ status: 'invited' }), joinPolicy: 'invite' }))).toEqual({
      kind: 'invited',
    });
  });

  it('offers to join, to ask, or nothing, by the club’s policy', () => {
    expect(standingOf(club({ joinPolicy: 'open' }))).toEqual({ kind: 'outsider', canJoin: 'join' });
    expect(standingOf(club({ joinPolicy: 'approval' }))).toEqual({ kind: 'outsider', canJoin: 'request' });
    expect(standingOf(club({ joinPolicy: 'invite' }))).toEqual({ kind: 'outsider', canJoin: null });
  });
});

describe('seesRooms', () => {
  it('lets members in, and followers only when the club says so', () => {
    expect(seesRooms(club({ me: me({ role: 'member', status: 'active' }) }))).toBe(true);
    expect(seesRooms(club({ me: me({ following: true }) }))).toBe(false);
    expect(seesRooms(club({ me: me({ following: true }), roomVisibility: 'followers' }))).toBe(true);
    expect(seesRooms(club({ me: me({ status: 'pending' }), roomVisibility: 'followers' }))).toBe(false);
  });
});

describe('roles', () => {
  it('knows who hosts rooms and who manages the club', () => {
    expect(hostsRooms(club({ me: me({ role: 'leader', status: 'active' }) }))).toBe(true);
    expect(hostsRooms(club({ me: me({ role: 'member', status: 'active' }) }))).toBe(false);
    expect(isAdmin(club({ me: me({ role: 'admin', status: 'active' }) }))).toBe(true);
    expect(isAdmin(club({ me: me({ role: 'leader', status: 'active' }) }))).toBe(false);
  });

  it('counts only active admins', () => {
    const member = (role: ClubMember['role'], status: ClubMember['status']): ClubMember => ({
      username: `${role}${status}`,
      displayName: 'X',
      role,
      status,
    });
    expect(
      adminCount([member('admin', 'active'), member('admin', 'pending'), member('leader', 'active')]),
    ).toBe(1);
    expect(adminCount(null)).toBe(0);
  });
});
