// Static checks of the deployment files. There is no Docker engine on the development machines,
// so these tests read docker-compose.yml, deploy/livekit.yaml, the Dockerfile and .env.example
// and check the promises they make: what runs, what is published, where data lives, and that no
// secret is written down anywhere.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  apiEnvNames,
  commandOf,
  credentialsInUrls,
  dependenciesOf,
  envExampleNames,
  environmentOf,
  isRecord,
  literalSecrets,
  loadCompose,
  mountsOf,
  networksOf,
  parseDockerfile,
  parseYaml,
  publishedPorts,
  readRepoFile,
  referencesIn,
  repoFileExists,
  repoRoot,
  SECRET_NAME,
  scalarsOf,
  secretLookingTokens,
  service,
} from './deploy-files';

/** Every variable the API's env.ts reads (DESIGN.md §4 and the server's contract). */
const API_ENV = [
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'DATABASE_URL',
  'DATA_DIR',
  'LIVEKIT_URL',
  'LIVEKIT_API_URL',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'SMS_PROVIDER',
  'SMS_OUTBOX',
  'NODE_ENV',
  'LOG_LEVEL',
  'TRUST_PROXY',
  'PHONE_HASH_KEY',
  'PHONE_HASH_KEY_VERSION',
  'RECORDING_KEK',
  'RECORDING_KEK_ID',
  'AUDIT_SIGNING_KEY',
  'SECRETS_FILE',
  'SERVE_WEB',
  'WEB_BUILD_DIR',
  'RUN_JOBS',
  'SMS_API_KEY',
] as const;

/** API variables docker-compose.yml deliberately does not pass (see the comments there). */
// The local LiveKit server is for development without LIVEKIT_URL; compose always sets LIVEKIT_URL.
const NOT_PASSED_BY_COMPOSE = [
  'SECRETS_FILE',
  'WEB_BUILD_DIR',
  'LIVEKIT_LOCAL',
  'LIVEKIT_LOCAL_PORT',
  'LIVEKIT_SERVER_BIN',
];

/** Secrets the app processes must receive (production refuses to start without them). */
const APP_SECRETS = [
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'PHONE_HASH_KEY',
  'RECORDING_KEK',
  'AUDIT_SIGNING_KEY',
] as const;

const APP_SERVICES = ['api', 'jobs', 'recorder'] as const;
const REQUIRED_SERVICES = ['postgres', 'redis', 'livekit', ...APP_SERVICES, 'web'] as const;

/** The only host ports the stack may publish. */
const PUBLISHED = {
  web: ['3000/tcp'],
  livekit: ['7880/tcp', '7881/tcp', '7882/udp', '3478/udp'],
} as const satisfies Record<string, readonly string[]>;

const composeText = readRepoFile('docker-compose.yml');
const compose = loadCompose(composeText);
/** The compose file's values without its comments, so prose never counts as configuration. */
const composeValues = scalarsOf(compose.raw).join('\n');
const livekitConfigPath = 'deploy/livekit.yaml';

function livekitConfig(): Record<string, unknown> {
  const parsed = parseYaml(readRepoFile(livekitConfigPath));
  if (!isRecord(parsed)) throw new Error(`${livekitConfigPath} is not a mapping`);
  return parsed;
}

function get(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

describe('docker-compose.yml', () => {
  it('defines the whole stack', () => {
    expect([...compose.services.keys()].sort()).toEqual(
      expect.arrayContaining([...REQUIRED_SERVICES].sort()),
    );
  });

  it('starts the whole stack, the recorder included, with a plain `up` (no profiles)', () => {
    for (const name of REQUIRED_SERVICES) {
      expect(service(compose, name).raw.profiles, name).toBeUndefined();
    }
  });

  it('gives every long-running service a restart policy and a health check', () => {
    for (const svc of compose.services.values()) {
      expect(['always', 'unless-stopped', 'on-failure'], `${svc.name} restart`).toContain(svc.raw.restart);
      if (svc.name === 'recorder' && publishedPorts(svc).length === 0) continue;
      const healthcheck = svc.raw.healthcheck;
      expect(isRecord(healthcheck) && healthcheck.disable !== true, `${svc.name} healthcheck`).toBe(true);
      expect(Array.isArray(get(healthcheck, 'test')), `${svc.name} healthcheck.test`).toBe(true);
    }
  });

  it('probes the app services on /healthz, the endpoint that checks the database', () => {
    for (const name of ['api', 'jobs', 'web']) {
      const test = get(service(compose, name).raw.healthcheck, 'test');
      expect(JSON.stringify(test), name).toMatch(/\/healthz/);
    }
    const pg = JSON.stringify(get(service(compose, 'postgres').raw.healthcheck, 'test'));
    expect(pg).toMatch(/pg_isready/);
  });

  it('keeps PostgreSQL data in a named volume', () => {
    const mount = mountsOf(service(compose, 'postgres')).find((m) => m.target === '/var/lib/postgresql/data');
    expect(mount, 'postgres data mount').toBeDefined();
    expect(compose.volumes.has(mount?.source ?? ''), `named volume ${mount?.source}`).toBe(true);
  });

  it('puts DATA_DIR (recordings, exports) on one named volume shared by api, jobs and recorder', () => {
    const sources = APP_SERVICES.map((name) => {
      const svc = service(compose, name);
      const dataDir = environmentOf(svc).DATA_DIR;
      expect(dataDir, `${name} DATA_DIR`).toMatch(/^\//);
      const mount = mountsOf(svc).find((m) => m.target === dataDir);
      expect(mount, `${name} mounts DATA_DIR`).toBeDefined();
      expect(compose.volumes.has(mount?.source ?? ''), `${name}: ${mount?.source} is a named volume`).toBe(
        true,
      );
      return mount?.source;
    });
    expect(new Set(sources).size).toBe(1);
  });

  it('publishes only web:3000 and LiveKit’s signalling and media ports', () => {
    for (const svc of compose.services.values()) {
      const expected: readonly string[] = PUBLISHED[svc.name as keyof typeof PUBLISHED] ?? [];
      expect(publishedPorts(svc).sort(), `${svc.name} ports`).toEqual([...expected].sort());
      expect(svc.raw.network_mode, `${svc.name} network_mode`).toBeUndefined();
    }
  });

  it('keeps PostgreSQL and Redis on an internal network only', () => {
    for (const name of ['postgres', 'redis']) {
      const networks = networksOf(service(compose, name));
      expect(networks.length, name).toBeGreaterThan(0);
      for (const network of networks) {
        expect(get(compose.networks, network, 'internal'), `${name} on ${network}`).toBe(true);
      }
    }
  });

  it('starts each service only once what it needs is healthy', () => {
    const expected: Record<string, string[]> = {
      livekit: ['redis'],
      api: ['postgres'],
      jobs: ['api'],
      recorder: ['api'],
      web: ['api'],
    };
    for (const [name, needs] of Object.entries(expected)) {
      const deps = dependenciesOf(service(compose, name));
      for (const need of needs) expect(deps[need], `${name} → ${need}`).toBe('service_healthy');
    }
  });

  it('runs the server (which migrates before listening) in api, and the job worker in jobs only', () => {
    const api = service(compose, 'api');
    expect(commandOf(api).join(' ')).toMatch(/api\/src\/server\.ts/);
    expect(commandOf(service(compose, 'jobs')).join(' ')).toMatch(/api\/src\/server\.ts/);
    expect(environmentOf(api).RUN_JOBS).toBe('false');
    expect(environmentOf(service(compose, 'jobs')).RUN_JOBS).toBe('true');
    expect(environmentOf(service(compose, 'recorder')).RUN_JOBS).toBe('false');
    for (const name of APP_SERVICES)
      expect(environmentOf(service(compose, name)).SERVE_WEB, name).toBe('false');
  });

  it('makes web the one public origin, proxying to the internal api', () => {
    const web = environmentOf(service(compose, 'web'));
    expect(web.API_ORIGIN).toBe(`http://api:${environmentOf(service(compose, 'api')).PORT}`);
    expect(referencesIn(web.ORIGIN ?? '').map((r) => r.name)).toEqual(['PUBLIC_URL']);
    expect(environmentOf(service(compose, 'api')).TRUST_PROXY).toBe('true');
  });

  it('hands every app process its secrets from the environment, required', () => {
    for (const name of APP_SERVICES) {
      const env = environmentOf(service(compose, name));
      for (const secret of APP_SECRETS) {
        const refs = referencesIn(env[secret] ?? '');
        expect(
          refs.map((r) => r.name),
          `${name} ${secret}`,
        ).toEqual([secret]);
        expect(refs[0]?.operator, `${name} ${secret} is required`).toMatch(/^:?\?$/);
      }
      expect(
        referencesIn(env.DATABASE_URL ?? '').map((r) => r.name),
        `${name} DATABASE_URL`,
      ).toEqual(['POSTGRES_PASSWORD']);
    }
    const pg = referencesIn(environmentOf(service(compose, 'postgres')).POSTGRES_PASSWORD ?? '');
    expect(pg.map((r) => [r.name, r.operator])).toEqual([['POSTGRES_PASSWORD', ':?']]);
  });

  it('writes down no literal secret', () => {
    expect(literalSecrets(compose.raw)).toEqual([]);
    expect(credentialsInUrls(composeValues)).toEqual([]);
    expect(secretLookingTokens(composeText)).toEqual([]);
  });

  it('pins LiveKit, PostgreSQL and Redis to versions', () => {
    expect(service(compose, 'livekit').raw.image).toMatch(/^livekit\/livekit-server:v\d+\.\d+\.\d+$/);
    expect(service(compose, 'postgres').raw.image).toMatch(/^postgres:(16|17)(\b|$)/);
    expect(service(compose, 'redis').raw.image).toMatch(/^redis:7(\.\d+)*-alpine$/);
  });

  it('validates with `docker compose config` where the compose plugin exists', (ctx) => {
    try {
      execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    } catch {
      ctx.skip();
    }
    const env = { ...process.env, POSTGRES_PASSWORD: 'x', PUBLIC_URL: 'http://localhost:3000' };
    for (const name of ['LIVEKIT_URL', ...APP_SECRETS]) Object.assign(env, { [name]: 'x' });
    execFileSync('docker', ['compose', '-f', 'docker-compose.yml', 'config', '--quiet'], {
      cwd: repoRoot,
      env,
      stdio: 'pipe',
    });
  });
});

describe('deploy/livekit.yaml', () => {
  it('is the file the livekit service mounts and starts with', () => {
    expect(repoFileExists(livekitConfigPath)).toBe(true);
    const livekit = service(compose, 'livekit');
    const mount = mountsOf(livekit).find((m) => m.source.replace(/^\.\//, '') === livekitConfigPath);
    expect(mount, 'config mount').toBeDefined();
    const command = commandOf(livekit);
    expect(command[command.indexOf('--config') + 1]).toBe(mount?.target);
    // LIVEKIT_CONFIG would silently replace the mounted file.
    expect(environmentOf(livekit).LIVEKIT_CONFIG).toBeUndefined();
  });

  it('holds no key material', () => {
    const text = readRepoFile(livekitConfigPath);
    const config = livekitConfig();
    expect(config.keys).toBeUndefined();
    expect(config.key_file).toBeUndefined();
    expect(literalSecrets(config)).toEqual([]);
    expect(secretLookingTokens(text)).toEqual([]);
    for (const [key, value] of Object.entries(config)) {
      if (SECRET_NAME.test(key)) expect(value, key).toBeUndefined();
    }
  });

  it('sends webhooks to the api service, signed with the key the API verifies with', () => {
    const urls = get(livekitConfig(), 'webhook', 'urls');
    expect(Array.isArray(urls)).toBe(true);
    const apiPort = environmentOf(service(compose, 'api')).PORT;
    expect(urls).toContain(`http://api:${apiPort}/v1/livekit/webhook`);

    const livekit = service(compose, 'livekit');
    const command = commandOf(livekit);
    const signingKey = command[command.indexOf('--webhook.api_key') + 1] ?? '';
    expect(command).toContain('--webhook.api_key');
    expect(referencesIn(signingKey).map((r) => r.name)).toEqual(['LIVEKIT_API_KEY']);
    const keys = referencesIn(environmentOf(livekit).LIVEKIT_KEYS ?? '').map((r) => r.name);
    expect(keys).toEqual(['LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET']);
  });

  it('uses the compose Redis and publishes exactly the ports it listens on', () => {
    const config = livekitConfig();
    expect(get(config, 'redis', 'address')).toBe('redis:6379');
    expect(compose.services.has('redis')).toBe(true);
    const listening = [
      `${String(config.port)}/tcp`,
      `${String(get(config, 'rtc', 'tcp_port'))}/tcp`,
      `${String(get(config, 'rtc', 'udp_port'))}/udp`,
      `${String(get(config, 'turn', 'udp_port'))}/udp`,
    ];
    expect(publishedPorts(service(compose, 'livekit')).sort()).toEqual(listening.sort());
    expect(environmentOf(service(compose, 'api')).LIVEKIT_API_URL).toBe(
      `http://livekit:${String(config.port)}`,
    );
  });

  it('gives browsers its own STUN server instead of a public one', () => {
    const config = livekitConfig();
    expect(get(config, 'turn', 'enabled')).toBe(true);
    expect(get(config, 'rtc', 'stun_servers')).toBeUndefined();
    expect(get(config, 'rtc', 'use_external_ip')).toBe(false);
  });
});

describe('Dockerfile', () => {
  const stages = parseDockerfile(readRepoFile('Dockerfile'));
  const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
  const byName = (name: string) => stages.find((s) => s.name === name);
  const args = (stage: { instructions: { keyword: string; args: string }[] }, keyword: string) =>
    stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('is multi-stage on a Node 22 or 24 base', () => {
    expect(stages.length).toBeGreaterThan(1);
    for (const stage of stages) {
      if (stageNames.has(stage.from)) continue;
      expect(stage.from, `stage ${stage.name}`).toMatch(/^node:(22|24)([.-][\w.-]*)?$/);
    }
  });

  it('builds the compose targets, each running as a non-root user', () => {
    const targets = [...compose.services.values()]
      .map((svc) => get(svc.raw.build, 'target'))
      .filter((t): t is string => typeof t === 'string');
    expect(new Set(targets)).toEqual(new Set(['app', 'web']));
    // The last stage is what a plain `docker build .` produces.
    for (const name of [...new Set([...targets, stages.at(-1)?.name ?? ''])]) {
      const stage = byName(name);
      expect(stage, `stage ${name}`).toBeDefined();
      if (!stage) continue;
      const user = args(stage, 'USER').at(-1);
      expect(user, `${name} USER`).toBeDefined();
      expect(user, `${name} USER`).not.toMatch(/^(root|0)(:|$)/);
      expect(args(stage, 'ENV').join(' '), `${name} ENV`).toMatch(/NODE_ENV=production/);
      expect(args(stage, 'EXPOSE'), `${name} EXPOSE`).toContain('3000');
      expect(args(stage, 'HEALTHCHECK').join(' '), `${name} HEALTHCHECK`).toMatch(/fetch\(.*\/healthz/);
      expect(args(stage, 'CMD').length, `${name} CMD`).toBe(1);
    }
  });

  it('installs dependencies from the lockfile and ships production dependencies only', () => {
    const app = byName('app');
    expect(app).toBeDefined();
    if (!app) return;
    const installs = stages.flatMap((s) => args(s, 'RUN').map((run) => ({ stage: s, run })));
    expect(installs.some(({ run }) => /\bnpm ci\b/.test(run) && !/--omit=dev/.test(run))).toBe(true);
    expect(installs.some(({ run }) => /\bnpm run build -w web\b/.test(run))).toBe(true);
    expect(installs.some(({ run }) => /\bnpm install\b/.test(run))).toBe(false);

    const copiedFrom = args(app, 'COPY')
      .map((copy) => /--from=(\S+)/.exec(copy)?.[1])
      .filter((from): from is string => Boolean(from));
    const nodeModulesFrom = args(app, 'COPY')
      .filter((copy) => /--from=/.test(copy) && !/web\/build/.test(copy))
      .map((copy) => /--from=(\S+)/.exec(copy)?.[1] ?? '');
    expect(copiedFrom).toContain('build');
    for (const from of nodeModulesFrom) {
      const source = byName(from);
      const runs = source ? args(source, 'RUN').join(' ') : '';
      expect(runs, `app copies dependencies from ${from}`).toMatch(/npm ci\b.*--omit=dev/);
    }
  });

  it('gives every npm ci the manifest of every workspace', () => {
    // `npm ci` installs the lockfile's workspaces only where their package.json is present.
    const workspaces = (JSON.parse(readRepoFile('package.json')) as { workspaces: string[] }).workspaces;
    const lineage = (stage: (typeof stages)[number]): (typeof stages)[number][] => {
      const parent = byName(stage.from);
      return parent ? [...lineage(parent), stage] : [stage];
    };
    const installing = stages.filter((s) => args(s, 'RUN').some((run) => /\bnpm ci\b/.test(run)));
    expect(installing.length).toBeGreaterThan(0);
    for (const stage of installing) {
      const copied = lineage(stage).flatMap((s) => args(s, 'COPY'));
      expect(copied.join('\n'), `stage ${stage.name}`).toMatch(/\bpackage-lock\.json\b/);
      for (const workspace of workspaces) {
        expect(
          copied.some((copy) => copy.split(/\s+/).includes(`${workspace}/package.json`)),
          `stage ${stage.name} copies ${workspace}/package.json`,
        ).toBe(true);
      }
    }
  });

  it('keeps build context free of dependencies, data and secrets', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const pattern of ['node_modules', 'data', '.git', '.env', 'web/build']) {
      expect(
        ignored.some((line) => line.replace(/^\/|^\*\*\//g, '') === pattern),
        `.dockerignore ${pattern}`,
      ).toBe(true);
    }
    expect(ignored).toContain('!.env.example');
  });
});

describe('.env.example', () => {
  const text = readRepoFile('.env.example');
  const names = envExampleNames(text);
  const apiEnvFile = 'api/src/env.ts';
  const readByApi = repoFileExists(apiEnvFile) ? apiEnvNames(readRepoFile(apiEnvFile)) : [];

  it('documents every variable the API reads', () => {
    const missing = API_ENV.filter((name) => !names.has(name));
    expect(missing).toEqual([]);
  });

  it.skipIf(readByApi.length === 0)('documents every variable api/src/env.ts reads today', () => {
    // The extraction works only if it finds the contract's names; then nothing may be missing.
    expect(readByApi).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'PHONE_HASH_KEY']));
    expect(readByApi.filter((name) => !names.has(name))).toEqual([]);
  });

  it.skipIf(readByApi.length === 0)(
    'is passed to the app services by docker-compose.yml, every one of them',
    () => {
      for (const name of APP_SERVICES) {
        const env = environmentOf(service(compose, name));
        const notPassed = readByApi.filter((v) => !(v in env) && !NOT_PASSED_BY_COMPOSE.includes(v));
        expect(notPassed, name).toEqual([]);
      }
    },
  );

  it('documents every variable docker-compose.yml reads from .env', () => {
    const referenced = new Set(referencesIn(composeValues).map((r) => r.name));
    const missing = [...referenced].filter((name) => !names.has(name));
    expect(missing).toEqual([]);
  });

  it('leaves every secret empty and says how to generate it', () => {
    const required = new Set(
      referencesIn(composeValues)
        .filter((r) => r.operator === ':?' || r.operator === '?')
        .map((r) => r.name)
        .filter((name) => SECRET_NAME.test(name) && !/_(VERSION|ID)$/.test(name)),
    );
    expect(required.size).toBeGreaterThan(0);
    for (const [name, entry] of names) {
      if (entry.commented || !SECRET_NAME.test(name) || /_(VERSION|ID)$/.test(name)) continue;
      expect(entry.value, `${name} must be empty`).toBe('');
    }
    const lines = text.split('\n');
    for (const name of required) {
      expect(names.get(name), name).toEqual({ value: '', commented: false });
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      const comment = lines.slice(Math.max(0, at - 4), at).join('\n');
      expect(comment, `${name} generation command`).toMatch(/openssl rand/);
    }
    expect(secretLookingTokens(text)).toEqual([]);
  });
});
