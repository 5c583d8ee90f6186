// Readers for the deployment files (docker-compose.yml, deploy/livekit.yaml, Dockerfile,
// .env.example), shaped for the assertions in compose.test.ts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function readRepoFile(relativePath: string): string {
  return readFileSync(join(repoRoot, relativePath), 'utf8');
}

export function repoFileExists(relativePath: string): boolean {
  return existsSync(join(repoRoot, relativePath));
}

export type Yaml = unknown;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** YAML with `<<` merge keys resolved, as docker compose reads it. */
export function parseYaml(text: string): Yaml {
  return parse(text, { merge: true });
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

export interface ComposeService {
  name: string;
  raw: Record<string, unknown>;
}

export interface ComposeFile {
  raw: Record<string, unknown>;
  services: Map<string, ComposeService>;
  volumes: Set<string>;
  networks: Record<string, unknown>;
}

export function loadCompose(text: string): ComposeFile {
  const raw = parseYaml(text);
  if (!isRecord(raw) || !isRecord(raw.services)) throw new Error('docker-compose.yml has no services');
  const services = new Map<string, ComposeService>();
  for (const [name, service] of Object.entries(raw.services)) {
    if (!isRecord(service)) throw new Error(`service ${name} is not a mapping`);
    services.set(name, { name, raw: service });
  }
  const volumes = new Set(isRecord(raw.volumes) ? Object.keys(raw.volumes) : []);
  const networks = isRecord(raw.networks) ? raw.networks : {};
  return { raw, services, volumes, networks };
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services.get(name);
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The environment of a service, from either the mapping or the `KEY=value` list form. */
export function environmentOf(svc: ComposeService): Record<string, string> {
  const env = svc.raw.environment;
  const out: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const entry of env) {
      const text = String(entry);
      const eq = text.indexOf('=');
      if (eq === -1) out[text] = '';
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  } else if (isRecord(env)) {
    for (const [key, value] of Object.entries(env)) out[key] = value == null ? '' : String(value);
  }
  return out;
}

/** Container ports a service publishes on the host, as `port/protocol` (e.g. `7882/udp`). */
export function publishedPorts(svc: ComposeService): string[] {
  const ports = svc.raw.ports;
  if (!Array.isArray(ports)) return [];
  return ports.map((entry) => {
    if (isRecord(entry)) return `${String(entry.target)}/${String(entry.protocol ?? 'tcp')}`;
    const [spec = '', protocol = 'tcp'] = String(entry).split('/');
    const container = spec.split(':').at(-1) ?? spec;
    return `${container}/${protocol}`;
  });
}

export interface Mount {
  source: string;
  target: string;
}

export function mountsOf(svc: ComposeService): Mount[] {
  const volumes = svc.raw.volumes;
  if (!Array.isArray(volumes)) return [];
  return volumes.map((entry) => {
    if (isRecord(entry)) return { source: String(entry.source ?? ''), target: String(entry.target ?? '') };
    const [source = '', target = ''] = String(entry).split(':');
    return { source, target };
  });
}

/** depends_on as `{ dependency: condition }`; the list form means `service_started`. */
export function dependenciesOf(svc: ComposeService): Record<string, string> {
  const deps = svc.raw.depends_on;
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [String(d), 'service_started']));
  if (!isRecord(deps)) return {};
  return Object.fromEntries(
    Object.entries(deps).map(([name, value]) => [
      name,
      isRecord(value) ? String(value.condition ?? 'service_started') : 'service_started',
    ]),
  );
}

export function networksOf(svc: ComposeService): string[] {
  const networks = svc.raw.networks;
  if (Array.isArray(networks)) return networks.map(String);
  if (isRecord(networks)) return Object.keys(networks);
  return ['default'];
}

export function commandOf(svc: ComposeService): string[] {
  const command = svc.raw.command;
  if (Array.isArray(command)) return command.map(String);
  if (typeof command === 'string') return command.split(/\s+/);
  return [];
}

// ---------------------------------------------------------------------------------------------
// Secrets

/** Names that hold, or may hold, secret material. */
export const SECRET_NAME = /password|secret|key|token|kek|credential/i;
/** Secret-looking names whose value is an identifier, not a secret: these may have defaults. */
export const NON_SECRET_NAME = /_(VERSION|ID)$/;

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

export interface Reference {
  name: string;
  operator: string | undefined;
  argument: string | undefined;
}

export function referencesIn(value: string): Reference[] {
  return [...value.matchAll(REFERENCE)].map((m) => ({
    name: m[1] ?? '',
    operator: m[2],
    argument: m[3],
  }));
}

/**
 * Why `value` (under the name `name`) would put a literal secret in the file, or undefined when
 * it does not: the value must be made of `${VAR}` references (optionally `:?message`), with
 * nothing but separators between them, and no reference may fall back to a literal default.
 */
export function literalSecretProblem(name: string, value: string): string | undefined {
  if (NON_SECRET_NAME.test(name)) return undefined;
  if (value === '') return undefined;
  const refs = referencesIn(value);
  if (refs.length === 0) return `${name} has a literal value`;
  for (const ref of refs) {
    if ((ref.operator === '-' || ref.operator === ':-') && ref.argument) {
      return `${name} falls back to a literal default for ${ref.name}`;
    }
  }
  const rest = value.replace(REFERENCE, '');
  if (/[A-Za-z0-9]/.test(rest)) return `${name} mixes literal text "${rest.trim()}" with references`;
  return undefined;
}

/** Every problem found by walking a parsed YAML document; `path` names where. */
export function literalSecrets(doc: Yaml, path = ''): string[] {
  const problems: string[] = [];
  if (Array.isArray(doc)) {
    doc.forEach((item, index) => {
      const here = `${path}[${index}]`;
      if (typeof item === 'string') {
        // `KEY=value` environment entries, and `--flag value` pairs in commands.
        const eq = item.indexOf('=');
        if (
          eq > 0 &&
          /^[A-Za-z_][A-Za-z0-9_]*$/.test(item.slice(0, eq)) &&
          SECRET_NAME.test(item.slice(0, eq))
        ) {
          const problem = literalSecretProblem(item.slice(0, eq), item.slice(eq + 1));
          if (problem) problems.push(`${here}: ${problem}`);
        }
        const next = doc[index + 1];
        if (/^--?[\w.-]+$/.test(item) && SECRET_NAME.test(item) && next !== undefined) {
          const problem = literalSecretProblem(item, String(next));
          if (problem) problems.push(`${here}: ${problem}`);
        }
      } else {
        problems.push(...literalSecrets(item, here));
      }
    });
  } else if (isRecord(doc)) {
    for (const [key, value] of Object.entries(doc)) {
      const here = path ? `${path}.${key}` : key;
      if (SECRET_NAME.test(key) && (typeof value === 'string' || typeof value === 'number')) {
        const problem = literalSecretProblem(key, String(value));
        if (problem) problems.push(`${here}: ${problem}`);
      } else if (SECRET_NAME.test(key) && isRecord(value) && key.toLowerCase() === 'keys') {
        // livekit-server's `keys: { name: secret }` map.
        for (const [keyName, secret] of Object.entries(value)) {
          const problem = literalSecretProblem(keyName, String(secret));
          if (problem) problems.push(`${here}.${keyName}: ${problem}`);
        }
      } else {
        problems.push(...literalSecrets(value, here));
      }
    }
  }
  return problems;
}

/** Every string scalar (keys included) of a parsed YAML document: its text without comments. */
export function scalarsOf(doc: Yaml): string[] {
  if (typeof doc === 'string') return [doc];
  if (typeof doc === 'number' || typeof doc === 'boolean') return [String(doc)];
  if (Array.isArray(doc)) return doc.flatMap(scalarsOf);
  if (isRecord(doc)) return Object.entries(doc).flatMap(([key, value]) => [key, ...scalarsOf(value)]);
  return [];
}

/** `scheme://user:password@host` URLs whose password is not a `${…}` reference. */
export function credentialsInUrls(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:([^\s@'"]+)@/gi)) {
    const password = match[1] ?? '';
    if (literalSecretProblem('password', password)) found.push(match[0]);
  }
  return found;
}

/** Long base64/hex-looking tokens outside `${…}` references and comments: likely pasted keys. */
export function secretLookingTokens(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .join('\n');
  const withoutRefs = withoutComments.replace(REFERENCE, '');
  return [...withoutRefs.matchAll(/[A-Za-z0-9+/_-]{32,}={0,2}/g)]
    .map((m) => m[0])
    .filter((token) => /[0-9]/.test(token) && /[A-Za-z]/.test(token));
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

export interface DockerStage {
  /** The image or stage it starts from, with `ARG` defaults substituted. */
  from: string;
  name: string | undefined;
  instructions: { keyword: string; args: string }[];
}

/** Stages of a Dockerfile, with continuation lines joined and comments dropped. */
export function parseDockerfile(text: string): DockerStage[] {
  const lines: string[] = [];
  let pending = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  if (pending) lines.push(pending);

  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = match[2] ?? '';
    if (keyword === 'FROM') {
      const [image = '', as, name] = args.replace(/--platform=\S+\s+/, '').split(/\s+/);
      const from = image.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => globalArgs[arg] ?? '');
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [name = '', value = ''] = args.split('=');
        globalArgs[name.trim()] = value.trim();
      }
    } else {
      stages.at(-1)?.instructions.push({ keyword, args });
    }
  }
  return stages;
}

// ---------------------------------------------------------------------------------------------
// api/src/env.ts

/**
 * Names api/src/env.ts reads: the keys of its `EnvSchema = z.object({…})` and its `SECRET_NAMES`
 * list. A plain text read, because importing the module would run its configuration code.
 */
export function apiEnvNames(source: string): string[] {
  const names = new Set<string>();
  const schema = /EnvSchema\s*=\s*z\.object\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1] ?? '';
  for (const m of schema.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)) if (m[1]) names.add(m[1]);
  const secrets = /SECRET_NAMES\s*=\s*\[([\s\S]*?)\]/.exec(source)?.[1] ?? '';
  for (const m of secrets.matchAll(/'([A-Z][A-Z0-9_]*)'/g)) if (m[1]) names.add(m[1]);
  return [...names];
}

// ---------------------------------------------------------------------------------------------
// .env.example

/** Variable names the file documents, as `NAME=` or commented `# NAME=` lines. */
export function envExampleNames(text: string): Map<string, { value: string; commented: boolean }> {
  const names = new Map<string, { value: string; commented: boolean }>();
  for (const line of text.split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[2]) names.set(match[2], { value: match[3] ?? '', commented: Boolean(match[1]) });
  }
  return names;
}
