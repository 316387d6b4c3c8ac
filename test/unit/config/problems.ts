import { ConfigError } from '../../../src/config/load.js';

/** The problems a configuration was refused with (fails the test when it was accepted). */
export function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
