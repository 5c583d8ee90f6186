import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eDataDir } from './paths';

/** A fresh bootstrap invite code, minted by support/server.mjs before the app started. */
export function takeInvite(): string {
  const codes = JSON.parse(readFileSync(join(e2eDataDir, 'e2e-invites.json'), 'utf8')) as string[];
  const usedFile = join(e2eDataDir, 'e2e-invites-used.txt');
  let used = 0;
  try {
    used = readFileSync(usedFile, 'utf8').length;
  } catch {
    // none taken yet
  }
  const code = codes[used];
  if (!code) throw new Error('out of e2e invites: mint more in tests/e2e/support/server.mjs');
  appendFileSync(usedFile, 'x');
  return code;
}
