/** The wallboard's call history in words (src/web/supervisor/call-history.js): outcomes, callers, timelines. */
import { describe, expect, it } from 'vitest';
import {
  callerLabel,
  describeEntry,
  endedByLabel,
  offsetLabel,
  outcomeLabel,
  wideningText,
} from '../../../src/web/supervisor/call-history.js';
import { dateTimeLabel } from '../../../src/web/supervisor/format.js';

const names = {
  agent: (id: string) => ({ anna: 'Anna Allen', boris: 'Boris Brown' })[id] ?? id,
  queue: (id: string) => ({ support: 'Support', sales: 'Sales' })[id] ?? id,
};
const say = (type: string, payload: Record<string, unknown>) => describeEntry({ type, payload }, names);

describe('call history in words', () => {
  it('names the outcome: in progress while open, the disposition once closed', () => {
    expect(outcomeLabel({ state: 'open', direction: 'inbound', disposition: null })).toBe('In progress');
    expect(outcomeLabel({ state: 'open', direction: 'voicemail', disposition: null })).toBe('Waiting');
    expect(outcomeLabel({ state: 'closed', disposition: 'handled' })).toBe('Handled');
    expect(outcomeLabel({ state: 'closed', disposition: 'callback-requested' })).toBe('Callback requested');
    expect(outcomeLabel({ state: 'closed', disposition: 'rejected' })).toBe('Turned away');
    // A disposition this page does not know (a newer service) shows as stored.
    expect(outcomeLabel({ state: 'closed', disposition: 'teleported' })).toBe('teleported');
    expect(outcomeLabel({ state: 'closed', disposition: null })).toBe('–');
    expect(endedByLabel('agent')).toBe('Agent');
    expect(endedByLabel('system')).toBe('Service');
    expect(endedByLabel(null)).toBe('–');
  });

  it('names the caller by the name their carrier sent, beside the number; withheld without one', () => {
    expect(callerLabel({ callerName: 'Ada Lovelace', callerNumber: '+15551112222' })).toBe(
      'Ada Lovelace (+15551112222)',
    );
    expect(callerLabel({ callerName: '+15551112222', callerNumber: '+15551112222' })).toBe('+15551112222');
    expect(callerLabel({ callerName: null, callerNumber: '+15551112222' })).toBe('+15551112222');
    expect(callerLabel({ callerName: null, callerNumber: null })).toBe('Withheld');
  });

  it('times each entry from the start of the call', () => {
    expect(offsetLabel('2026-12-04T09:00:00.000Z', '2026-12-04T09:00:00.400Z')).toBe('+0:00');
    expect(offsetLabel('2026-12-04T09:00:00.000Z', '2026-12-04T09:01:05.900Z')).toBe('+1:05');
    expect(offsetLabel('2026-12-04T09:00:00.000Z', '2026-12-04T10:00:01.000Z')).toBe('+1:00:01');
  });

  it('says why an agent was offered the call: every candidate, passed over or eligible, with the rule', () => {
    const offered = say('acd.offered', {
      queueId: 'support',
      agentIds: ['anna'],
      ringTimeoutSeconds: 15,
      why: {
        strategy: 'longest_idle',
        rule: 'longest_idle: idle 42s',
        considered: [
          {
            agentId: 'anna',
            state: 'available',
            eligible: true,
            score: 42000,
            rule: 'longest_idle: idle 42s',
          },
          {
            agentId: 'boris',
            state: 'available',
            eligible: true,
            score: 3000,
            rule: 'longest_idle: idle 3s',
          },
          {
            agentId: 'cleo',
            state: 'not_ready',
            reason: 'lunch',
            eligible: false,
            excludedBecause: 'not available (not_ready: lunch)',
          },
        ],
      },
    });
    expect(offered.text).toBe('Offered to Anna Allen (longest_idle: idle 42s)');
    expect(offered.why).toEqual([
      'Anna Allen: eligible, longest_idle: idle 42s',
      'Boris Brown: eligible, longest_idle: idle 3s',
      'cleo: passed over, not available (not_ready: lunch)',
    ]);
  });

  it('tells a queue call from arrival to wrap-up with names, not ids', () => {
    const lines = [
      say('interaction.opened', {
        direction: 'inbound',
        callerNumber: '+15551112222',
        callerName: 'Ada Lovelace',
        dialedNumber: '500',
      }),
      say('acd.enqueued', { queueId: 'support', position: 2, priority: 5, estimatedWaitSeconds: 30 }),
      say('acd.announced', { queueId: 'support', position: 1, estimatedWaitSeconds: 65 }),
      say('acd.rona', { queueId: 'support', agentId: 'boris', ringSeconds: 15 }),
      say('acd.requeued', { queueId: 'support', position: 1, reason: 'ring-no-answer', agentId: 'boris' }),
      say('acd.agent.announced', {
        queueId: 'support',
        agentId: 'anna',
        sounds: ['beep'],
        outcome: 'played',
      }),
      say('acd.connected', { queueId: 'support', agentId: 'anna', waitSeconds: 47.2, bridgeId: 'b1' }),
      say('call.held', { agentId: 'anna', bridgeId: 'b1' }),
      say('call.resumed', { agentId: 'anna', heldSeconds: 12, totalHoldSeconds: 12 }),
      say('call.transferred', {
        agentId: 'anna',
        kind: 'blind',
        target: { type: 'agent', id: 'boris' },
        step: 'requested',
        note: 'wants a refund',
      }),
      say('call.transferred', {
        agentId: 'anna',
        kind: 'consult',
        target: { type: 'queue', id: 'sales' },
        step: 'failed',
        reason: 'no answer',
      }),
      say('call.hangup', { channelId: 'c1', by: 'caller', cause: 16, causeText: 'Normal Clearing' }),
      say('interaction.closed', { disposition: 'handled', endedBy: 'caller', durationSeconds: 185 }),
      say('acd.wrapup.ended', { agentId: 'anna', wrapSeconds: 20 }),
      say('wrapup.saved', { agentId: 'anna', code: 'resolved', notes: 'refund sent' }),
    ].map((l) => l.text);
    expect(lines).toEqual([
      'Call from Ada Lovelace (+15551112222) to 500',
      'Entered Support at position 2, priority 5',
      'Heard position 1, about 1:05 to wait',
      'Boris Brown did not answer in 15 s (set not ready: missed)',
      'Back in Support at position 1: ring-no-answer',
      'Anna Allen heard the Support announcement before being put through',
      'Connected to Anna Allen after 0:47 in Support',
      'Anna Allen put the caller on hold',
      'Anna Allen took the caller off hold after 0:12',
      'Anna Allen: blind transfer to Boris Brown, requested (note: “wants a refund”)',
      'Anna Allen: consulted transfer to the Sales queue, failed: no answer',
      'The caller hung up (Normal Clearing)',
      'Ended: Handled, after 3:05',
      'Anna Allen finished wrap-up after 0:20',
      "Anna Allen's wrap-up: resolved — refund sent",
    ]);
  });

  it("tells a caller's line gone silent from a hang-up", () => {
    const lost = {
      channelId: 'c1',
      by: 'caller',
      causeText: "no audio from the caller's line",
      lineLost: true,
    };
    expect(say('call.hangup', lost).text).toBe(
      "The caller's line went silent: Asterisk hung up after the trunk's media timeout",
    );
    expect(say('call.hangup', { ...lost, lineLost: undefined, causeText: undefined }).text).toBe(
      'The caller hung up',
    );
  });

  it("names the caller's language a Spanish line set, or a flow's step", () => {
    expect(say('call.language', { language: 'es', by: 'route' }).text).toBe(
      "Caller's language: Spanish (es), from the number dialled",
    );
    const step = { stepId: 'spanish', kind: 'language', outcome: 'set', next: 'mainMenu' };
    expect(say('ivr.step', { ...step, detail: { language: 'es', skills: ['spanish'] } }).text).toBe(
      'IVR spanish: the caller hears Spanish (es) from here → mainMenu',
    );
    expect(say('ivr.step', { ...step, outcome: 'error', next: undefined }).text).toBe(
      'IVR spanish (language): error',
    );
  });

  it("says what a waiting caller heard: the position, the wait, the queue's message", () => {
    const heard = (payload: Record<string, unknown>) =>
      say('acd.announced', { queueId: 'support', position: 3, estimatedWaitSeconds: 120, ...payload }).text;
    expect(heard({ positionSaid: true, waitSaid: false })).toBe('Heard position 3');
    expect(heard({ positionSaid: false, waitSaid: true, sounds: ['custom/website'] })).toBe(
      "Heard about 2:00 to wait, the queue's message (custom/website)",
    );
    expect(heard({ positionSaid: false, waitSaid: false, sounds: ['a', 'b'] })).toBe(
      "Heard the queue's message (a, b)",
    );
  });

  it('tells an agent put through without the queue announcement', () => {
    expect(
      say('acd.agent.announced', { queueId: 'sales', agentId: 'boris', sounds: ['x'], outcome: 'failed' })
        .text,
    ).toBe('Boris Brown was put through without the Sales announcement (it could not be played)');
    expect(
      say('acd.agent.announced', {
        queueId: 'sales',
        agentId: 'boris',
        sounds: [],
        waitSeconds: 65,
        outcome: 'played',
      }).text,
    ).toBe("Boris Brown heard the Sales announcement (the caller's wait, 1:05) before being put through");
  });

  it("tells an offer to the caller's last agent, and a caller kept for them, with how long ago they talked", () => {
    const at = '2026-12-04T10:00:00.000Z';
    const entry = (type: string, payload: Record<string, unknown>) =>
      describeEntry({ type, at, payload }, names);
    const offered = entry('acd.offered', {
      queueId: 'sales',
      agentIds: ['boris'],
      ringTimeoutSeconds: 20,
      why: {
        strategy: 'longest_idle',
        rule: 'last_agent: talked with this caller 2026-12-01T09:00:00.000Z',
        considered: [{ agentId: 'boris', state: 'available', eligible: true, rule: 'last_agent' }],
        lastAgent: { agentId: 'boris', servedAt: '2026-12-01T09:00:00.000Z' },
      },
    });
    expect(offered.text).toBe(
      'Offered to Boris Brown, who last talked with this caller (3 days earlier), ahead of the longest-idle strategy',
    );
    expect(
      entry('acd.last_agent.awaited', {
        queueId: 'sales',
        agentId: 'boris',
        servedAt: '2026-12-04T07:30:00.000Z',
        until: '2026-12-04T10:00:15.000Z',
      }).text,
    ).toBe(
      'Kept for Boris Brown, who last talked with this caller (3 h earlier) and was busy, for up to 0:15 while others were free',
    );
  });

  it("tells a queue's widening as the caller waited, and an offer it made possible", () => {
    expect(
      say('acd.widened', {
        queueId: 'support',
        step: 2,
        afterSeconds: 60,
        maxPenalty: 5,
        lowerSkillsBy: 1,
        dropSkills: ['billing', 'french'],
      }).text,
    ).toBe(
      'After 1:00 in Support, more agents may take the call: penalty up to 5, skills lowered by 1, billing, french not needed',
    );
    const offer = (widening: Record<string, unknown>) =>
      say('acd.offered', {
        queueId: 'support',
        agentIds: ['anna'],
        why: {
          strategy: 'skills_based',
          rule: 'skills_based: skill level sum 2, then longest idle',
          widening,
          considered: [
            {
              agentId: 'boris',
              eligible: false,
              excludedBecause: 'penalty 5 above the 0 allowed after 30 s of waiting',
            },
          ],
        },
      });
    const widened = offer({ step: 1, afterSeconds: 30, maxPenalty: 0, lowerSkillsBy: 1 });
    expect(widened.text).toBe(
      'Offered to Anna Allen (skills_based: skill level sum 2, then longest idle), the queue widened after 0:30: penalty up to 0, skills lowered by 1',
    );
    expect(widened.why).toEqual([
      'Boris Brown: passed over, penalty 5 above the 0 allowed after 30 s of waiting',
    ]);
    // The first step, at 0 s, is how narrow a call starts: no widening to tell.
    expect(offer({ step: 0, afterSeconds: 0, maxPenalty: 0 }).text).toBe(
      'Offered to Anna Allen (skills_based: skill level sum 2, then longest idle)',
    );
    expect(wideningText({})).toBe('');
  });

  it('tells an offer to the agent whose direct line the caller dialled', () => {
    expect(
      say('acd.offered', {
        queueId: 'sales',
        agentIds: ['anna'],
        why: {
          strategy: 'longest_idle',
          rule: 'direct_line: kept for this agent until 2026-12-07T10:00:30.000Z',
          considered: [],
          reservedFor: { agentId: 'anna', until: '2026-12-07T10:00:30.000Z' },
        },
      }).text,
    ).toBe('Offered to Anna Allen, whose direct line the caller dialled, ahead of the longest-idle strategy');
  });

  it("tells a customer's data erased at their request, with the recording it took", () => {
    expect(
      say('interaction.erased', { reason: 'request 2026-118', supervisor: { id: 'sam', name: 'Sam Super' } })
        .text,
    ).toBe("The customer's personal data was erased at their request by Sam Super: request 2026-118");
    expect(
      say('interaction.erased', {
        reason: 'personal data kept 90 days (retention.personalDataDays)',
        retentionDays: 90,
      }).text,
    ).toBe("The caller's personal data was erased after 90 days (retention)");
    expect(say('recording.deleted', { path: 'i-1.wav', reason: 'erasure' }).text).toBe(
      "Recording deleted with the customer's data (erased at their request)",
    );
    expect(say('recording.deleted', { path: 'i-1.wav', reason: 'retention', retentionDays: 90 }).text).toBe(
      'Recording deleted after 90 days (retention)',
    );
  });

  it('tells abandons, overflows, recordings and supervisors apart', () => {
    expect(say('acd.abandoned', { queueId: 'support', waitSeconds: 95, wasRinging: true }).text).toBe(
      'Hung up after waiting 1:35 in Support, while an agent was rung',
    );
    expect(
      say('acd.abandoned', {
        queueId: 'support',
        waitSeconds: 40,
        wasRinging: false,
        noCallback: 'no_number',
      }).text,
    ).toBe('Hung up after waiting 0:40 in Support; not called back: the number is withheld');
    expect(
      say('acd.overflowed', {
        fromQueueId: 'support',
        target: { type: 'queue', queueId: 'sales' },
        reason: 'max_wait',
      }).text,
    ).toBe('Left Support for the Sales queue: max_wait');
    expect(
      say('acd.overflowed', { fromQueueId: 'sales', target: { type: 'voicemail' }, reason: 'no_agents' })
        .text,
    ).toBe('Left Sales for voicemail: no_agents');
    expect(
      say('acd.overflowed', {
        fromQueueId: 'support',
        target: { type: 'queue', queueId: 'sales' },
        reason: 'moved',
        supervisor: { id: 'sam', name: 'Sam Super' },
      }).text,
    ).toBe('Moved from Support to the Sales queue by Sam Super');
    expect(say('acd.served_first', { queueId: 'sales' }).text).toBe(
      'Put first in line for Sales by a supervisor',
    );
    expect(say('recording.resumed', { agentId: 'anna', pausedSeconds: 31, reason: 'handed_over' }).text).toBe(
      'Recording resumed as the call was handed on after 0:31',
    );
    expect(say('recording.resumed', { agentId: 'anna', pausedSeconds: 9 }).text).toBe(
      'Recording resumed by Anna Allen after 0:09',
    );
    expect(
      say('supervisor.monitor', {
        monitorId: 'm1',
        agentId: 'anna',
        phone: { type: 'agent', id: 'boris' },
        mode: 'whisper',
        step: 'active',
      }).text,
    ).toBe("Supervisor whisper on Anna Allen's call (phone Boris Brown): active");
    expect(
      say('supervisor.monitor', {
        monitorId: 'm2',
        agentId: 'anna',
        phone: { type: 'number', id: '+15550100200' },
        mode: 'barge',
        step: 'ringing',
        supervisor: { id: 'sam', name: 'Sam Super' },
      }).text,
    ).toBe("Supervisor Sam Super barge on Anna Allen's call (phone +15550100200): ringing");
    const help = { agentId: 'anna', helpId: 'h1' };
    expect(say('agent.help', { ...help, step: 'asked', note: 'refund over my limit' }).text).toBe(
      `Anna Allen asked for a supervisor's help: "refund over my limit"`,
    );
    expect(
      say('agent.help', { ...help, step: 'taken', supervisor: { id: 'sam', name: 'Sam Super' } }).text,
    ).toBe("Sam Super took on Anna Allen's request for help");
    expect(
      say('agent.help', {
        ...help,
        step: 'ended',
        reason: 'resolved',
        supervisor: { id: 'sam', name: 'Sam Super' },
      }).text,
    ).toBe("Anna Allen's request for help seen to by Sam Super");
    expect(say('agent.help', { ...help, step: 'ended', reason: 'withdrawn' }).text).toBe(
      "Anna Allen's request for help withdrawn",
    );
    const flag = { flagId: 'f1', agentId: 'anna' };
    expect(
      say('caller.flag', { ...flag, step: 'raised', reason: 'abusive', note: 'threatened me' }).text,
    ).toBe('Anna Allen flagged the caller for blocking: abusive ("threatened me")');
    expect(say('caller.flag', { ...flag, step: 'raised', reason: 'spam' }).text).toBe(
      'Anna Allen flagged the caller for blocking: robocall or spam',
    );
    expect(
      say('caller.flag', {
        ...flag,
        step: 'blocked',
        blockId: 'b1',
        supervisor: { id: 'sam', name: 'Sam Super' },
      }).text,
    ).toBe("The number was blocked by Sam Super (Anna Allen's flag)");
    expect(say('caller.flag', { ...flag, step: 'dismissed' }).text).toBe("Anna Allen's flag was dismissed");
    expect(
      say('customer.do_not_call', { entryId: 'd1', step: 'added', agentId: 'anna', note: 'asked twice' })
        .text,
    ).toBe('Anna Allen noted the customer asked not to be called ("asked twice")');
    expect(
      say('customer.do_not_call', {
        entryId: 'd1',
        step: 'removed',
        supervisor: { id: 'sam', name: 'Sam Super' },
      }).text,
    ).toBe('Taken off the do-not-call list by Sam Super (the customer asked to be called again)');
    const block = { blockId: 'b1', number: '+15550777777', reason: 'abusive to agents' };
    expect(say('call.blocked', { ...block, blockedBy: { id: 'sam', name: 'Sam Super' } }).text).toBe(
      'Turned away: the number is blocked by Sam Super ("abusive to agents")',
    );
    expect(say('call.blocked', block).text).toBe('Turned away: the number is blocked ("abusive to agents")');
    expect(say('survey.result', { flowId: 'csat-survey', score: null }).text).toBe('Survey: no answer');
    expect(say('survey.result', { flowId: 'csat-survey', score: 4 }).text).toBe('Survey: scored 4 of 5');
  });

  it('tells whom Asterisk stopped sending audio to in a conference, and who still hears nothing', () => {
    expect(
      say('call.audio-restored', {
        during: 'conference',
        agentId: 'anna',
        restored: [
          { who: 'customer', channelId: 'c1' },
          { who: 'agent', id: 'boris', channelId: 'c2' },
        ],
        stillSilent: [],
      }).text,
    ).toBe(
      'Audio stopped reaching the customer and Boris Brown once a party joined: put back in the call, heard again',
    );
    expect(
      say('call.audio-restored', {
        during: 'barge',
        restored: [{ who: 'party', id: '+15553334444', channelId: 'c3' }],
        stillSilent: [
          { who: 'supervisor', id: 'sam', channelId: 'c4' },
          { who: 'other', channelId: 'c5' },
        ],
      }).text,
    ).toBe(
      'Audio stopped reaching +15553334444 once a supervisor barged in: put back in the call, heard again; still no audio reaching supervisor sam and channel c5',
    );
    expect(
      say('call.audio-restored', {
        during: 'barge',
        restored: [],
        stillSilent: [{ who: 'supervisor', channelId: 'c4' }],
      }).text,
    ).toBe('Once a supervisor barged in, still no audio reaching the supervisor');
  });

  it('shows an entry type it does not know as its type and fields, never dropping it', () => {
    expect(say('acd.teleported', { to: 'mars' }).text).toBe('acd.teleported {"to":"mars"}');
  });

  it('says when a callback was booked for, by whom, for whom and what about; and who cancelled it', () => {
    const at = Date.UTC(2026, 11, 7, 9, 0);
    expect(
      say('acd.callback', {
        queueId: 'support',
        step: 'requested',
        callerNumber: '+15551112222',
        scheduledFor: at,
        reservedFor: { agentId: 'anna', until: at + 3600_000 },
        by: { agentId: 'anna' },
        note: 'Confirm the refund',
      }).text,
    ).toBe(
      `Callback booked by Anna Allen for ${dateTimeLabel(at)} to +15551112222, kept for Anna Allen until ${dateTimeLabel(at + 3600_000)}: “Confirm the refund”`,
    );
    expect(
      say('acd.callback', {
        queueId: 'support',
        step: 'requested',
        callerNumber: '+15551112222',
        scheduledFor: at,
        by: { supervisor: null },
      }).text,
    ).toBe(`Callback booked by a supervisor for ${dateTimeLabel(at)} to +15551112222`);
    expect(
      say('acd.callback', {
        queueId: 'support',
        step: 'requested',
        callerNumber: '+15551112222',
        scheduledFor: at,
        by: { abandoned: { waitedSeconds: 42.3 } },
      }).text,
    ).toBe(
      `Callback booked by the queue (the caller gave up after 0:42) for ${dateTimeLabel(at)} to +15551112222`,
    );
    expect(
      say('acd.callback', {
        queueId: 'support',
        step: 'requested',
        callerNumber: '+15551112222',
        scheduledFor: at,
        by: { campaign: { id: 'renewals', name: 'Renewals' } },
        note: 'Renewals: account 1234',
      }).text,
    ).toBe(
      `Callback booked by campaign Renewals for ${dateTimeLabel(at)} to +15551112222: “Renewals: account 1234”`,
    );
    expect(
      say('acd.callback', {
        queueId: 'support',
        step: 'closed',
        attempt: 0,
        reason: 'cancelled',
        by: { supervisor: { id: 'sam', name: 'Sam Super' } },
      }).text,
    ).toBe('Callback closed by supervisor Sam Super: cancelled');
    // A waiting caller's own request reads as before.
    expect(say('acd.callback', { queueId: 'support', step: 'requested', callerNumber: '+1555' }).text).toBe(
      'Callback requested',
    );
    expect(dateTimeLabel(new Date(2026, 11, 7, 9, 5).getTime())).toBe('Mon 7 Dec 09:05');
  });
});
