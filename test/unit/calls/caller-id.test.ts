/**
 * The caller ID agents' phones are rung with: the caller's name from their carrier with the number, so a
 * desk phone shows who calls (callerIdOf), on every leg the service dials for the call (seat-rig.ts).
 */
import { describe, expect, it } from 'vitest';
import { callerIdOf } from '../../../src/calls/call-session.js';
import { rig, tick } from './seat/seat-rig.js';

describe('callerIdOf', () => {
  it.each([
    ['+15551112222', 'Ada Lovelace', '"Ada Lovelace" <+15551112222>'],
    ['+15551112222', '', '+15551112222'],
    ['+15551112222', '+15551112222', '+15551112222'], // a name that only repeats the number
    ['+15551112222', '  ', '+15551112222'],
    ['', 'Ada', '"Ada" <unknown>'],
    ['+15551112222', 'Ada "the" <Countess>\\', '"Ada the Countess" <+15551112222>'],
    ['+15551112222', 'Ada\r\nX-Evil: 1', '"AdaX-Evil: 1" <+15551112222>'],
    ['+15551112222', 'x'.repeat(100), `"${'x'.repeat(64)}" <+15551112222>`],
  ])('%s with name %j is %s', (number, name, expected) => {
    expect(callerIdOf(number, name)).toBe(expected);
  });
});

describe("an agent's phone rung for a caller who gave a name", () => {
  it('shows the name and number on the offer, a transfer, a consultation, a conference and a rejoin', async () => {
    const r = await rig();
    r.login('agent1');
    const c = await r.caller('sales', '+15551112222', 'Ada Lovelace');
    const shown = '"Ada Lovelace" <+15551112222>';
    const last = () => r.originated.at(-1)!;
    expect(last()).toMatchObject({ endpoint: expect.stringContaining('agent1'), callerId: shown });
    r.answer(r.lastTo('agent1'));
    await tick();
    await r.seat.rejoin('agent1', c.interactionId);
    expect(last().callerId).toBe(shown);
    r.answer(last().channelId);
    await tick(20);
    r.login('agent2');
    await r.seat.consult('agent1', c.interactionId, { type: 'agent', agentId: 'agent2' });
    expect(last()).toMatchObject({ endpoint: expect.stringContaining('agent2'), callerId: shown });
    await r.seat.cancelConsult('agent1', c.interactionId);
    await tick(20);
    r.login('agent3');
    await r.seat.conference('agent1', c.interactionId, { type: 'agent', agentId: 'agent3' });
    expect(last()).toMatchObject({ endpoint: expect.stringContaining('agent3'), callerId: shown });
    r.endChannel(last().channelId);
    await tick(20);
    await r.seat.transfer('agent1', c.interactionId, { type: 'number', number: '+15559998888' });
    expect(last()).toMatchObject({ endpoint: expect.stringContaining('+15559998888'), callerId: shown });
    r.acd.stop();
  });
});
