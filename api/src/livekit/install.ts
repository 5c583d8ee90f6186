import { LIVEKIT_SERVER_VERSION, loadConfig } from '../env';
import { findLiveKitServer, installLiveKitServer, pinnedVersion } from './local-server';

/**
 * `npm run livekit:install`: builds the pinned livekit-server with `go install` into the cache
 * outside the clone (or reuses it), so that `npm start` has sound and the real-audio tests run.
 * Exits 1 with go's own error when the build is not possible here.
 */
const local = loadConfig({ ...process.env, NODE_ENV: 'development', LIVEKIT_URL: '', LIVEKIT_LOCAL: 'true' })
  .livekit.local;
if (!local) throw new Error('unreachable: local LiveKit configuration is always built here');

const found = findLiveKitServer(local.candidates);
if (found && pinnedVersion(found)) {
  console.log(`livekit-server ${found.version} is ready: ${found.bin}`);
} else {
  console.log(
    `Building livekit-server v${LIVEKIT_SERVER_VERSION} with go install (a few minutes the first time)…`,
  );
  const result = installLiveKitServer(local.cacheFile);
  if (!result.ok) {
    console.error(`\nlivekit-server v${LIVEKIT_SERVER_VERSION} could not be built:\n${result.error}\n`);
    process.exit(1);
  }
  const built = findLiveKitServer([local.cacheFile]);
  if (!built) {
    console.error(`\nThe built file ${local.cacheFile} does not run as livekit-server.\n`);
    process.exit(1);
  }
  console.log(`livekit-server ${built.version} is ready: ${built.bin}`);
}
