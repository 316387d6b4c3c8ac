/**
 * IVR flow API. Flow files in `ivr-flows/` import from here:
 *
 *   import { defineFlow, play, menu, queue } from '../src/ivr/index.js';
 *
 * Everything exported is pure (no I/O, no timers, no wall clock).
 */
export * from './builders.js';
export * from './builtin.js';
export * from './check.js';
export * from './hours.js';
export * from './runtime.js';
export * from './simulator.js';
export * from './types.js';
