import { dirname, join } from 'node:path';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { takeInvite } from './invites';

/** Shared by browser tests that need signed-up members: languages, screens, sign-up, screenshots. */

export const MOBILE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
export const FRENCH = { locale: 'fr-FR', extraHTTPHeaders: { 'Accept-Language': 'fr-FR,fr;q=0.9' } };
export const ENGLISH = { locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.9' } };
export type Language = typeof FRENCH;

/** Screenshots land in tests/screenshots/ (git-ignored), next to the Playwright config. */
export function screenshotPath(name: string): string {
  const { configFile } = test.info().config;
  const configDir = configFile ? dirname(configFile) : join(test.info().project.testDir, '..');
  return join(configDir, 'screenshots', name);
}

/** Full-page screenshots `<name>.png` (desktop) and `<name>-mobile.png` (390×844), back to desktop after. */
export async function shots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: screenshotPath(`${name}.png`), fullPage: true });
  await page.setViewportSize(MOBILE);
  await page.screenshot({ path: screenshotPath(`${name}-mobile.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

/**
 * A WebAuthn authenticator inside the browser (CDP), standing in for the phone's or laptop's:
 * resident keys and user verification, answering every prompt by itself.
 */
export async function addAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** A separate browser (its own cookies) with a passkey authenticator. */
export async function newBrowserFor(browser: Browser, language: Language) {
  const context = await browser.newContext({ ...language, viewport: DESKTOP });
  const page = await context.newPage();
  await addAuthenticator(context, page);
  return { context, page };
}

export interface Member {
  phone: string;
  name: string;
  username: string;
}

const LABELS = {
  'fr-FR': {
    accept: 'Accepter l’invitation',
    number: 'Numéro de mobile',
    name: 'Votre nom',
    username: 'Pseudo',
    age: 'J’ai 18 ans ou plus',
    continue: 'Continuer',
    create: 'Créer ma clé d’accès',
    welcome: /^Bienvenue sur Salon, /,
  },
  'en-GB': {
    accept: 'Accept the invitation',
    number: 'Mobile number',
    name: 'Your name',
    username: 'Username',
    age: 'I am 18 or over',
    continue: 'Continue',
    create: 'Create my passkey',
    welcome: /^Welcome to Salon, /,
  },
} as const;

/** The code the development SMS outbox "sent", as the code step shows it. */
export async function shownCode(page: Page): Promise<string> {
  const notice = page.getByText(/(Développement|Development)\s*:/).locator('..');
  await expect(notice).toBeVisible();
  const code = /\b(\d{6})\b/.exec((await notice.textContent()) ?? '')?.[1];
  if (!code) throw new Error('no development code on the page');
  return code;
}

/**
 * Waits until SvelteKit has hydrated the page: a click or a keystroke before that would reach
 * server-rendered markup without its handlers (and a typed value would be reset). SvelteKit's
 * router sets manual scroll restoration only once hydration is done.
 */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/** Opens a page of the app and waits until it can be used. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await ready(page);
}

/** Signs a member up through the wizard, the short way (signup.spec.ts checks each step closely). */
export async function signUp(
  page: Page,
  member: Member,
  language: Language,
  invite: string = takeInvite(),
): Promise<void> {
  const labels = LABELS[language.locale as keyof typeof LABELS];
  await open(page, `/join/${invite}`);
  await page.getByRole('button', { name: labels.accept }).click();
  await page.getByRole('textbox', { name: labels.number, exact: true }).fill(member.phone);
  await page.keyboard.press('Enter');
  const code = await shownCode(page);
  await page.locator('#otp-code').fill(code);
  await page.keyboard.press('Enter');
  await page.getByRole('textbox', { name: labels.name, exact: true }).fill(member.name);
  await page.getByRole('textbox', { name: labels.username, exact: true }).fill(member.username);
  await expect(page.locator('#username-status')).toContainText(`@${member.username}`);
  await page.getByRole('checkbox', { name: labels.age }).check();
  await page.getByRole('button', { name: labels.continue }).click();
  await page.getByRole('button', { name: labels.create }).click();
  await expect(page.getByRole('heading', { level: 1, name: labels.welcome })).toBeVisible();
}

/** A short random tag, so that members made by different spec files in one run never clash. */
export function runTag(): string {
  return Math.random().toString(36).slice(2, 6);
}

/** A French mobile number nobody else in this run uses (06 1x…, a range entirely allocated). */
export function freshPhone(): string {
  const digits = `1${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
  return `06 ${digits.replace(/(\d{2})(?=\d)/g, '$1 ')}`;
}

/** A member signed up in a browser of their own. */
export interface MemberBrowser {
  name: string;
  username: string;
  context: BrowserContext;
  page: Page;
}

/**
 * A new member, signed up through the wizard in a browser of their own. The invite is a
 * bootstrap one unless another member's code is given.
 */
export async function signUpMember(
  browser: Browser,
  language: Language,
  who: { name: string; username: string },
  invite: string = takeInvite(),
): Promise<MemberBrowser> {
  const { context, page } = await newBrowserFor(browser, language);
  await signUp(page, { ...who, phone: freshPhone() }, language, invite);
  return { ...who, context, page };
}

/** An invitation code made by a signed-in member (each has a few), to save bootstrap invites. */
export async function inviteFrom(member: MemberBrowser, baseURL: string): Promise<string> {
  const response = await member.page.request.post('/v1/me/invites', { headers: { origin: baseURL } });
  expect(response.status()).toBe(201);
  const { code } = (await response.json()) as { code: string };
  return code;
}
