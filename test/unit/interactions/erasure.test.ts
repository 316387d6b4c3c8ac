import { describe, expect, it } from 'vitest';
import { NumberPlan } from '../../../src/calls/number-plan.js';
import { ERASED, maskNumber, scrubPayload } from '../../../src/interactions/erasure.js';

const UK = new NumberPlan({
  countryCode: '44',
  internationalPrefix: '00',
  trunkPrefix: '0',
  nationalNumberLengths: [9, 10],
});

describe("a customer's data erased from a timeline entry", () => {
  const forms = UK.writtenForms('07700 900123');

  it('knows every form the number may be on record in', () => {
    expect(new Set(forms)).toEqual(
      new Set(['+447700900123', '07700900123', '447700900123', '00447700900123', '7700900123']),
    );
    // Without a plan: as given (separators dropped), and an E.164 one without its +.
    expect(NumberPlan.asDelivered.writtenForms('+1 555 010 0001')).toEqual(['+15550100001', '15550100001']);
    expect(NumberPlan.asDelivered.writtenForms('2001')).toEqual(['2001']);
  });

  it("erases a transfer's note for the next agent (what the caller wants), keeping who passed it where", () => {
    const transfer = {
      agentId: 'anna',
      kind: 'blind',
      target: { type: 'queue', id: 'billing' },
      step: 'requested',
      note: 'wants a refund for order 123',
    };
    expect(scrubPayload(transfer, forms)).toEqual({ value: { ...transfer, note: ERASED }, changed: true });
  });

  it('erases strings holding the number in any form and every personal field, keeping the rest', () => {
    const { value, changed } = scrubPayload(
      {
        queueId: 'sales',
        agentId: 'anna',
        step: 'requested',
        callerNumber: '+447700900123',
        target: { type: 'number', number: '00447700900123' },
        reason: 'called back on 07700900123 twice',
        notes: 'wants a refund',
        detail: { digits: '4242', option: '1' },
        skills: { billing: 2 },
        waitSeconds: 12,
        supervisor: { id: 'sam', name: 'Sam Super' },
        agentIds: ['anna', '7700900123'],
        note: null,
      },
      forms,
    );
    expect(changed).toBe(true);
    expect(value).toEqual({
      queueId: 'sales',
      agentId: 'anna',
      step: 'requested',
      callerNumber: ERASED,
      target: { type: 'number', number: ERASED },
      reason: ERASED,
      notes: ERASED,
      detail: ERASED,
      skills: { billing: 2 },
      waitSeconds: 12,
      supervisor: { id: 'sam', name: 'Sam Super' },
      agentIds: ['anna', ERASED],
      note: null,
    });
  });

  it('leaves an entry without their data as it was (not rewritten)', () => {
    const payload = { queueId: 'sales', agentId: 'anna', waitSeconds: 3, callerNumber: '+447700900999' };
    const { value, changed } = scrubPayload(payload, forms);
    expect(changed).toBe(false);
    expect(value).toBe(payload);
    // Erased once already, or nothing in it: nothing more to do.
    expect(scrubPayload({ notes: ERASED, callerData: {}, note: '', detail: null }, forms).changed).toBe(
      false,
    );
  });

  it('masks a number for the change log: enough to tell requests apart, not to call anyone', () => {
    expect(maskNumber('+447700900123')).toBe('+447•••••••23');
    expect(maskNumber('123456')).toBe('••••••');
  });
});
