// `npm run dev`: the API with reload on :3001 and Vite's dev server on :3000 (which proxies /v1 to it),
// so the browser still sees a single origin.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const webPort = process.env.PORT ?? '3000';
const apiPort = process.env.API_PORT ?? '3001';
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${webPort}`;
// Without LIVEKIT_URL the API runs the local LiveKit server (see api/src/livekit/local-audio.ts);
// the pages' connect-src must name it too.
const livekitUrl = process.env.LIVEKIT_URL ?? `ws://127.0.0.1:${process.env.LIVEKIT_LOCAL_PORT ?? '7880'}`;

const children = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'api/src/server.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: apiPort, SERVE_WEB: 'false', PUBLIC_URL: publicUrl },
  }),
  spawn('npx', ['vite', 'dev', '--port', webPort, '--strictPort'], {
    cwd: fileURLToPath(new URL('../web', import.meta.url)),
    stdio: 'inherit',
    env: { ...process.env, API_ORIGIN: `http://127.0.0.1:${apiPort}`, LIVEKIT_URL: livekitUrl },
  }),
];

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) {
  child.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
}
