import { dirname, join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';

/** Screenshots land in tests/screenshots/ (git-ignored), next to the Playwright config. */
function screenshotPath(name: string): string {
  const { configFile } = test.info().config;
  const configDir = configFile ? dirname(configFile) : join(test.info().project.testDir, '..');
  return join(configDir, 'screenshots', name);
}

const MOBILE = { width: 390, height: 844 };
const HEADING_FR = 'Parlez en direct. Gardez votre vie privée.';
const HEADING_EN = 'Talk live. Keep your privacy.';

test.use({ locale: 'fr-FR', extraHTTPHeaders: { 'Accept-Language': 'fr-FR,fr;q=0.9' } });

/** Tabs through the page until `target` has focus, as a keyboard user would. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  for (let step = 0; step < 15; step += 1) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error('the element cannot be reached with the Tab key');
}

test('the home page speaks French, switches to English by keyboard and remembers it', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADING_FR);
  await expect(page.getByRole('status')).toHaveText('Salon fonctionne normalement.');
  await expect(page).toHaveTitle(/^Salon — /);

  const english = page.getByRole('button', { name: 'English' });
  const french = page.getByRole('button', { name: 'Français' });
  await expect(french).toHaveAttribute('aria-current', 'true');
  await expect(french).toHaveAttribute('lang', 'fr');
  await expect(english).toHaveAttribute('lang', 'en');
  await expect(english).not.toHaveAttribute('aria-current');

  await page.screenshot({ path: screenshotPath('home-fr.png'), fullPage: true });

  // The first Tab reaches the skip link, and the switcher is reachable with a visible focus ring.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeFocused();
  await tabTo(page, english);
  expect(await english.evaluate((element) => element.matches(':focus-visible'))).toBe(true);
  await page.keyboard.press('Enter');

  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADING_EN);
  await expect(page.getByRole('status')).toHaveText('Salon is up and running.');
  await expect(english).toHaveAttribute('aria-current', 'true');
  // Focus stays on the language the visitor just chose.
  await expect(english).toBeFocused();

  const cookie = (await context.cookies()).find(({ name }) => name === 'salon_locale');
  expect(cookie).toMatchObject({ value: 'en', httpOnly: true, sameSite: 'Lax', path: '/' });
  // Scripts cannot read it: only the server decides the language.
  expect(await page.evaluate(() => document.cookie)).not.toContain('salon_locale');

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADING_EN);
  await page.screenshot({ path: screenshotPath('home-en.png'), fullPage: true });

  await page.setViewportSize(MOBILE);
  await page.screenshot({ path: screenshotPath('home-en-mobile.png'), fullPage: true });

  // And back to French with the mouse.
  await french.click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADING_FR);
  await page.screenshot({ path: screenshotPath('home-fr-mobile.png'), fullPage: true });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the language switcher still works through a plain form post', async ({ page, context }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page).toHaveURL('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADING_EN);
    const cookie = (await context.cookies()).find(({ name }) => name === 'salon_locale');
    expect(cookie).toMatchObject({ value: 'en', httpOnly: true, sameSite: 'Lax' });
  });
});

test('the skip link moves focus to the main content', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});

test('an unknown address shows a translated 404 with a way home', async ({ page }) => {
  const response = await page.goto('/cette-page-n-existe-pas');
  expect(response?.status()).toBe(404);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  const home = page.getByRole('link', { name: 'Retour à l’accueil' });
  await tabTo(page, home);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(HEADING_FR);
});

test('the page makes no request to another origin', async ({ page, baseURL }) => {
  const origins = new Set<string>();
  page.on('request', (request) => {
    origins.add(new URL(request.url()).origin);
  });
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  expect([...origins]).toEqual([new URL(baseURL ?? '').origin]);
});
