import { describe, expect, it } from 'vitest';
import {
  afterPhone,
  canShow,
  NO_PROGRESS,
  NUMBERED_STEPS,
  previousStep,
  SIGNUP_STEPS,
  stepNumber,
  type WizardProgress,
} from './steps';

const progress = (patch: Partial<WizardProgress>): WizardProgress => ({ ...NO_PROGRESS, ...patch });

describe('stepNumber', () => {
  it('numbers the five steps and not the welcome screen', () => {
    expect(NUMBERED_STEPS.map(stepNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(stepNumber('welcome')).toBeNull();
  });
});

describe('canShow', () => {
  it('opens each step only once the previous ones are done', () => {
    expect(SIGNUP_STEPS.filter((step) => canShow(step, NO_PROGRESS))).toEqual(['invite']);
    expect(SIGNUP_STEPS.filter((step) => canShow(step, progress({ invite: true })))).toEqual([
      'invite',
      'phone',
    ]);
    expect(SIGNUP_STEPS.filter((step) => canShow(step, progress({ invite: true, codeSent: true })))).toEqual([
      'invite',
      'phone',
      'code',
    ]);
    expect(
      SIGNUP_STEPS.filter((step) =>
        canShow(step, progress({ invite: true, codeSent: true, verified: true, profileAccepted: true })),
      ),
    ).toEqual(['invite', 'phone', 'code', 'profile', 'passkey']);
  });

  it('never skips the invite, even with a verified number', () => {
    expect(canShow('profile', progress({ verified: true }))).toBe(false);
  });

  it('shows only the welcome screen once the passkey exists', () => {
    const done = progress({ invite: true, verified: true, profileAccepted: true, registered: true });
    expect(SIGNUP_STEPS.filter((step) => canShow(step, done))).toEqual(['welcome']);
  });
});

describe('previousStep', () => {
  const midway = progress({ invite: true, codeSent: true, verified: true });

  it('goes back one step at a time', () => {
    expect(previousStep('phone', midway)).toBe('invite');
    expect(previousStep('code', midway)).toBe('phone');
    expect(previousStep('passkey', midway)).toBe('profile');
  });

  it('goes from the profile back to the phone number, past the code already entered', () => {
    expect(previousStep('profile', midway)).toBe('phone');
  });

  it('has no way back from the first step or after the account exists', () => {
    expect(previousStep('invite', midway)).toBeNull();
    expect(previousStep('welcome', midway)).toBeNull();
    expect(previousStep('passkey', { ...midway, registered: true })).toBeNull();
  });
});

describe('afterPhone', () => {
  it('asks for a code for a new number', () => {
    expect(afterPhone(progress({ invite: true }))).toBe('code');
  });

  it('goes straight on when this number was already confirmed', () => {
    expect(afterPhone(progress({ invite: true, codeSent: true, verified: true }))).toBe('profile');
  });
});
