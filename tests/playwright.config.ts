import { defineConfig } from '@playwright/test';
import { e2eAdminUrl, e2eEnv, e2ePort } from './e2e/support/paths';

/**
 * Browser tests drive the app exactly as `npm start` serves it (web + API on one port, generated
 * development secrets in a throw-away data folder) in Debian's Chromium, on a fresh database of
 * the PostgreSQL server so that tests can use the admin CLI and check the database meanwhile.
 */
const baseURL = `http://localhost:${e2ePort}`;

export default defineConfig({
  testDir: 'e2e',
  globalTeardown: './e2e/support/teardown.ts',
  outputDir: '../test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'fr-FR',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node tests/e2e/support/server.mjs',
    cwd: '..',
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      ...e2eEnv(),
      E2E_ADMIN_DATABASE_URL: e2eAdminUrl,
      PORT: String(e2ePort),
      // Sign-up tests create several members from one machine.
      OTP_MAX_PER_IP_PREFIX_PER_HOUR: '1000',
      LOG_LEVEL: 'warn',
    },
  },
});
