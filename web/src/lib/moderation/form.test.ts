import { describe, expect, it } from 'vitest';
import {
  checkAppeal,
  checkAppealDecision,
  checkDecision,
  checkPlaybackReason,
  checkReport,
  decisionBody,
  emptyDecision,
  emptyReport,
  momentOf,
  reportBody,
  subjectChoices,
  usernameOf,
} from './form';

describe('checkReport', () => {
  it('asks for a category and a description of at least 10 characters', () => {
    expect(checkReport(emptyReport(true))).toEqual({
      category: { key: 'mod_error_category_required' },
      description: { key: 'mod_error_too_short', params: { min: 10 } },
    });
  });

  it('asks which law only for illegal content, and bounds it', () => {
    const draft = {
      ...emptyReport(false),
      category: 'illegal' as const,
      description: 'Il insulte les gens.',
    };
    expect(checkReport(draft)).toEqual({ law: { key: 'mod_error_law_required' } });
    expect(checkReport({ ...draft, law: 'x'.repeat(201) })).toEqual({
      law: { key: 'mod_error_too_long', params: { max: 200 } },
    });
    expect(checkReport({ ...draft, category: 'hate' })).toEqual({});
  });

  it('counts characters as the API does (trimmed, normalised)', () => {
    const draft = {
      ...emptyReport(false),
      category: 'spam' as never,
      description: `   ${'e\u0301'.repeat(9)}   `,
    };
    expect(checkReport(draft).description).toEqual({ key: 'mod_error_too_short', params: { min: 10 } });
  });
});

describe('reportBody', () => {
  it('sends the law only for illegal content, trimmed, with the targets and the moment given', () => {
    const draft = {
      category: 'illegal' as const,
      law: ' Code pénal 222-33 ',
      description: ' Menaces répétées. ',
      moment: '5' as const,
    };
    expect(reportBody(draft, { roomId: 'r', userId: 'u' }, '2026-01-01T10:00:00.000Z')).toEqual({
      roomId: 'r',
      userId: 'u',
      category: 'illegal',
      law: 'Code pénal 222-33',
      description: 'Menaces répétées.',
      at: '2026-01-01T10:00:00.000Z',
    });
    expect(reportBody({ ...draft, category: 'hate' }, { userId: 'u' }, undefined)).toEqual({
      userId: 'u',
      category: 'hate',
      description: 'Menaces répétées.',
    });
  });
});

describe('momentOf', () => {
  const opened = Date.parse('2026-03-01T20:30:00.000Z');
  const room = { startedAt: '2026-03-01T20:00:00.000Z', endedAt: null };

  it('counts back from when the dialog opened, a second early for clock drift', () => {
    expect(momentOf('0', opened, room)).toBe('2026-03-01T20:29:59.000Z');
    expect(momentOf('15', opened, room)).toBe('2026-03-01T20:14:59.000Z');
  });

  it('never goes before the room started nor after it ended', () => {
    expect(momentOf('60', opened, room)).toBe('2026-03-01T20:00:00.000Z');
    expect(momentOf('0', opened, { ...room, endedAt: '2026-03-01T20:10:00.000Z' })).toBe(
      '2026-03-01T20:10:00.000Z',
    );
  });

  it('gives no moment when the person is not sure or the room never started', () => {
    expect(momentOf('', opened, room)).toBeUndefined();
    expect(momentOf('5', opened, { startedAt: null, endedAt: null })).toBeUndefined();
    expect(momentOf('5', opened, null)).toBeUndefined();
  });
});

describe('checkDecision', () => {
  const filled = {
    ...emptyDecision(),
    action: 'warn' as const,
    facts: 'Insultes répétées envers un orateur.',
    ground: 'terms' as const,
    groundDetail: 'CGU §4.2',
    scope: 'Le compte',
  };

  it('asks for every part of the statement of reasons', () => {
    expect(checkDecision(emptyDecision())).toEqual({
      action: { key: 'mod_error_action_required' },
      facts: { key: 'mod_error_too_short', params: { min: 10 } },
      ground: { key: 'mod_error_ground_required' },
      groundDetail: { key: 'mod_error_too_short', params: { min: 3 } },
      scope: { key: 'mod_error_too_short', params: { min: 3 } },
    });
    expect(checkDecision(filled)).toEqual({});
  });

  it('asks a suspension for 1 to 365 whole days', () => {
    for (const bad of ['0', '366', '2.5', '', 'sept']) {
      expect(checkDecision({ ...filled, action: 'suspend', durationDays: bad }).durationDays).toEqual({
        key: 'mod_error_duration_range',
      });
    }
    expect(checkDecision({ ...filled, action: 'suspend', durationDays: ' 30 ' })).toEqual({});
  });

  it('sends the duration only with a suspension, and the subject when given', () => {
    expect(decisionBody({ ...filled, action: 'suspend', durationDays: '7' }, 'u1')).toEqual({
      action: 'suspend',
      facts: filled.facts,
      ground: 'terms',
      groundDetail: 'CGU §4.2',
      scope: 'Le compte',
      durationDays: 7,
      subjectId: 'u1',
    });
    expect(decisionBody(filled)).not.toHaveProperty('durationDays');
    expect(decisionBody(filled)).not.toHaveProperty('subjectId');
  });
});

describe('the other forms', () => {
  it('bound appeals, playback reasons and appeal decisions', () => {
    expect(checkAppeal('Non.')).toEqual({ text: { key: 'mod_error_too_short', params: { min: 10 } } });
    expect(checkAppeal('Je n’ai jamais dit cela.')).toEqual({});
    expect(checkPlaybackReason('vu')).toEqual({ reason: { key: 'mod_error_too_short', params: { min: 5 } } });
    expect(checkPlaybackReason('x'.repeat(501)).reason?.key).toBe('mod_error_too_long');
    expect(checkAppealDecision('', 'Les faits sont établis.')).toEqual({
      outcome: { key: 'mod_error_outcome_required' },
    });
    expect(checkAppealDecision('reversed', 'Les faits sont établis.')).toEqual({});
  });

  it('reads a @username the way people type it', () => {
    expect(usernameOf(' @Marc_L ')).toBe('marc_l');
    expect(usernameOf('ab')).toBeNull();
    expect(usernameOf('marc l')).toBeNull();
  });
});

describe('subjectChoices', () => {
  it('puts the reported person first and lists each person with an id once', () => {
    const reported = { id: 'a', username: 'anne', displayName: 'Anne' };
    const choices = subjectChoices(reported, [
      { id: 'b', username: 'bea', displayName: 'Béa' },
      { id: 'a', username: 'anne', displayName: 'Anne' },
      { username: 'noid', displayName: 'Sans id' },
      null,
      { id: 'b', username: 'bea', displayName: 'Béa' },
    ]);
    expect(choices.map((choice) => choice.id)).toEqual(['a', 'b']);
    expect(subjectChoices(null, [])).toEqual([]);
  });
});
