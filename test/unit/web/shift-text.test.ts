/** Shifts in words on the wallboard (src/web/common/shift-text.js). */
import { describe, expect, it } from 'vitest';
import {
  adherenceCells,
  adherenceText,
  breaksInput,
  exceptionCells,
  exceptionsText,
  offRosterText,
  breaksText,
  hoursText,
  nextPlanChange,
  plannedNow,
  readBreaks,
  scheduleLines,
  shiftNow,
  shiftSpan,
  shiftTime,
  weekGrid,
} from '../../../src/web/common/shift-text.js';

describe('shift text', () => {
  it("writes an exception of the adherence history as the table's cells, on the browser's clock", () => {
    const label = (state: string) => ({ logged_out: 'Logged out', available: 'Ready' })[state] ?? state;
    const { start: since, end: endedAt } = shiftSpan('2026-12-07', '09:10', '09:30');
    const over = {
      activity: 'working' as const,
      label: null,
      since,
      endedAt,
      seconds: 1200,
      agentState: 'logged_out',
      endedState: 'available',
    };
    expect(exceptionCells(over, label)).toEqual([
      'To work',
      'Mon 7 Dec 09:10',
      '09:30',
      '20m',
      'Logged out → Ready',
    ]);
    // Back the next day (a night shift's), and one still standing on a break.
    const night = shiftSpan('2026-12-07', '23:50', '00:20');
    expect(exceptionCells({ ...over, since: night.start, endedAt: night.end }, label)[2]).toBe(
      'Tue 8 Dec 00:20',
    );
    expect(
      exceptionCells(
        { ...over, activity: 'break', label: 'Lunch', endedAt: null, endedState: null, seconds: 3900 },
        label,
      ),
    ).toEqual(['Break (Lunch)', 'Mon 7 Dec 09:10', 'still off it', '1h 5m', 'Logged out']);
    // Ended with the seat as it was (the shift taken off while signed out): the seat once.
    expect(exceptionCells({ ...over, endedState: 'logged_out' }, label)[4]).toBe('Logged out');
  });

  it('says how much of a shift the agent was there', () => {
    expect(hoursText(6 * 3600)).toBe('6h');
    expect(hoursText(5 * 3600 + 24 * 60 + 59)).toBe('5h 24m');
    expect(hoursText(45 * 60)).toBe('45m');
    expect(adherenceText({ elapsedSeconds: 6 * 3600, staffedSeconds: 5.4 * 3600, percent: 90 })).toBe(
      '5h 24m of 6h (90 %)',
    );
    expect(adherenceText({ elapsedSeconds: 0, staffedSeconds: 0, percent: null })).toBe('–');
    expect(adherenceText(undefined)).toBe('not begun');
  });

  it("reads the form's day and times on the browser's clock, a night shift ending the next day", () => {
    const day = shiftSpan('2026-12-07', '09:00', '17:30');
    expect(new Date(day.start).getHours()).toBe(9);
    expect(Date.parse(day.end) - Date.parse(day.start)).toBe(8.5 * 3_600_000);
    const night = shiftSpan('2026-12-07', '22:00', '06:00');
    expect(new Date(night.end).getDate()).toBe(8);
    expect(Date.parse(night.end) - Date.parse(night.start)).toBe(8 * 3_600_000);
    expect(shiftTime(night.start, '2026-12-07')).toBe('22:00');
    expect(shiftTime(night.end, '2026-12-07')).toBe('Tue 8 Dec 06:00');
  });

  it('says how the breaks went beside the time at work', () => {
    const gone = { elapsedSeconds: 4 * 3600, staffedSeconds: 3 * 3600, breakSeconds: 3600, percent: 100 };
    expect(adherenceText({ ...gone, staffedOnBreakSeconds: 0 })).toBe(
      '3h of 3h at work; 1h of breaks kept (100 %)',
    );
    expect(adherenceText({ ...gone, staffedOnBreakSeconds: 20 * 60, percent: 91.7 })).toBe(
      '3h of 3h at work; 1h of breaks, staffed 20m of them (91.7 %)',
    );
  });

  it("writes a shift's breaks, and what it plans at a time: working until the next break, on one until it ends", () => {
    const day = '2026-12-07';
    const lunch = shiftSpan(day, '12:00', '12:30');
    const coffee = shiftSpan(day, '15:00', '15:15');
    const shift = {
      ...shiftSpan(day, '09:00', '17:00'),
      breaks: [
        { ...lunch, label: 'Lunch' },
        { ...coffee, label: null },
      ],
    };
    expect(breaksText(shift.breaks, day)).toBe('12:00–12:30 Lunch, 15:00–15:15');
    expect(breaksText([], day)).toBe('');
    const at = (clock: string) => Date.parse(shiftSpan(day, clock, '23:59').start);
    expect(plannedNow(shift, at('08:59'))).toBeUndefined();
    expect(plannedNow(shift, at('10:00'))).toEqual({ activity: 'working', until: lunch.start });
    expect(plannedNow(shift, at('12:10'))).toEqual({ activity: 'break', until: lunch.end, label: 'Lunch' });
    expect(plannedNow(shift, at('16:00'))).toEqual({ activity: 'working', until: shift.end });
    expect(shiftNow(shift, 'available', at('10:00'), day)).toEqual({
      text: 'Working until 12:00',
      kept: true,
    });
    expect(shiftNow(shift, 'logged_out', at('10:00'), day)).toEqual({
      text: 'Working until 12:00',
      kept: false,
    });
    expect(shiftNow(shift, 'not_ready', at('12:10'), day)).toEqual({
      text: 'On break (Lunch) until 12:30',
      kept: true,
    });
    expect(shiftNow(shift, 'talking', at('15:05'), day)).toEqual({
      text: 'On break until 15:15',
      kept: false,
    });
    expect(shiftNow(shift, 'available', at('17:00'), day)).toBeUndefined();
    expect(nextPlanChange([shift], at('10:00'))).toBe(Date.parse(lunch.start));
    expect(nextPlanChange([shift], at('12:00'))).toBe(Date.parse(lunch.end));
    expect(nextPlanChange([shift], at('17:00'))).toBeUndefined();
  });

  it("reads the form's breaks as a roster file writes them, a night shift's after midnight on the next day", () => {
    const day = '2026-12-07';
    const shift = shiftSpan(day, '09:00', '17:00');
    const read = readBreaks(' 12:00-12:30 Lunch; 9:30 – 9:45 ,', day, shift);
    expect(read).toEqual({
      breaks: [
        { ...shiftSpan(day, '12:00', '12:30'), label: 'Lunch' },
        { ...shiftSpan(day, '09:30', '09:45') },
      ],
    });
    if ('breaks' in read)
      expect(breaksInput(read.breaks.map((b) => ({ ...b, label: b.label ?? null })))).toBe(
        '12:00-12:30 Lunch; 09:30-09:45',
      );
    const night = shiftSpan(day, '22:00', '06:00');
    const after = readBreaks('23:45-00:15 Meal|02:00-02:30', day, night);
    expect(after).toEqual({
      breaks: [
        { ...shiftSpan(day, '23:45', '00:15'), label: 'Meal' },
        shiftSpan('2026-12-08', '02:00', '02:30'),
      ],
    });
    expect(readBreaks('', day, shift)).toEqual({ breaks: [] });
    expect(readBreaks('noon', day, shift)).toEqual({
      problem: '"noon" is not a break written 12:00-12:30 (a label after it if any)',
    });
    expect(readBreaks('24:00-24:30', day, shift)).toEqual({
      problem: '"24:00-24:30" is not a break written 12:00-12:30 (a label after it if any)',
    });
  });

  it("writes an agent's adherence over days as the table's cells", () => {
    const week = {
      shifts: 5,
      workSeconds: 35 * 3600,
      staffedSeconds: 33.5 * 3600,
      breakSeconds: 5 * 3600,
      staffedOnBreakSeconds: 0,
      percent: 96.3,
      conformancePercent: 95.7,
    };
    expect(adherenceCells(week)).toEqual(['5', '35h', '33h 30m', '5h kept', '96.3 %', '95.7 %']);
    expect(adherenceCells({ ...week, staffedOnBreakSeconds: 1200 })[3]).toBe('5h, staffed 20m');
    expect(adherenceCells({ ...week, breakSeconds: 0, percent: null, conformancePercent: null })).toEqual([
      '5',
      '35h',
      '33h 30m',
      '–',
      '–',
      '–',
    ]);
  });

  it('writes shifts as a schedule, a line each with its day', () => {
    const monday = {
      ...shiftSpan('2026-12-07', '09:00', '17:00'),
      note: 'early',
      breaks: [
        { ...shiftSpan('2026-12-07', '12:00', '12:30'), label: 'Lunch' },
        { ...shiftSpan('2026-12-07', '15:00', '15:15'), label: null },
      ],
    };
    const night = { ...shiftSpan('2026-12-08', '22:00', '06:00'), note: null, breaks: [] };
    expect(scheduleLines([monday, night])).toEqual([
      'Mon 7 Dec 09:00–17:00 (early) · breaks 12:00–12:30 Lunch, 15:00–15:15',
      'Tue 8 Dec 22:00–Wed 9 Dec 06:00',
    ]);
  });

  it('lays a week of the roster out as a grid: a row an agent, a cell a day, hours to work, agents a day', () => {
    const day = '2026-12-07';
    const lunch = { ...shiftSpan(day, '12:00', '12:30'), label: 'Lunch' };
    const shifts = [
      { agentId: 'anna', ...shiftSpan(day, '09:00', '17:00'), breaks: [lunch] },
      { agentId: 'anna', ...shiftSpan('2026-12-08', '22:00', '06:00') },
      { agentId: 'boris', ...shiftSpan('2026-12-13', '09:00', '13:00') },
      { agentId: 'boris', ...shiftSpan('2026-12-14', '09:00', '13:00') }, // the week after
    ];
    const agents = [
      { id: 'anna', name: 'Anna Allen' },
      { id: 'boris', name: 'Boris Brown' },
      { id: 'cleo', name: 'Cleo Clark' },
    ];
    const grid = weekGrid(shifts, day, agents);
    expect(grid.days).toEqual([
      'Mon 7 Dec',
      'Tue 8 Dec',
      'Wed 9 Dec',
      'Thu 10 Dec',
      'Fri 11 Dec',
      'Sat 12 Dec',
      'Sun 13 Dec',
    ]);
    expect(grid.rows).toEqual([
      {
        agentId: 'anna',
        name: 'Anna Allen',
        cells: ['09:00–17:00', '22:00–06:00', '', '', '', '', ''],
        hours: '15h 30m',
      },
      { agentId: 'boris', name: 'Boris Brown', cells: ['', '', '', '', '', '', '09:00–13:00'], hours: '4h' },
      { agentId: 'cleo', name: 'Cleo Clark', cells: ['', '', '', '', '', '', ''], hours: '' },
    ]);
    expect(grid.onRoster).toEqual([1, 1, 0, 0, 0, 0, 1]);
  });

  it('says who is off their roster past the grace period, with what the roster plans and their seat', () => {
    const names: Record<string, string> = { anna: 'Anna Allen', boris: 'Boris Brown' };
    const labels: Record<string, string> = { logged_out: 'Logged out', available: 'Ready' };
    const since = (clock: string) => shiftSpan('2026-12-07', clock, '23:59').start;
    expect(
      exceptionsText(
        [
          {
            agentId: 'boris',
            activity: 'working',
            label: null,
            agentState: 'logged_out',
            since: since('09:02'),
          },
          {
            agentId: 'anna',
            activity: 'break',
            label: 'Lunch',
            agentState: 'available',
            since: since('12:00'),
          },
        ],
        300,
        (id) => names[id] ?? id,
        (state) => labels[state] ?? state,
      ),
    ).toBe(
      'Off their roster 5m or more: Boris Brown (to work: Logged out since 09:02); Anna Allen (on a break, Lunch: Ready since 12:00)',
    );
    expect(exceptionsText([], 2, String, String)).toBe('');
    expect(
      exceptionsText(
        [{ agentId: 'x', activity: 'break', label: null, agentState: 's', since: since('10:00') }],
        2,
        String,
        String,
      ),
    ).toBe('Off their roster 2 s or more: x (on a break: s since 10:00)');
    // The agent's own, on their softphone.
    expect(
      offRosterText(
        { activity: 'working', label: null, agentState: 'not_ready', since: since('09:02') },
        (state) => ({ not_ready: 'Not ready' })[state] ?? state,
      ),
    ).toBe('Off your roster since 09:02: it has you at work, and your seat is Not ready.');
    expect(
      offRosterText(
        { activity: 'break', label: 'Lunch', agentState: 'available', since: since('12:02') },
        (s) => (s === 'available' ? 'Ready' : s),
      ),
    ).toBe('Off your roster since 12:02: your break (Lunch) has begun, and your seat is Ready.');
  });
});
