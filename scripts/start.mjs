// `npm start`: build the web app if it has never been built, then serve web + API on one port.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = fileURLToPath(new URL('..', import.meta.url));
const webBuild = fileURLToPath(new URL('../web/build/handler.js', import.meta.url));

if (process.env.SERVE_WEB !== 'false' && !existsSync(webBuild)) {
  console.log('Building the web app (first start only)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

register();
await import('../api/src/server.ts');
