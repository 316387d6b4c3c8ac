/** The site's numbering plan: every local form of a number read as one E.164 form, anything else kept. */
import { describe, expect, it } from 'vitest';
import { NumberPlan } from '../../../src/calls/number-plan.js';

const UK = new NumberPlan({
  countryCode: '44',
  internationalPrefix: '00',
  trunkPrefix: '0',
  nationalNumberLengths: [9, 10],
});
const NANP = new NumberPlan({
  countryCode: '1',
  internationalPrefix: '011',
  trunkPrefix: '1',
  nationalNumberLengths: [10],
});

describe('NumberPlan.canonical', () => {
  it.each([
    ['+447700900123', '+447700900123'], // E.164 already
    ['+44 7700 900123', '+447700900123'], // as people write it
    ['07700900123', '+447700900123'], // national, with the trunk prefix
    ['07700 900-123', '+447700900123'],
    ['7700900123', '+447700900123'], // national, without it
    ['447700900123', '+447700900123'], // E.164 without its +, as carriers send it
    ['00447700900123', '+447700900123'], // international prefix
    ['0015551230000', '+15551230000'], // another country's
    ['01632960123', '+441632960123'], // 0 + a ten-digit number
    ['0163296012', '+44163296012'], // 0 + a nine-digit number: not read as a national ten
  ])('UK: %s → %s', (raw, canonical) => {
    expect(UK.canonical(raw)).toBe(canonical);
  });

  it.each([
    ['+15551230000', '+15551230000'],
    ['15551230000', '+15551230000'], // 1 + ten digits: trunk prefix and country code alike
    ['5551230000', '+15551230000'],
    ['(555) 123-0000', '+15551230000'],
    ['011447700900123', '+447700900123'],
  ])('North America: %s → %s', (raw, canonical) => {
    expect(NANP.canonical(raw)).toBe(canonical);
  });

  it.each([
    ['1001', '1001'], // an extension: no national length
    ['999', '999'], // a short code
    ['00123', '00123'], // too short to be international after its prefix
    ['anonymous', 'anonymous'],
    ['agent1', 'agent1'],
    ['', ''],
    ['077009001234567', '077009001234567'], // too long to be national: kept, to be seen as it came
  ])('UK keeps what is not a national or international number: %s', (raw, kept) => {
    expect(UK.canonical(raw)).toBe(kept);
  });

  it('without a plan keeps numbers as delivered, separators dropped', () => {
    expect(NumberPlan.asDelivered.canonical('07700900123')).toBe('07700900123');
    expect(NumberPlan.asDelivered.canonical('+1 (555) 123-0000')).toBe('+15551230000');
    expect(NumberPlan.asDelivered.canonical('15551230000')).toBe('15551230000');
  });

  it.each([
    ['e164', '07700 900123', '+447700900123'],
    ['e164-digits', '07700 900123', '447700900123'],
    ['international', '+447700900123', '00447700900123'],
    ['national', '+447700900123', '07700900123'],
    ['national', '0015551230000', '0015551230000'], // another country's: with the international prefix
    ['national', '1001', '1001'], // an extension: as given
  ] as const)('dialString with dialAs %s: %s → %s', (dialAs, raw, dialled) => {
    const plan = new NumberPlan({ ...UK.config!, dialAs });
    expect(plan.dialString(raw)).toBe(dialled);
    expect(plan.trunkEndpoint(raw, 'carrier')).toBe(`PJSIP/${dialled}@carrier`);
  });

  it('dialString without a plan dials the number as given, separators dropped (as before plans)', () => {
    expect(NumberPlan.asDelivered.dialString('0 7700 900123')).toBe('07700900123');
    expect(UK.dialString('+447700900123')).toBe('+447700900123'); // dialAs defaults to e164
  });

  it('read() gives the form it came in only when it differs', () => {
    expect(UK.read('07700900123')).toEqual({ number: '+447700900123', asDelivered: '07700900123' });
    expect(UK.read('+447700900123')).toEqual({ number: '+447700900123' });
    expect(UK.read('')).toEqual({ number: '' });
  });
});
