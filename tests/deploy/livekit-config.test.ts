import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type LocalLiveKitServer, startLiveKitServer } from '../../api/src/livekit/local-server';
import { describeWithLiveKit, freePort, liveKitBinary } from '../../api/src/testing/real-livekit';
import { readRepoFile } from './deploy-files';

/**
 * deploy/livekit.yaml is parsed strictly by livekit-server (an unknown field stops it): the pinned
 * server starts with it, in multi-node mode on Redis, as docker compose runs it — only the
 * addresses of Redis and the ports are those of this machine. Needs Redis on 127.0.0.1:6379
 * (scripts/services.sh starts it).
 */
let server: LocalLiveKitServer | undefined;
afterAll(async () => {
  await server?.stop();
});

describeWithLiveKit('deploy/livekit.yaml on the pinned livekit-server', () => {
  it('starts as compose starts it, on Redis, and serves the room API', async () => {
    const config = parse(readRepoFile('deploy/livekit.yaml'));
    const port = await freePort();
    config.port = port;
    config.rtc.tcp_port = await freePort();
    config.rtc.udp_port = await freePort('udp');
    config.turn.udp_port = await freePort('udp');
    config.redis.address = '127.0.0.1:6379';
    config.webhook.urls = ['http://127.0.0.1:9/v1/livekit/webhook'];
    const key = 'deploykey';
    const secret = 'a-deployment-secret-of-at-least-32-chars';
    server = await startLiveKitServer({
      bin: liveKitBinary?.bin ?? '',
      port,
      apiKey: key,
      apiSecret: secret,
      configBody: stringify(config),
      // As docker-compose.yml passes them.
      args: ['--webhook.api_key', key],
      nodeIp: '127.0.0.1',
    });
    const rooms = new RoomServiceClient(server.apiUrl, key, secret);
    await rooms.createRoom({ name: 'deploy-check' });
    expect((await rooms.listRooms(['deploy-check'])).map((r) => r.name)).toEqual(['deploy-check']);
  });
});
