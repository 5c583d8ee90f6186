import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const e2ePort = Number(process.env.E2E_PORT ?? 3210);
/** Stable across Playwright's processes (config, runner, workers); emptied by support/server.mjs. */
export const e2eDataDir = join(tmpdir(), `salon-e2e-${e2ePort}`);
