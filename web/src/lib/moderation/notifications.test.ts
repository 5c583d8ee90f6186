import { describe, expect, it } from 'vitest';
import { describeNotification } from '$lib/notifications/describe';
import type { Notification } from '$lib/notifications/types';
import { describeModNotification } from './notifications';

function notification(type: string, data: Record<string, unknown>): Notification {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    type,
    createdAt: '2026-05-12T08:00:00.000Z',
    read: false,
    actor: null,
    room: null,
    club: null,
    data,
  } as unknown as Notification;
}

describe('moderation notifications', () => {
  it('lead a reporter to “My reports”, with the outcome once decided', () => {
    expect(describeModNotification('report.received', { reportId: 'r' })).toEqual({
      key: 'mod_notif_report_received',
      href: '/decisions#my-reports',
      action: null,
    });
    expect(describeModNotification('report.decided', { reportId: 'r', action: 'suspend' })).toEqual({
      key: 'mod_notif_report_decided',
      href: '/decisions#my-reports',
      action: 'suspend',
    });
  });

  it('lead the person decided about to their statements of reasons', () => {
    expect(describeModNotification('decision.made', { decisionId: 'd', action: 'warn' })?.href).toBe(
      '/decisions',
    );
    expect(describeModNotification('appeal.decided', { decisionId: 'd', outcome: 'reversed' })?.key).toBe(
      'mod_notif_appeal_reversed',
    );
    expect(describeModNotification('appeal.decided', { decisionId: 'd', outcome: 'upheld' })?.key).toBe(
      'mod_notif_appeal_upheld',
    );
  });

  it('ignore an action they do not know, and every other type', () => {
    expect(describeModNotification('decision.made', { action: 'teleport' })?.action).toBeNull();
    expect(describeModNotification('room.opened', {})).toBeNull();
  });

  it('are what the notification panel shows', () => {
    const view = describeNotification(notification('report.decided', { reportId: 'r', action: 'ban' }));
    expect(view.key).toBe('mod_notif_report_decided');
    expect(view.href).toBe('/decisions#my-reports');
    expect(view.outcome).toBe('ban');
  });
});
