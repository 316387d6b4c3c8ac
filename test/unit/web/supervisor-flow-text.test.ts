/** The wallboard's IVR flows in words (src/web/supervisor/flow-text.js). */
import { describe, expect, it } from 'vitest';
import { type FlowFile, flowChangeText, flowStatusText } from '../../../src/web/supervisor/flow-text.js';

const time = (iso: string) => iso.slice(11, 16);
const file = (over: Partial<FlowFile> = {}): FlowFile => ({
  file: 'ivr-flows/main.ts',
  ok: true,
  flowId: 'main',
  version: '3f2a9c1d0b7e',
  loadedAt: '2026-12-07T10:02:00Z',
  attemptedVersion: '3f2a9c1d0b7e',
  checkedAt: '2026-12-07T10:02:00Z',
  errors: [],
  warnings: [],
  ...over,
});

describe('an IVR flow file in words', () => {
  it('says what serves, and for a file refused whether its last good version still does', () => {
    expect(flowStatusText(file(), time)).toBe('Serving main (version 3f2a9c1d0b7e) since 10:02');
    const refused = file({ ok: false, attemptedVersion: '9c1d', checkedAt: '2026-12-07T10:05:00Z' });
    expect(flowStatusText(refused, time)).toBe(
      "Refused at 10:05: main's version 3f2a9c1d0b7e from 10:02 still serves",
    );
    expect(flowStatusText({ ...refused, fromArchive: true }, time)).toBe(
      "Refused at 10:05: main's version 3f2a9c1d0b7e from before the restart still serves",
    );
    const never = file({ ok: false, version: undefined, loadedAt: undefined, flowId: undefined });
    expect(flowStatusText({ ...never, checkedAt: '2026-12-07T10:05:00Z' }, time)).toBe(
      'Refused at 10:05: nothing serves it',
    );
  });

  it('says a change from the live stream in a line', () => {
    expect(flowChangeText({ file: 'ivr-flows/main.ts', change: 'loaded', version: '9c1d' })).toBe(
      'main.ts loaded: version 9c1d serves',
    );
    expect(
      flowChangeText({
        file: 'main.ts',
        change: 'refused',
        version: '9c1d',
        serving: '3f2a',
        errors: ['a', 'b'],
      }),
    ).toBe('main.ts refused (2 errors): version 3f2a still serves');
    expect(flowChangeText({ file: 'new.ts', change: 'refused', version: '9c1d', errors: ['a'] })).toBe(
      'new.ts refused (1 error): nothing serves it',
    );
    expect(flowChangeText({ file: 'ivr-flows/old.ts', change: 'removed' })).toBe('old.ts removed');
  });
});
