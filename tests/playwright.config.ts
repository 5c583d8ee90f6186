import { defineConfig } from '@playwright/test';
import { e2eDataDir, e2ePort } from './e2e/support/paths';

/**
 * Browser tests drive the app exactly as `npm start` serves it (web + API on one port, PGlite,
 * generated development secrets in a throw-away data folder) in Debian's Chromium.
 */
const baseURL = `http://localhost:${e2ePort}`;

export default defineConfig({
  testDir: 'e2e',
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
      PORT: String(e2ePort),
      PUBLIC_URL: baseURL,
      DATA_DIR: e2eDataDir,
      // Sign-up tests create several members from one machine.
      OTP_MAX_PER_IP_PREFIX_PER_HOUR: '1000',
      LOG_LEVEL: 'warn',
    },
  },
});
