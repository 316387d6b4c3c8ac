/**
 * The `whenQueue` step: the flow goes one way or the other by how a queue stands now (the runtime's
 * queueOutlook), with the figures on the step's record, the estimated wait kept for a prompt; the check
 * refuses an unknown queue.
 */
import { describe, expect, it } from 'vitest';
import {
  asNumber,
  checkFlow,
  defineFlow,
  hangup,
  play,
  queue,
  runFlow,
  simulate,
  whenQueue,
} from '../../../src/ivr/index.js';
import { fakePort } from './fake-port.js';

/** A caller offered a message first when nobody can take the call or the wait is over five minutes. */
const flow = defineFlow({
  id: 'busy',
  entry: 'check',
  onError: 'wait',
  steps: {
    check: whenQueue('support', {
      when: (q) => q.agentsOn === 0 || (q.estimatedWaitSeconds ?? 0) > 300,
      yes: 'busy',
      no: 'wait',
      skills: { spanish: 1 },
      into: 'waitSeconds',
    }),
    busy: play(
      ['queue-holdtime', asNumber((ctx) => Math.ceil(Number(ctx.data.waitSeconds) / 60)), 'queue-minutes'],
      {
        next: 'bye',
      },
    ),
    bye: hangup('goodbye'),
    wait: queue('support'),
  },
});

describe('whenQueue', () => {
  it('goes to yes when the test holds for the queue as it stands, with the figures on record', async () => {
    const r = await simulate(flow, {
      queueOutlooks: { support: { agentsOn: 2, waiting: 9, estimatedWaitSeconds: 540 } },
    });
    expect(r.path).toEqual(['check', 'busy', 'bye']);
    expect(r.steps[0]?.event).toMatchObject({
      outcome: 'yes',
      next: 'busy',
      detail: { queue: 'support', waiting: 9, agentsOn: 2, agentsFree: 1, estimatedWaitSeconds: 540 },
    });
    expect(r.data).toEqual({ waitSeconds: 540 });
    expect(r.steps[1]?.plays[0]?.media).toEqual(['queue-holdtime', 'number:9', 'queue-minutes']);
  });

  it('goes to no otherwise; nobody on counts as yes', async () => {
    expect((await simulate(flow)).path).toEqual(['check', 'wait']);
    const nobody = await simulate(flow, {
      queueOutlooks: { support: { agentsOn: 0, agentsFree: 0, estimatedWaitSeconds: null } },
    });
    expect(nobody.path).toEqual(['check', 'busy', 'bye']);
    expect(nobody.data).toEqual({ waitSeconds: null });
  });

  it("asks the runtime with the step's skills; an unknown queue or a test that throws takes the error path", async () => {
    const asked: unknown[] = [];
    const port = fakePort();
    const ran = await runFlow(
      flow,
      port,
      { callId: 'c' },
      {
        queueOutlook: (queueId, skills) => {
          asked.push([queueId, skills]);
          return { waiting: 0, agentsOn: 1, agentsFree: 1, estimatedWaitSeconds: 30 };
        },
      },
    );
    expect(asked).toEqual([['support', { spanish: 1 }]]);
    expect(ran.path).toEqual(['check', 'wait']);
    const unknown = await runFlow(flow, port, { callId: 'c' }, { queueOutlook: () => undefined });
    expect(unknown.path).toEqual(['check', 'wait']); // the flow's onError
    const throwing = defineFlow({
      id: 't',
      entry: 'check',
      onError: 'bye',
      steps: {
        check: whenQueue('support', {
          when: () => {
            throw new Error('oops');
          },
          yes: 'bye',
          no: 'bye',
        }),
        bye: hangup(),
      },
    });
    const failed = await simulate(throwing);
    expect(failed.steps[0]?.event).toMatchObject({ outcome: 'error' });
    expect(String(failed.steps[0]?.event.detail?.error)).toContain('whenQueue threw: oops');
  });

  it('the flow check refuses a queue the service does not have', () => {
    expect(checkFlow(flow, { queues: new Set(['support']) })).toEqual([]);
    expect(checkFlow(flow, { queues: new Set(['sales']) }).map((i) => `${i.stepId}: ${i.message}`)).toEqual([
      "check: unknown queue 'support'",
      "wait: unknown queue 'support'",
    ]);
  });
});
