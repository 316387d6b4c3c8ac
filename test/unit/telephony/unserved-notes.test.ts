import { describe, expect, it } from 'vitest';
import { parseUnservedNote } from '../../../src/telephony/unserved-notes.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('parseUnservedNote (the dialplan note of a call turned away while the service was away)', () => {
  it('reads every part, the caller name with the separator and a comma in it', () => {
    const value = `1796143643696|carrier|100|${b64('+15550777001')}|${b64('Smith, Jane | VIP')}`;
    expect(parseUnservedNote('contact-center-1796143643.0', value)).toEqual({
      channelId: 'contact-center-1796143643.0',
      at: 1796143643696,
      trunk: 'carrier',
      dialedNumber: '100',
      callerNumber: '+15550777001',
      callerName: 'Smith, Jane | VIP',
    });
  });

  it('reads a name outside ASCII as UTF-8', () => {
    const note = parseUnservedNote('c1', `1796143643696|carrier|100|${b64('+1555')}|${b64('Zoë Ünal')}`);
    expect(note.callerName).toBe('Zoë Ünal');
    expect(note.unreadable).toBeUndefined();
  });

  it('leaves out an empty caller number and name (an anonymous caller)', () => {
    const note = parseUnservedNote('c1', '1796143643696|carrier|100||');
    expect(note).toEqual({ channelId: 'c1', at: 1796143643696, trunk: 'carrier', dialedNumber: '100' });
  });

  it.each([
    ['a time that is not epoch ms', `yesterday|carrier|100|${b64('+1555')}|${b64('Ann')}`],
    ['a number that is not base64', '1796143643696|carrier|100|+1555|'],
    ['more parts than the format has', `1796143643696|carrier|100|${b64('+1555')}|${b64('Ann')}|x`],
    ['a note cut short', '1796143643696|carrier'],
  ])('keeps the raw note when part of it is unreadable: %s', (_, value) => {
    const note = parseUnservedNote('c1', value);
    expect(note.unreadable).toBe(value);
    expect(note.channelId).toBe('c1');
  });

  it('still reads the parts it can of a partly unreadable note', () => {
    const note = parseUnservedNote('c1', `soon|carrier|100|${b64('+1555')}|`);
    expect(note).toMatchObject({ trunk: 'carrier', dialedNumber: '100', callerNumber: '+1555' });
    expect(note.at).toBeUndefined();
  });
});
