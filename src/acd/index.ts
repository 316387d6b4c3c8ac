/**
 * ACD: queue definitions, routing strategies and the pure QueueRouter.
 * Nothing here does I/O or reads the clock: time arrives as `now` (epoch ms), randomness as `rng`,
 * timers leave as `scheduleTimer` decisions and come back as `timerFired` inputs.
 * Line order and the multi-queue rule: entries.ts and router-matching.ts (route). Wait estimate: estimate.ts.
 */
export * from './callback.js';
export * from './entries.js';
export * from './estimate.js';
export * from './hours.js';
export { emptyRouterState, parseTimerKey, timerKey, TIMER_KINDS, type TimerKind } from './router-core.js';
export * from './router-types.js';
export * from './router.js';
export * from './schema.js';
export * from './stats.js';
export * from './strategies.js';
export * from './validate-queues.js';
export * from './callback-restore.js';
