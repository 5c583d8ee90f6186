import type { ClubPage, ClubRole } from './types';

/** Where the signed-in member stands with a club, which decides the buttons the page offers. */
export type Standing =
  | { kind: 'member'; role: ClubRole }
  | { kind: 'pending' }
  | { kind: 'invited' }
  | { kind: 'outsider'; canJoin: 'join' | 'request' | null };

export function standingOf(club: Pick<ClubPage, 'me' | 'joinPolicy'>): Standing {
  const { me } = club;
  if (me.status === 'active' && me.role) return { kind: 'member', role: me.role };
  if (me.status === 'pending') return { kind: 'pending' };
  if (me.status === 'invited') return { kind: 'invited' };
  const canJoin = club.joinPolicy === 'open' ? 'join' : club.joinPolicy === 'approval' ? 'request' : null;
  return { kind: 'outsider', canJoin };
}

/**
 * Whether the club lets this member into its rooms (and so lists them): active members, and
 * followers when the club opens its rooms to followers. Mirrors the API's rule, to explain an
 * empty list rather than to hide anything (the API sends nothing to others).
 */
export function seesRooms(club: Pick<ClubPage, 'me' | 'roomVisibility'>): boolean {
  return club.me.status === 'active' || (club.roomVisibility === 'followers' && club.me.following);
}

/** Admins and leaders open the club's rooms and invite people. */
export function hostsRooms(club: Pick<ClubPage, 'me'>): boolean {
  return club.me.status === 'active' && (club.me.role === 'admin' || club.me.role === 'leader');
}

export function isAdmin(club: Pick<ClubPage, 'me'>): boolean {
  return club.me.status === 'active' && club.me.role === 'admin';
}

/** Active admins in a member list; a club always keeps at least one. */
export function adminCount(members: ClubPage['members']): number {
  return (members ?? []).filter((member) => member.status === 'active' && member.role === 'admin').length;
}
