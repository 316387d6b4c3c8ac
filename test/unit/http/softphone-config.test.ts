/**
 * GET /api/softphone/config: where the page registers, and, asked with the agent about to sign in, where
 * their calls ring (a desk phone's agent signs in to the service only: the page must not register).
 */
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { webPlugin } from '../../../src/http/plugins/web/index.js';

let app: ReturnType<typeof Fastify> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build() {
  app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  const phones: Record<string, 'softphone' | 'desk'> = { agent1: 'softphone', desk1: 'desk' };
  await app.register(webPlugin, {
    softphone: {
      sipWsUrl: (host: string) => `ws://${host}:8088/ws`,
      sipDomain: '127.0.0.1',
      phoneOf: (id: string) => phones[id],
    },
  });
  return app;
}

const config = async (query = '') =>
  (await app!.inject({ url: `/api/softphone/config${query}`, headers: { host: '127.0.0.1:3000' } })).json();

describe('the softphone configuration', () => {
  it("says where an agent's calls ring when asked for them: this page, or their desk phone", async () => {
    await build();
    expect(await config()).toEqual({
      sipWsUrl: 'ws://127.0.0.1:8088/ws',
      sipDomain: '127.0.0.1',
      iceServers: [],
    });
    expect(await config('?agentId=desk1')).toMatchObject({ phone: 'desk', sipDomain: '127.0.0.1' });
    expect(await config('?agentId=agent1')).toMatchObject({ phone: 'softphone' });
    // An id no agent has is answered as a page's: its sign-in then fails as any wrong one does.
    expect(await config('?agentId=nobody')).toMatchObject({ phone: 'softphone' });
  });

  it('refuses an agent id that is empty or too long, saying so', async () => {
    await build();
    for (const query of ['?agentId=', `?agentId=${'a'.repeat(65)}`]) {
      const r = await app!.inject({ url: `/api/softphone/config${query}` });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toMatch(/agentId/);
    }
  });
});
