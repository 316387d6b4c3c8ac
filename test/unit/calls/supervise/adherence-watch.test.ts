/**
 * Real-time adherence (AdherenceWatch): seats held against the roster as they change and as shifts and breaks
 * begin or end, told past the grace period. Fake timers and seats, the real event hub (each event checked
 * against its schema).
 */
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Shift } from '../../../../src/agents/shifts.js';
import { AdherenceWatch } from '../../../../src/calls/supervise/adherence-watch.js';
import { EventHub, type StreamEvent } from '../../../../src/events/event-hub.js';

const MIN = 60_000;
const T0 = Date.parse('2026-12-07T09:00:00Z');

let seats: Map<string, string>;
let roster: Shift[];
let hub: EventHub;
let told: StreamEvent[];
let watch: AdherenceWatch;

const shift = (agentId: string, from: number, to: number, breaks: Shift['breaks'] = []): Shift => ({
  id: `${agentId}@${from}`,
  agentId,
  start: T0 + from * MIN,
  end: T0 + to * MIN,
  note: null,
  createdAt: 0,
  breaks,
});
/** The seat changes, as the ACD tells it on the stream. */
const seatTo = (agentId: string, to: string) => {
  const from = seats.get(agentId) ?? 'logged_out';
  seats.set(agentId, to);
  hub.publish('agent.state', {
    agentId,
    from: { type: from },
    to: { type: to },
    callsHandledToday: 0,
  } as never);
};
const said = () =>
  told.map((e) => {
    const d = e.data as {
      inAdherence: boolean;
      exception: { agentId: string; activity: string; agentState: string; since: string };
    };
    return [
      d.exception.agentId,
      d.inAdherence,
      d.exception.activity,
      d.exception.agentState,
      (Date.parse(d.exception.since) - T0) / MIN,
    ];
  });

beforeEach(async () => {
  vi.useFakeTimers({ now: T0 - 10 * MIN });
  seats = new Map();
  roster = [];
  hub = new EventHub(Date.now, 1000, 'throw');
  told = [];
  hub.subscribe((e) => {
    if (e.type === 'shift.adherence') told.push(e);
  });
});
afterEach(() => {
  watch.stop();
  vi.useRealTimers();
});

const startWatch = async () => {
  watch = new AdherenceWatch({
    seat: (agentId) => ({ state: { type: seats.get(agentId) ?? 'logged_out' } as never }),
    hub,
    shifts: { overlapping: async (from, to) => roster.filter((s) => s.start < to && s.end > from) },
    graceMs: 5 * MIN,
    now: Date.now,
    logger: pino({ level: 'silent' }),
  });
  await watch.start();
};

describe('real-time adherence', () => {
  it('tells an agent not signed in five minutes into their shift, and when they are back', async () => {
    roster = [shift('anna', 0, 480)];
    await startWatch();
    await vi.advanceTimersByTimeAsync(14 * MIN); // 09:04: within the grace period
    expect(told).toEqual([]);
    await vi.advanceTimersByTimeAsync(1 * MIN); // 09:05
    expect(said()).toEqual([['anna', false, 'working', 'logged_out', 0]]);
    expect(watch.standing().map((e) => e.agentId)).toEqual(['anna']);
    seatTo('anna', 'available');
    expect(said().at(-1)).toEqual(['anna', true, 'working', 'available', 0]);
    expect(watch.standing()).toEqual([]);
  });

  it('holds a break: away is kept, taking calls through it is not; a late return from it is timed from its end', async () => {
    roster = [shift('anna', 0, 480, [{ start: T0 + 180 * MIN, end: T0 + 210 * MIN, label: 'Lunch' }])];
    seats.set('anna', 'available');
    await startWatch();
    await vi.advanceTimersByTimeAsync(190 * MIN); // 12:00: lunch begun, still taking calls
    expect(told).toEqual([]);
    await vi.advanceTimersByTimeAsync(5 * MIN); // 12:05
    expect(said()).toEqual([['anna', false, 'break', 'available', 180]]);
    seatTo('anna', 'not_ready'); // off to lunch at last
    expect(said().at(-1)?.slice(0, 3)).toEqual(['anna', true, 'break']);
    // Lunch ends at 12:30; back at 12:33 (within the grace period): nothing told.
    await vi.advanceTimersByTimeAsync(28 * MIN);
    seatTo('anna', 'available');
    await vi.advanceTimersByTimeAsync(12 * MIN);
    expect(told).toHaveLength(2);
    // Signed out at 12:45 and not back: told at 12:50, timed from 12:45; signed in not ready, told again.
    seatTo('anna', 'logged_out');
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(said().at(-1)).toEqual(['anna', false, 'working', 'logged_out', 225]);
    seatTo('anna', 'not_ready');
    expect(said().at(-1)).toEqual(['anna', false, 'working', 'not_ready', 225]);
    expect(watch.standing().map((e) => e.agentState)).toEqual(['not_ready']);
    // The shift ends at 17:00: nothing is planned any more, so the exception ends.
    await vi.advanceTimersByTimeAsync(260 * MIN);
    expect(said().at(-1)?.slice(0, 2)).toEqual(['anna', true]);
    expect(watch.standing()).toEqual([]);
  });

  it('follows the roster: a shift put on now is held at once, one taken off ends its exception', async () => {
    await startWatch();
    vi.setSystemTime(T0 + 60 * MIN);
    roster = [shift('boris', 0, 480)];
    hub.publish('shift.changed', { change: 'added', agentIds: ['boris'] });
    await vi.advanceTimersByTimeAsync(5 * MIN);
    expect(said()).toEqual([['boris', false, 'working', 'logged_out', 60]]);
    roster = [];
    hub.publish('shift.changed', { change: 'removed', agentIds: ['boris'] });
    await vi.advanceTimersByTimeAsync(0);
    expect(said().at(-1)?.slice(0, 2)).toEqual(['boris', true]);
    expect(watch.standing()).toEqual([]);
  });
});
