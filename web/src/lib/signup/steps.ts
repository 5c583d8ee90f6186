/**
 * The sign-up wizard's steps and the rules for moving between them, as plain functions so they
 * can be tested without a browser. The component keeps the data; this decides where it may go.
 */
export const SIGNUP_STEPS = ['invite', 'phone', 'code', 'profile', 'passkey', 'welcome'] as const;
export type SignupStep = (typeof SIGNUP_STEPS)[number];

/** The steps the indicator numbers; the welcome screen comes after them. */
export const NUMBERED_STEPS = [
  'invite',
  'phone',
  'code',
  'profile',
  'passkey',
] as const satisfies readonly SignupStep[];

/** What the wizard has collected so far, as far as navigation cares. */
export interface WizardProgress {
  /** The invite was checked and is usable. */
  invite: boolean;
  /** A code was sent for the number currently in the phone field. */
  codeSent: boolean;
  /** The number currently in the phone field was verified (we hold its sign-up ticket). */
  verified: boolean;
  /** The server accepted name, @username and age, and answered with passkey options. */
  profileAccepted: boolean;
  /** The passkey exists and the member is signed in. */
  registered: boolean;
}

export const NO_PROGRESS: WizardProgress = {
  invite: false,
  codeSent: false,
  verified: false,
  profileAccepted: false,
  registered: false,
};

/** 1-based position among the numbered steps, or null for the welcome screen. */
export function stepNumber(step: SignupStep): number | null {
  const index = (NUMBERED_STEPS as readonly SignupStep[]).indexOf(step);
  return index === -1 ? null : index + 1;
}

/** Whether the wizard may show `step` with what it holds (e.g. no code step before a code was sent). */
export function canShow(step: SignupStep, progress: WizardProgress): boolean {
  if (progress.registered) return step === 'welcome';
  switch (step) {
    case 'invite':
      return true;
    case 'phone':
      return progress.invite;
    case 'code':
      return progress.invite && progress.codeSent;
    case 'profile':
      return progress.invite && progress.verified;
    case 'passkey':
      return progress.invite && progress.verified && progress.profileAccepted;
    case 'welcome':
      return false;
  }
}

/**
 * Where "Back" leads, or null when there is no way back. Going back from the profile skips the
 * code step: the number is already confirmed, and the phone step keeps it, so a changed number
 * is checked again while an unchanged one goes straight forward.
 */
export function previousStep(step: SignupStep, progress: WizardProgress): SignupStep | null {
  if (progress.registered) return null;
  switch (step) {
    case 'invite':
    case 'welcome':
      return null;
    case 'phone':
      return 'invite';
    case 'code':
      return 'phone';
    case 'profile':
      return 'phone';
    case 'passkey':
      return 'profile';
  }
}

/** Where the phone step's "Continue" leads: no new code when this very number is already confirmed. */
export function afterPhone(progress: WizardProgress): SignupStep {
  return progress.verified ? 'profile' : 'code';
}
