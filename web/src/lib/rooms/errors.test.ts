import { describe, expect, it } from 'vitest';
import {
  clashes,
  messageKeys as keys,
  languageMismatches,
  readMessages as read,
} from '$lib/i18n/message-files';
import { failure } from '$lib/testing/api-failure';
import { explainRoomFailure, ROOM_ERROR_KEYS, summarizeRoomFailure } from './errors';

const en = read('rooms/en.json');
const fr = read('rooms/fr.json');

describe('the room messages', () => {
  it('have the same keys and inputs in English and French', () => {
    expect(languageMismatches(en, fr)).toEqual([]);
  });

  it('are all prefixed, so they never collide with another area’s messages', () => {
    for (const key of keys(en)) expect(key).toMatch(/^(room|hallway)_/);
    expect(clashes('rooms', en)).toEqual([]);
  });

  it('never contain “@{”, which the compiled JSDoc mistakes for a tag', () => {
    expect(JSON.stringify(en)).not.toContain('@{');
    expect(JSON.stringify(fr)).not.toContain('@{');
  });

  it('use French spacing before French punctuation', () => {
    for (const key of keys(fr)) expect(JSON.stringify(fr[key]), key).not.toMatch(/ [:;?!»]|« /);
  });

  it.each(ROOM_ERROR_KEYS)('%s exists in both languages and is translated', (key) => {
    expect(en[key], `en: ${key}`).toBeDefined();
    expect(fr[key], `fr: ${key}`).toBeDefined();
    expect(fr[key]).not.toEqual(en[key]);
  });
});

describe('explainRoomFailure', () => {
  it.each([
    ['room.not_allowed', 'room_error_not_allowed'],
    ['room.removed', 'room_error_removed'],
    ['room.ended', 'room_error_ended'],
    ['room.not_live', 'room_error_not_live'],
    ['room.not_moderator', 'room_error_not_moderator'],
    ['room.host_protected', 'room_error_host_protected'],
    ['stage.not_invited', 'room_error_stage_not_invited'],
    ['stage.already_on_stage', 'room_error_stage_already_on_stage'],
    ['stage.self', 'room_error_stage_other'],
  ])('explains %s', (code, key) => {
    expect(explainRoomFailure(failure(code))).toEqual({ fields: {}, summary: { key } });
  });

  it('says how full a full room is', () => {
    expect(
      summarizeRoomFailure(failure('room.full', { status: 409, details: [{ capacity: 5000 }] })),
    ).toEqual({
      key: 'room_error_full',
      params: { capacity: 5000 },
    });
  });

  it('says how long to wait before reacting again', () => {
    expect(
      summarizeRoomFailure(failure('reaction.rate_limited', { status: 429, retryAfterSeconds: 7 })),
    ).toEqual({
      key: 'room_error_reaction_rate_limited',
      params: { seconds: 7 },
    });
    expect(summarizeRoomFailure(failure('reaction.rate_limited', { status: 429 }))).toEqual({
      key: 'room_error_reaction_rate_limited_later',
    });
  });

  it('puts validation problems next to their fields', () => {
    const explained = explainRoomFailure(
      failure('request.invalid', {
        details: [
          { in: 'json', path: 'topic', message: 'topic.too_long' },
          { in: 'json', path: 'scheduledFor', message: 'Invalid ISO datetime' },
          { in: 'json', path: 'invitees.2', message: 'Too small' },
        ],
      }),
    );
    expect(explained).toEqual({
      fields: {
        topic: { key: 'room_error_topic_too_long' },
        schedule: { key: 'room_error_schedule_invalid' },
        invitees: { key: 'room_error_invitees_format' },
      },
      summary: null,
    });
  });

  it('says when a change changed nothing (the API’s rule for every PATCH)', () => {
    const explained = explainRoomFailure(
      failure('request.invalid', {
        details: [{ in: 'json', path: '', message: 'request.nothing_to_change' }],
      }),
    );
    expect(explained.summary).toEqual({ key: 'room_error_nothing_to_change' });
  });

  it('places the scheduling error of the API on the schedule field', () => {
    expect(explainRoomFailure(failure('room.schedule_in_past'))).toEqual({
      fields: { schedule: { key: 'room_error_schedule_in_past' } },
      summary: null,
    });
  });

  it('leaves everything else to the shared explanation, never showing the API’s words', () => {
    expect(summarizeRoomFailure(failure('network.unreachable', { status: 0 }))).toEqual({
      shared: { key: 'error_network' },
    });
    expect(summarizeRoomFailure(failure('something.new', { status: 500 }))).toEqual({
      shared: { key: 'error_internal', params: { id: 'req-1' } },
    });
  });
});
