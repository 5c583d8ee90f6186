import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/support/chromium';
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
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
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
      // The app runs its own LiveKit server (npm start does) on ports apart from a developer's.
      LIVEKIT_LOCAL_PORT: String(e2ePort + 4000),
      // Sign-up tests create several members from one machine.
      OTP_MAX_PER_IP_PREFIX_PER_HOUR: '1000',
      LOG_LEVEL: 'warn',
    },
  },
});
