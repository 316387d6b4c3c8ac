import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSeat } from '../../../../src/agents/index.js';
import { AcdRuntime } from '../../../../src/calls/acd/acd-runtime.js';
import type { Telephony } from '../../../../src/telephony/telephony.js';
import { agentDef, queueDef } from '../../acd/helpers.js';

afterEach(() => vi.useRealTimers());

describe("the fewest-calls strategy's day", () => {
  it("starts every agent's count again at local midnight, and again the next night", () => {
    const evening = new Date(2026, 11, 1, 23, 59, 0).getTime();
    vi.useFakeTimers({ now: evening });
    const acd = new AcdRuntime({
      telephony: { ari: {} } as unknown as Telephony,
      hub: { publish() {} } as never,
      logger: pino({ level: 'silent' }),
      queues: [queueDef({ id: 'q', strategy: 'fewest_calls' })],
      agents: [agentDef('a1', ['q']), agentDef('a2', ['q'])],
      seats: { a1: { ...createSeat('a1', evening), callsHandledToday: 7 } },
    });
    expect(acd.router.seat('a1')?.callsHandledToday).toBe(7);
    vi.advanceTimersByTime(59_000);
    expect(acd.router.seat('a1')?.callsHandledToday).toBe(7); // not yet
    vi.advanceTimersByTime(1_000);
    expect(acd.router.seat('a1')?.callsHandledToday).toBe(0);
    expect(vi.getTimerCount()).toBe(1); // the next night's reset
    acd.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resets at midnight in the contact center's time zone, not the process's", () => {
    const tokyoEvening = Date.parse('2026-12-01T14:59:00Z'); // 23:59 in Tokyo
    vi.useFakeTimers({ now: tokyoEvening });
    const published: { type: string; data: unknown }[] = [];
    const acd = new AcdRuntime({
      telephony: { ari: {} } as unknown as Telephony,
      hub: { publish: (type: string, data: unknown) => published.push({ type, data }) } as never,
      logger: pino({ level: 'silent' }),
      queues: [queueDef({ id: 'q', strategy: 'fewest_calls' })],
      agents: [agentDef('a1', ['q'])],
      seats: { a1: { ...createSeat('a1', tokyoEvening), callsHandledToday: 3 } },
      timeZone: 'Asia/Tokyo',
    });
    expect(new Date(acd.today()).toISOString()).toBe('2026-11-30T15:00:00.000Z');
    vi.advanceTimersByTime(59_000);
    expect(acd.router.seat('a1')?.callsHandledToday).toBe(3);
    vi.advanceTimersByTime(1_000);
    expect(acd.router.seat('a1')?.callsHandledToday).toBe(0);
    expect(new Date(acd.today()).toISOString()).toBe('2026-12-01T15:00:00.000Z');
    // The pages showing "today" are told to read their figures afresh.
    expect(published.filter((e) => e.type === 'day.started')).toEqual([
      { type: 'day.started', data: { startedAt: '2026-12-01T15:00:00.000Z', timeZone: 'Asia/Tokyo' } },
    ]);
    acd.stop();
  });
});
