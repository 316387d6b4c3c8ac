/**
 * Codes dialled on an agent's desk phone, carried out on the real ACD (AcdRuntime's seat state machine over
 * the fake Asterisk of seat-rig.ts): the seat changes as the page's buttons change it, and the phone is
 * answered, hears what came of it, and is hung up.
 */
import { Value } from '@sinclair/typebox/value';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type PhoneCodes, PhoneCodesSchema } from '../../../../src/agents/phone-codes.js';
import { DEFAULT_REASON_CODES } from '../../../../src/agents/schema.js';
import { DeskPhoneCodes } from '../../../../src/calls/seat/phone-codes.js';
import type { StreamEvent } from '../../../../src/events/event-hub.js';
import { agentDef } from '../../acd/helpers.js';
import { rig } from './seat-rig.js';

type Help = { agentId: string; open: boolean };

async function deskRig() {
  const r = await rig();
  const heard: string[][] = [];
  const calls: string[] = [];
  const requests: Help[] = [];
  const help = {
    ask: async (agentId: string) => {
      if (r.acd.router.seat(agentId)?.state.type === 'logged_out')
        return {
          refused: { code: 'NOT_LOGGED_IN' as const, reason: `${agentId} is logged out: log in first` },
        };
      if (requests.some((q) => q.agentId === agentId && q.open))
        return { refused: { code: 'HELP_ALREADY_ASKED' as const, reason: 'asked already' } };
      requests.push({ agentId, open: true });
      return { request: {} as never };
    },
    end: async (agentId: string) => {
      const open = requests.find((q) => q.agentId === agentId && q.open);
      if (!open) return { refused: { code: 'HELP_NOT_ASKED' as const, reason: 'none asked' } };
      open.open = false;
      return { request: {} as never };
    },
  };
  const desk = new DeskPhoneCodes({
    codes: Value.Default(PhoneCodesSchema, {}) as PhoneCodes,
    reasonCodes: DEFAULT_REASON_CODES,
    agents: () => [agentDef('agent1', ['sales']), agentDef('agent2', ['sales'])],
    command: (agentId, input) => r.acd.seatCommand(agentId, input),
    seatState: (agentId) => r.acd.router.seat(agentId)?.state.type,
    help,
    ari: {
      answer: async (c) => void calls.push(`answer ${c}`),
      hangup: async (c, reason) => void calls.push(`hangup ${c} ${reason}`),
    },
    play: async (channelId, media) => {
      calls.push(`play ${channelId}`);
      // Asterisk plays media URIs: a bare sound name is refused ("scheme is unsupported").
      expect(media.every((m) => m.startsWith('sound:'))).toBe(true);
      heard.push(media.map((m) => m.slice('sound:'.length)));
      return 'played';
    },
    logger: pino({ level: 'silent' }),
  });
  let n = 0;
  /** agent1's phone dials `digits`; what it heard. */
  const dial = async (digits: string, endpoint = 'agent1') => {
    const channel = `phone-${++n}`;
    const handled = await desk.handle(channel, endpoint, digits);
    return { handled, heard: heard.at(-1), channel };
  };
  return { r, dial, calls, requests };
}

describe('codes dialled on a desk phone', () => {
  it('logs in, goes not ready with a reason, ready, and logs out, the phone hearing each', async () => {
    const { r, dial, calls } = await deskRig();
    const refused = await dial('*53');
    expect(refused).toMatchObject({ handled: true, heard: ['beeperr', 'agent-loggedoff'] });
    expect(r.state('agent1')).toBe('logged_out');
    // Answered, told, hung up: in that order.
    expect(calls).toEqual([
      `answer ${refused.channel}`,
      `play ${refused.channel}`,
      `hangup ${refused.channel} normal`,
    ]);

    expect(await dial('*51')).toMatchObject({ handled: true, heard: ['agent-loginok'] });
    expect(r.state('agent1')).toBe('available');
    expect(r.acd.router.seat('agent1')?.endpoint).toBe('PJSIP/agent1');

    expect(await dial('*542')).toMatchObject({ heard: ['do-not-disturb', 'activated'] });
    expect(r.acd.router.seat('agent1')?.state).toEqual({ type: 'not_ready', reason: 'lunch' });
    expect(await dial('*549')).toMatchObject({ heard: ['beeperr', 'invalid'] });
    expect(r.acd.router.seat('agent1')?.state).toEqual({ type: 'not_ready', reason: 'lunch' });

    expect(await dial('*53')).toMatchObject({ heard: ['do-not-disturb', 'de-activated'] });
    expect(r.state('agent1')).toBe('available');
    expect(await dial('*53')).toMatchObject({ heard: ['beeperr', 'do-not-disturb', 'de-activated'] });

    expect(await dial('*52')).toMatchObject({ heard: ['agent-loggedoff'] });
    expect(r.state('agent1')).toBe('logged_out');
    r.acd.stop();
  });

  it('asks for help and withdraws it, refusing a second ask and a withdrawal of none', async () => {
    const { r, dial, requests } = await deskRig();
    expect(await dial('*56')).toMatchObject({ heard: ['beeperr', 'agent-loggedoff'] });
    await dial('*51');
    expect(await dial('*56')).toMatchObject({ heard: ['beep'] });
    expect(await dial('*56')).toMatchObject({ heard: ['beeperr', 'im-sorry'] });
    expect(await dial('*57')).toMatchObject({ heard: ['cancelled'] });
    expect(await dial('*57')).toMatchObject({ heard: ['beeperr', 'im-sorry'] });
    expect(requests).toEqual([{ agentId: 'agent1', open: false }]);
    r.acd.stop();
  });

  it('takes not ready dialled during a call for after it, telling the pages so', async () => {
    const { r, dial } = await deskRig();
    await dial('*51');
    const seen: StreamEvent[] = [];
    r.acd.hub.subscribe((e) => seen.push(e));
    const c = await r.caller();
    r.answer(r.lastTo('agent1'));
    await new Promise((done) => setTimeout(done, 10));
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    expect(await dial('*543')).toMatchObject({ heard: ['do-not-disturb', 'activated'] });
    expect(r.state('agent1')).toBe(`talking(${c.interactionId})`);
    const news = seen.filter((e) => e.type === 'agent.seat').map((e) => e.data);
    expect(news).toEqual([
      { agentId: 'agent1', state: expect.objectContaining({ type: 'talking', notReadyAfter: 'meeting' }) },
    ]);
    // Logging out on a call is refused: the phone hears it cannot be done now.
    expect(await dial('*52')).toMatchObject({ heard: ['beeperr', 'im-sorry'] });
    r.acd.stop();
  });

  it("leaves ordinary numbers and another phone's codes to the outbound checks", async () => {
    const { dial, calls } = await deskRig();
    expect((await dial('+15551234567')).handled).toBe(false);
    expect((await dial('*51', 'not-an-agent')).handled).toBe(false);
    expect(calls).toEqual([]);
  });
});
