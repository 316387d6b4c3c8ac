/**
 * For the token tests (agent-tokens, supervisor-sessions): a token policy on a clock the test moves, the real
 * HTTP app called by injection, and the live stream on a real socket.
 */
import Fastify from 'fastify';
import WebSocket from 'ws';
import { EventHub } from '../../../src/events/event-hub.js';
import { type AgentTokenPolicy, ApiAuth } from '../../../src/http/auth.js';
import { eventsPlugin } from '../../../src/http/plugins/events/index.js';
import { registerStreamSockets } from '../../../src/http/stream-sockets.js';
import type { AgentSignOutStore } from '../../../src/store/agent-sign-outs.js';
import { buildApi } from './http-harness.js';

export const HOUR = 3600_000;

/** 12 h agent tokens (and `supervisorTtlMs`, if given) on `clock`, sign-outs kept in `store` when one is given. */
export function tokenPolicy(
  clock: { now: number },
  store?: AgentSignOutStore,
  signOuts = new Map<string, number>(),
  supervisorTtlMs?: number,
): AgentTokenPolicy {
  return {
    ttlMs: 12 * HOUR,
    ...(supervisorTtlMs !== undefined ? { supervisorTtlMs } : {}),
    now: () => clock.now,
    signOuts,
    persistSignOut: (agentId: string, generation: number, at: number) =>
      store ? store.put(agentId, generation, at) : Promise.resolve(),
  };
}

/** The real HTTP app with `tokens`; `call` injects a request with a bearer token and a JSON body. */
export async function tokenApi(tokens: AgentTokenPolicy) {
  const built = await buildApi({ tokens });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, payload?: object) =>
    built.app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  return { ...built, call };
}

/**
 * The live stream alone, listening on loopback, with agent `ann` (password `pw`), supervisor `sam`
 * (password `sam-password`) and the supervisor token `sup-token`; `open` signs as `how` says: the Authorization header, a browser's subprotocols, or the URL.
 * Close the returned app after the test.
 */
export async function streamServer(policy: { ttlMs: number; supervisorTtlMs?: number }) {
  const app = Fastify({ logger: false });
  const auth = new ApiAuth(
    'secret',
    'sup-token',
    new Map([['ann', 'pw']]),
    { ...policy, now: Date.now, signOuts: new Map(), persistSignOut: async () => undefined },
    [{ id: 'sam', name: 'Sam Super', password: 'sam-password' }],
  );
  await registerStreamSockets(app);
  await app.register(eventsPlugin, {
    hub: new EventHub(Date.now, 100, 'throw'),
    auth,
    snapshot: () => ({ agents: [], queues: [] }),
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const open = (token: string, how: 'header' | 'protocol' | 'url' = 'header') => {
    const base = `${address.replace('http', 'ws')}/api/events`;
    const ws =
      how === 'header'
        ? new WebSocket(base, { headers: { authorization: `Bearer ${token}` } })
        : how === 'protocol'
          ? new WebSocket(base, ['cc-events', `bearer.${Buffer.from(token).toString('base64url')}`])
          : new WebSocket(`${base}?token=${encodeURIComponent(token)}`);
    const messages: { type: string; code?: string }[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const opened = new Promise((resolve) => ws.once('message', resolve));
    return { ws, messages, closed, opened };
  };
  return { app, auth, open };
}
