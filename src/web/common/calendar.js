// Weekdays (Sunday first, as Date counts them) and months, as a date reads on both pages.
export const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A day as YYYY-MM-DD on this browser's calendar (today by default); the service reads a date as that day of
 * the contact center's own time zone.
 */
export function localDay(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The day (YYYY-MM-DD) `days` after (or before) another on this browser's calendar. */
export function dayAfter(day, days) {
  const d = new Date(`${day}T00:00`);
  d.setDate(d.getDate() + days);
  return localDay(d);
}
