/** A port that answers every verb at once and as little as it can; a test overrides the verbs it is about. */
import type { IvrPort } from '../../../src/ivr/index.js';

export function fakePort(overrides: Partial<IvrPort> = {}): IvrPort {
  return {
    answer: async () => ({}),
    play: async () => ({}),
    collectDigits: async () => ({ digits: '', reason: 'timeout' }),
    record: async () => ({ recordingId: 'r', durationMs: 1, endedBy: 'silence' }),
    httpDip: async () => ({ kind: 'timeout' }),
    setLanguage: async () => ({}),
    now: () => 0,
    ...overrides,
  };
}
