/** A campaign call listened to for an answering machine, in words (src/web/common/machine-text.js). */
import { describe, expect, it } from 'vitest';
import { machineNoteText, machineTimelineText } from '../../../src/web/common/machine-text.js';

const detected = (verdict: string, action: string) => ({
  step: 'detected',
  verdict,
  action,
  afterMs: 1522,
  reason: 'talking for over 1.5 s without a pause',
});

describe('answering-machine detection in words', () => {
  it("reads each step on a call's timeline", () => {
    expect(machineTimelineText({ step: 'listening' })).toBe(
      'The line answered: listening for an answering machine',
    );
    expect(machineTimelineText(detected('machine', 'leave_message'))).toBe(
      "Heard an answering machine after 1.5 s (talking for over 1.5 s without a pause): left the campaign's message",
    );
    expect(machineTimelineText(detected('machine', 'hung_up'))).toMatch(/: hung up on$/);
    expect(
      machineTimelineText({
        step: 'detected',
        verdict: 'human',
        action: 'put_through',
        afterMs: 1403,
        reason: 'a short greeting (0.6 s), then silence',
      }),
    ).toBe('Heard a person after 1.4 s (a short greeting (0.6 s), then silence): put through');
    expect(machineTimelineText({ ...detected('unsure', 'put_through'), reason: undefined })).toBe(
      'Heard someone it could not tell after 1.5 s: put through',
    );
    expect(machineTimelineText({ step: 'message', outcome: 'played' })).toBe(
      'Message to the answering machine: played to its end',
    );
    expect(machineTimelineText({ step: 'message', outcome: 'hung_up' })).toBe(
      'Message to the answering machine: the machine hung up first',
    );
  });

  it('tells the agent what is going on with their call, and that a machine frees them', () => {
    expect(machineNoteText({ step: 'listening' })).toBe(
      'The customer answered: checking for an answering machine…',
    );
    expect(machineNoteText(detected('human', 'put_through'))).toBe('A person answered: you are through.');
    expect(machineNoteText(detected('unsure', 'put_through'))).toBe('Put through: someone answered.');
    expect(machineNoteText(detected('machine', 'leave_message'))).toBe(
      "An answering machine answered: the campaign's message is left without you. You are free for the next call.",
    );
    expect(machineNoteText(detected('machine', 'hung_up'))).toBe(
      'An answering machine answered and was hung up on. You are free for the next call.',
    );
    // The message's own course is not the agent's business any more.
    expect(machineNoteText({ step: 'message', outcome: 'played' })).toBe('');
  });
});
