import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../env';
import { createLogger } from '../logger';
import { memoryLog, testSecrets } from '../testing';
import { startLocalAudio } from './local-audio';
import { findLiveKitServer, localConfig } from './local-server';

const scratch = mkdtempSync(join(tmpdir(), 'salon-livekit-local-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the local LiveKit server configuration', () => {
  it('runs it only in development without LIVEKIT_URL, looking in LIVEKIT_SERVER_BIN alone when set', () => {
    const base = { HOME: '/home/ada', PATH: '/usr/bin:/opt/lk' };
    const dev = loadConfig({ ...base, NODE_ENV: 'development' }).livekit.local;
    expect(dev).toEqual({
      port: 7880,
      cacheFile: '/home/ada/.cache/salon/livekit-server-v1.13.5',
      candidates: [
        '/home/ada/.cache/salon/livekit-server-v1.13.5',
        '/usr/bin/livekit-server',
        '/opt/lk/livekit-server',
      ],
    });
    expect(
      loadConfig({ ...base, LIVEKIT_SERVER_BIN: '/srv/lk', LIVEKIT_LOCAL_PORT: '7990' }).livekit.local,
    ).toMatchObject({ port: 7990, candidates: ['/srv/lk'] });
    expect(loadConfig({ ...base, LIVEKIT_URL: 'wss://live.example.org' }).livekit.local).toBeNull();
    expect(loadConfig({ ...base, LIVEKIT_LOCAL: 'false' }).livekit.local).toBeNull();
  });

  it('fills the checked-in loopback file with the ports and the webhook of this app', () => {
    const config = parse(
      localConfig({
        bin: 'unused',
        port: 7300,
        apiKey: 'devkey',
        apiSecret: 'x'.repeat(40),
        webhookUrl: 'http://127.0.0.1:3300/v1/livekit/webhook',
      }),
    );
    expect(config).toMatchObject({
      port: 7300,
      bind_addresses: ['127.0.0.1'],
      rtc: {
        node_ip: '127.0.0.1',
        enable_loopback_candidate: true,
        tcp_port: 7301,
        udp_port: 7302,
        stun_servers: ['127.0.0.1:7302'],
      },
      turn: { enabled: false },
      webhook: { api_key: 'devkey', urls: ['http://127.0.0.1:3300/v1/livekit/webhook'] },
    });
    // The secret never goes into the configuration (it travels in LIVEKIT_KEYS).
    expect(JSON.stringify(config)).not.toContain('x'.repeat(40));
  });

  it('accepts only a candidate that runs and says it is livekit-server', () => {
    const fake = join(scratch, 'not-livekit');
    writeFileSync(fake, '#!/bin/sh\necho hello\n');
    chmodSync(fake, 0o755);
    expect(findLiveKitServer([join(scratch, 'missing'), fake])).toBeNull();
    const lookalike = join(scratch, 'livekit-server');
    writeFileSync(lookalike, '#!/bin/sh\necho "livekit-server version 1.13.5"\n');
    chmodSync(lookalike, 0o755);
    expect(findLiveKitServer([fake, lookalike])).toEqual({ bin: lookalike, version: '1.13.5' });
  });

  it('says once, clearly, that sound is off and how to get it when no server is found', async () => {
    const log = memoryLog();
    const config = loadConfig({ HOME: scratch, PATH: '', LIVEKIT_SERVER_BIN: join(scratch, 'missing') });
    const audio = await startLocalAudio(
      config,
      await testSecrets(),
      createLogger({ level: 'info', destination: log.destination }),
    );
    expect(audio.summary).toBe(
      'Sound is off: no LiveKit server found; build the pinned server with `npm run livekit:install` ' +
        '(needs Go), or set LIVEKIT_SERVER_BIN or LIVEKIT_URL.',
    );
    expect(audio.config.livekit.url).toBeUndefined();
    await audio.stop();
  });
});
