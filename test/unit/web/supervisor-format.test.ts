/** The wallboard's pure helpers (src/web/supervisor/format.js): figures as written, phones, seat shapes. */
import { describe, expect, it } from 'vitest';
import {
  clock,
  duration,
  localDay,
  normalizeSeat,
  onCall,
  parsePhone,
  percent,
  serviceLevelWarnings,
  stateLabel,
} from '../../../src/web/supervisor/format.js';

describe('wallboard formatting', () => {
  it('writes durations as m:ss, and h:mm:ss from an hour', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(9.9)).toBe('0:09');
    // To the tenth first, as the reports give figures: a call's 5.96 s reads 0:06 in both places.
    expect(clock(5.96)).toBe('0:06');
    expect(clock(5.94)).toBe('0:05');
    expect(clock(59.95)).toBe('1:00');
    expect(clock(5.96)).toBe(clock(Math.round(5.96 * 10) / 10)); // the raw figure and the report's
    expect(clock(75)).toBe('1:15');
    expect(clock(3599)).toBe('59:59');
    expect(clock(3600)).toBe('1:00:00');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(-5)).toBe('0:00');
    expect(clock(Number.NaN)).toBe('0:00');
  });

  it("writes a day as YYYY-MM-DD on the browser's own calendar (the default range of reports and calls)", () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
    expect(localDay(new Date(2026, 11, 31, 0, 0))).toBe('2026-12-31');
    expect(localDay()).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('shows a dash for a figure with nothing to count yet', () => {
    expect(duration(null)).toBe('–');
    expect(duration(61)).toBe('1:01');
    expect(percent(null)).toBe('–');
    expect(percent(87.4)).toBe('87 %');
    expect(percent(0)).toBe('0 %');
    expect(percent(100)).toBe('100 %');
  });

  it('names states in words', () => {
    expect(stateLabel('available')).toBe('Ready');
    expect(stateLabel('not_ready')).toBe('Not ready');
    expect(stateLabel('something_new')).toBe('something_new');
  });
});

describe('service-level warnings on a queue card', () => {
  it('warns of a caller waiting past the threshold and of a service level below the target, each alone', () => {
    const figures = { serviceLevelSeconds: 20, serviceLevelPercent: 75, serviceLevelTargetPercent: 80 };
    expect(serviceLevelWarnings({ ...figures, longestWaitSeconds: 20 })).toEqual({
      waitOver: false,
      belowTarget: true,
    });
    expect(serviceLevelWarnings({ ...figures, longestWaitSeconds: 20.5 }).waitOver).toBe(true);
    expect(
      serviceLevelWarnings({ ...figures, longestWaitSeconds: 0, serviceLevelPercent: 80 }).belowTarget,
    ).toBe(false);
    // No target, or no calls to measure yet: nothing to be below.
    expect(
      serviceLevelWarnings({ ...figures, longestWaitSeconds: 0, serviceLevelTargetPercent: null })
        .belowTarget,
    ).toBe(false);
    expect(
      serviceLevelWarnings({ ...figures, longestWaitSeconds: 0, serviceLevelPercent: null }).belowTarget,
    ).toBe(false);
    expect(serviceLevelWarnings({ longestWaitSeconds: 99 }).waitOver).toBe(false);
  });
});

describe('My phone', () => {
  it('takes digits (with +, spaces, dashes, brackets) as a number and anything else as an agent id', () => {
    expect(parsePhone('  ')).toBeNull();
    expect(parsePhone('5551234')).toEqual({ type: 'number', number: '5551234' });
    expect(parsePhone('+1 (555) 123-4567')).toEqual({ type: 'number', number: '15551234567' });
    expect(parsePhone('agent7')).toEqual({ type: 'agent', agentId: 'agent7' });
    expect(parsePhone(' sup1 ')).toEqual({ type: 'agent', agentId: 'sup1' });
  });
});

describe('seat shapes', () => {
  it('reads the REST shape', () => {
    const seat = normalizeSeat({ type: 'talking', interactionId: 'i-1', notReadyAfter: 'lunch' });
    expect(seat).toEqual({
      type: 'talking',
      reason: '',
      interactionId: 'i-1',
      queueId: '',
      notReadyAfter: 'lunch',
    });
    expect(onCall(seat)).toBe(true);
  });

  it('reads the router shape of the snapshot and agent.state events', () => {
    const seat = normalizeSeat({
      type: 'on_hold',
      heldAt: 1,
      call: { interactionId: 'i-2', queueId: 'support', after: { type: 'not_ready', reason: 'break' } },
    });
    expect(seat).toMatchObject({ type: 'on_hold', interactionId: 'i-2', queueId: 'support' });
    expect(seat.notReadyAfter).toBe('break');
    expect(onCall(seat)).toBe(true);
    expect(normalizeSeat({ type: 'not_ready', reason: 'lunch' })).toMatchObject({ reason: 'lunch' });
    expect(onCall(normalizeSeat({ type: 'wrap_up', interactionId: 'i-3', until: 5 }))).toBe(false);
    expect(normalizeSeat(undefined).type).toBe('logged_out');
  });
});
