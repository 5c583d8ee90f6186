// The baseline: Hono's hello-world on @hono/node-server, nothing else. `node --import tsx
// bench/hello.ts <port>`; prints "ready" once listening.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().get('/', (c) => c.text('Hello Hono!'));
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' }, () => console.log('ready'));
