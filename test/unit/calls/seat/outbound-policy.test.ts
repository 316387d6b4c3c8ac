import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OUTBOUND_POLICY,
  DestinationRefused,
  holdSecondsAt,
  OutboundPolicy,
} from '../../../../src/calls/seat/outbound-policy.js';
import { NumberPlan } from '../../../../src/calls/number-plan.js';
import { parseConfig } from '../../../../src/config/load.js';

describe('OutboundPolicy: which numbers agents may dial', () => {
  const policy = new OutboundPolicy();

  it('allows international and national numbers by default', () => {
    expect(policy.refusal('+15551230000')).toBeNull();
    expect(policy.refusal('4930123456')).toBeNull();
  });

  it('refuses premium-rate, malformed and empty numbers with a reason', () => {
    expect(policy.refusal('+19005550100')).toMatch(/barred/);
    expect(policy.refusal('0900123456')).toMatch(/barred/);
    expect(policy.refusal('12')).toMatch(/not a number agents may dial: type it in international format/);
    expect(policy.refusal('callme')).toMatch(/not a number agents may dial/);
    expect(policy.refusal('')).toBe('no number was given');
    expect(() => policy.check('+19005550100')).toThrow(DestinationRefused);
  });

  it('normalises what a person types', () => {
    expect(OutboundPolicy.normalise(' +1 (555) 123-0000 ')).toBe('+15551230000');
    expect(OutboundPolicy.normalise('555.123.0000')).toBe('5551230000');
  });

  it('with a numbering plan, reads a number typed nationally in its E.164 form too, for allow and deny alike', () => {
    const uk = new NumberPlan({
      countryCode: '44',
      internationalPrefix: '00',
      trunkPrefix: '0',
      nationalNumberLengths: [9, 10],
    });
    const rules = {
      ...DEFAULT_OUTBOUND_POLICY,
      allowedDestinations: ['^\\+44'],
      deniedDestinations: ['^\\+449'],
    };
    const planned = new OutboundPolicy(rules, uk);
    expect(planned.refusal('07700900123')).toBeNull(); // +447700900123
    expect(planned.refusal('00447700900123')).toBeNull();
    expect(planned.refusal('09098790000')).toMatch(/^09098790000 is a barred destination/); // +449098790000
    expect(planned.refusal('0015551230000')).toMatch(/not a number agents may dial/); // +15551230000
    // Without the plan the same rules see only what was typed.
    expect(new OutboundPolicy(rules).refusal('07700900123')).toMatch(/not a number agents may dial/);
  });

  it('follows the configured patterns; a deny rule wins over an allow rule', () => {
    const internal = new OutboundPolicy({
      ...DEFAULT_OUTBOUND_POLICY,
      allowedDestinations: ['^\\+44'],
      deniedDestinations: ['^\\+449'],
    });
    expect(internal.refusal('+442071234567')).toBeNull();
    expect(internal.refusal('+15551230000')).toMatch(/not a number agents may dial/);
    expect(internal.refusal('+449123')).toMatch(/barred/);
  });

  it('names a pattern that is not a regular expression', () => {
    expect(() => new OutboundPolicy({ ...DEFAULT_OUTBOUND_POLICY, allowedDestinations: ['(+'] })).toThrow(
      /outbound.allowedDestinations: "\(\+" is not a valid regular expression/,
    );
  });

  it('presents the fixed caller ID (with a name) or withholds it', () => {
    expect(policy.callerId()).toEqual({ callerId: 'contact-center', variables: {}, shown: 'contact-center' });
    const named = new OutboundPolicy({
      ...DEFAULT_OUTBOUND_POLICY,
      callerId: { mode: 'fixed', number: '+15550009999', name: 'Acme "Support"' },
    });
    expect(named.callerId().callerId).toBe('"Acme Support" <+15550009999>');
    const withheld = new OutboundPolicy({
      ...DEFAULT_OUTBOUND_POLICY,
      callerId: { mode: 'withheld', number: 'x' },
    });
    expect(withheld.callerId()).toMatchObject({
      variables: { 'CALLERID(pres)': 'prohib' },
      shown: 'withheld',
    });
  });

  it('is what the configuration gives by default', () => {
    const config = parseConfig({ asterisk: { ariPassword: 'x'.repeat(12), amiSecret: 'y'.repeat(12) } });
    expect(config.outbound).toEqual({
      callerId: { mode: 'fixed', number: 'contact-center' },
      allowedDestinations: DEFAULT_OUTBOUND_POLICY.allowedDestinations,
      deniedDestinations: DEFAULT_OUTBOUND_POLICY.deniedDestinations,
      ringSeconds: 30,
    });
  });
});

describe('holdSecondsAt', () => {
  it('adds the hold in progress to what was already counted', () => {
    expect(holdSecondsAt(4, 10_000, 12_500)).toBe(6.5);
    expect(holdSecondsAt(4, undefined, 12_500)).toBe(4);
    expect(holdSecondsAt(0, 13_000, 12_500)).toBe(0);
  });
});
