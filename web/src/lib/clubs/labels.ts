import { m } from '$lib/paraglide/messages';
import type { ClubRole, JoinPolicy, RoomVisibility } from './types';

export const roleLabel: Record<ClubRole, () => string> = {
  admin: m.club_role_admin,
  leader: m.club_role_leader,
  member: m.club_role_member,
};

export const policyLabel: Record<JoinPolicy, () => string> = {
  open: m.club_policy_open,
  approval: m.club_policy_approval,
  invite: m.club_policy_invite,
};

/** One line on what each join policy means, shown next to the choice. */
export const policyHint: Record<JoinPolicy, () => string> = {
  open: m.club_policy_open_hint,
  approval: m.club_policy_approval_hint,
  invite: m.club_policy_invite_hint,
};

export const visibilityLabel: Record<RoomVisibility, () => string> = {
  members: m.club_visibility_members,
  followers: m.club_visibility_followers,
};

export const visibilityHint: Record<RoomVisibility, () => string> = {
  members: m.club_visibility_members_hint,
  followers: m.club_visibility_followers_hint,
};
