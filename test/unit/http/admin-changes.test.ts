/**
 * Supervisors' changes on record with who made them (GET /api/changes): queues and their members, IVR flows
 * reloaded, sessions ended. The real app and auth, an in-memory database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlowFileStatus } from '../../../src/flow-loader/registry.js';
import { buildApi, SUPERVISOR } from './http-harness.js';

type Api = Awaited<ReturnType<typeof buildApi>>;
let api: Api;
let sam: string;
let tess: string;
beforeEach(async () => {
  api = await buildApi();
  sam = api.supervisorTokenOf('sam');
  tess = api.supervisorTokenOf('tess');
});
afterEach(async () => {
  await api.app.close();
});

const call = (method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, token: string, payload?: object) =>
  api.app.inject({ method, url, headers: api.as(token), ...(payload ? { payload } : {}) });
const queue = (id: string, extra: object = {}) => ({ id, name: id, strategy: 'longest_idle', ...extra });
const changes = async (query = '', token = SUPERVISOR) => {
  const reply = await call('GET', `/api/changes${query}`, token);
  expect(reply.statusCode, reply.body).toBe(200);
  return reply.json() as {
    changes: {
      seq: number;
      at: string;
      by: object;
      action: string;
      subject: string;
      before?: unknown;
      after?: unknown;
    }[];
    next?: number;
  };
};

describe('supervisors’ changes on record', () => {
  it('keeps each queue and member change with who made it, newest first; a no-op or refused change is not one', async () => {
    expect((await call('PUT', '/api/queues/support', sam, queue('support'))).statusCode).toBe(200);
    expect((await call('PUT', '/api/queues/support', sam, queue('support'))).statusCode).toBe(200); // the same
    const edit = await call('PUT', '/api/queues/support', tess, queue('support', { ringTimeoutSeconds: 15 }));
    expect(edit.statusCode).toBe(200);
    const refused = await call('PUT', '/api/queues/support', sam, queue('support', { strategy: 'fastest' }));
    expect(refused.statusCode).toBe(400);
    expect(
      (await call('PUT', '/api/queues/support/members/agent1', SUPERVISOR, { penalty: 2 })).statusCode,
    ).toBe(200);
    expect((await call('PUT', '/api/queues/support/members/agent1', sam, { penalty: 2 })).statusCode).toBe(
      200,
    );
    expect((await call('PUT', '/api/queues/support/members/agent1', sam, { penalty: 3 })).statusCode).toBe(
      200,
    );
    expect((await call('DELETE', '/api/queues/support/members/agent1', tess)).statusCode).toBe(204);
    expect((await call('DELETE', '/api/queues/support/members/agent1', tess)).statusCode).toBe(404);
    expect((await call('DELETE', '/api/queues/support', sam)).statusCode).toBe(204);

    const { changes: list, next } = await changes();
    expect(next).toBeUndefined();
    const samBy = { supervisor: { id: 'sam', name: 'Sam Super' } };
    const tessBy = { supervisor: { id: 'tess', name: 'Tess Lead' } };
    expect(list.map((c) => [c.action, c.subject, c.by])).toEqual([
      ['queue.deleted', 'support', samBy],
      ['queue.member.removed', 'support/agent1', tessBy],
      ['queue.member.saved', 'support/agent1', samBy],
      ['queue.member.saved', 'support/agent1', {}],
      ['queue.saved', 'support', tessBy],
      ['queue.saved', 'support', samBy],
    ]);
    const [deleted, removed, penalty, added, edited, created] = list;
    expect(created).not.toHaveProperty('before');
    expect(created!.after).toMatchObject({ id: 'support', strategy: 'longest_idle' });
    expect(edited!.before).toEqual(created!.after);
    expect(edited!.after).toMatchObject({ ringTimeoutSeconds: 15 });
    expect(added).toMatchObject({ after: { penalty: 2, order: 0 } });
    expect(added).not.toHaveProperty('before');
    expect(penalty).toMatchObject({ before: { penalty: 2, order: 0 }, after: { penalty: 3, order: 0 } });
    expect(removed).toMatchObject({ before: { penalty: 3, order: 0 } });
    expect(removed).not.toHaveProperty('after');
    expect(deleted!.before).toEqual(edited!.after);
    expect(list.map((c) => c.seq)).toEqual([...list.map((c) => c.seq)].sort((a, b) => b - a));
    expect(Number.isNaN(Date.parse(deleted!.at))).toBe(false);
  });

  it('pages, and finds one queue’s changes with its members’, or some actions only', async () => {
    await call('PUT', '/api/queues/support', sam, queue('support'));
    await call('PUT', '/api/queues/support_2', sam, queue('support_2'));
    await call('PUT', '/api/queues/support/members/agent1', sam, { penalty: 1 });
    await call('PUT', '/api/queues/support_2/members/agent2', sam, { penalty: 1 });
    const first = await changes('?limit=3');
    expect(first.changes).toHaveLength(3);
    const rest = await changes(`?limit=3&before=${first.next}`);
    expect(rest.changes.map((c) => c.subject)).toEqual(['support']);
    expect(rest.next).toBeUndefined();
    // `support` is not a prefix match on `support_2` (an underscore is no wildcard here).
    expect((await changes('?subject=support')).changes.map((c) => c.subject)).toEqual([
      'support/agent1',
      'support',
    ]);
    expect((await changes('?action=queue.saved')).changes.map((c) => c.subject)).toEqual([
      'support_2',
      'support',
    ]);
    const bad = await call('GET', '/api/changes?action=queue.renamed', SUPERVISOR);
    expect(bad.statusCode).toBe(400);
    expect((await call('GET', '/api/changes', api.tokenOf('agent1'))).statusCode).toBe(403);
  });

  it("keeps an agent's memberships put back to the config file's, with what they were", async () => {
    await call('PUT', '/api/queues/support', SUPERVISOR, queue('support'));
    await call('PUT', '/api/queues/support/members/agent1', SUPERVISOR, { penalty: 4 });
    const reset = await call('DELETE', '/api/agents/agent1/memberships', sam);
    expect(reset.statusCode).toBe(200);
    const [entry] = (await changes('?action=agent.memberships.reset')).changes;
    expect(entry).toMatchObject({
      subject: 'agent1',
      by: { supervisor: { id: 'sam' } },
      before: [
        { queueId: 'sales', penalty: 0, order: 0 },
        { queueId: 'support', penalty: 4, order: 0 },
      ],
      after: [{ queueId: 'sales', penalty: 0, order: 0 }],
    });
    // Nothing left to put back: no change.
    expect((await call('DELETE', '/api/agents/agent1/memberships', sam)).statusCode).toBe(200);
    expect((await changes('?action=agent.memberships.reset')).changes).toHaveLength(1);
  });

  it("keeps sessions ended and another supervisor's sign-out, not one's own", async () => {
    expect((await call('DELETE', '/api/supervisors/sam/session', sam)).statusCode).toBe(204);
    tess = api.supervisorTokenOf('tess');
    expect((await call('DELETE', '/api/supervisors/sam/session', tess)).statusCode).toBe(204);
    expect((await call('DELETE', '/api/supervisor/session', SUPERVISOR)).statusCode).toBe(204);
    expect((await changes()).changes.map((c) => [c.action, c.subject, c.by])).toEqual([
      ['supervisor.sessions.ended', 'supervisors', {}],
      ['supervisor.signed-out', 'sam', { supervisor: { id: 'tess', name: 'Tess Lead' } }],
    ]);
  });

  it('still makes the change when it cannot be kept on record (logged instead), and says so nowhere else', async () => {
    await api.db.schema.dropTable('admin_changes').execute();
    const reply = await call('PUT', '/api/queues/support', sam, queue('support'));
    expect(reply.statusCode).toBe(200);
    expect(api.queueAdmin.get('support')).toMatchObject({ id: 'support' });
  });
});

describe('flows reloaded, on record', () => {
  it('keeps who reloaded and what each file serves after', async () => {
    const status = (file: string, ok: boolean, version?: string): FlowFileStatus => ({
      file,
      ok,
      ...(version ? { version } : {}),
      attemptedVersion: 'v-new',
      checkedAt: new Date().toISOString(),
      errors: ok ? [] : [`${file}:3: 'say' needs a string`],
      warnings: [],
      problems: [],
    });
    const files = [status('main.flow.ts', true, 'v1'), status('broken.flow.ts', false, 'v0')];
    await api.app.close();
    api = await buildApi({ flows: { dir: 'ivr-flows', status: () => files, reloadAll: async () => files } });
    const reply = await call('POST', '/api/flows/reload', api.supervisorTokenOf('sam'));
    expect(reply.statusCode).toBe(200);
    expect((await changes()).changes).toEqual([
      expect.objectContaining({
        action: 'flows.reloaded',
        subject: 'flows',
        by: { supervisor: { id: 'sam', name: 'Sam Super' } },
        after: [
          { file: 'main.flow.ts', ok: true, version: 'v1' },
          {
            file: 'broken.flow.ts',
            ok: false,
            version: 'v0',
            errors: ["broken.flow.ts:3: 'say' needs a string"],
          },
        ],
      }),
    ]);
  });
});
