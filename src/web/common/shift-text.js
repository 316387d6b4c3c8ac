// Shifts in words, as the wallboard's Shifts section and the agent's softphone show them (pure; unit-tested
// in test/unit/web/).
import { DAYS, localDay, MONTHS } from './calendar.js';

/** Seconds as "7h 30m" / "45m" (whole minutes). */
export function hoursText(seconds) {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}h${m > 0 ? ` ${m}m` : ''}` : `${m}m`;
}

/**
 * How a shift went so far: "5h 24m of 6h (90 %)"; "not begun" before it starts; "–" when nothing of it has
 * gone by yet.
 * @param {{ elapsedSeconds: number, staffedSeconds: number, percent: number | null } | undefined} adherence
 */
export function adherenceText(adherence) {
  if (!adherence) return 'not begun';
  if (adherence.percent === null) return '–';
  return `${hoursText(adherence.staffedSeconds)} of ${hoursText(adherence.elapsedSeconds)} (${adherence.percent} %)`;
}

/**
 * A shift's instants from the form's day and clock times on this browser's calendar (the contact center's):
 * an end at or before its start is the next day's (a night shift).
 * @param {string} day YYYY-MM-DD
 * @param {string} from HH:MM
 * @param {string} to HH:MM
 */
export function shiftSpan(day, from, to) {
  const start = new Date(`${day}T${from}`);
  const end = new Date(`${day}T${to}`);
  if (end <= start) end.setDate(end.getDate() + 1);
  return { start: start.toISOString(), end: end.toISOString() };
}

/** An instant as this browser's clock time, "09:00", with the day when it is not `day` ("Tue 8 Dec 02:00"). */
export function shiftTime(iso, day) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (localDay(d) === day) return time;
  return `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${time}`;
}
