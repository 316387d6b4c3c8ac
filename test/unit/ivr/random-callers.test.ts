/**
 * Callers do what they like: press any key at any moment, nothing at all, hang up half way, ring at any hour;
 * the CRM answers, fails, times out or says nonsense. 400 such callers (seeded, the same every run) through
 * the shipped main flow each end where a caller can end (a queue, a message, a callback, after hours, their
 * own hang-up), in bounded time and steps: none is cut off by a flow error, none goes round for ever.
 */
import { describe, expect, it } from 'vitest';
import afterHours from '../../../ivr-flows/after-hours.js';
import csat from '../../../ivr-flows/csat-survey.js';
import main from '../../../ivr-flows/main.js';
import { type CallerScript, type Flow, type ScriptedDip, simulate } from '../../../src/ivr/index.js';
import { seededRandom } from '../seeded-random.js';

const flows: Record<string, Flow> = { main, 'after-hours': afterHours, 'csat-survey': csat };
const CALLER = '+15551234567';
const CRM = `http://crm.internal/api/customers/by-phone/${encodeURIComponent(CALLER)}`;

const KEYS = '0123456789*#';
const CRM_ANSWERS: ScriptedDip[] = [
  { body: { vip: false } },
  { body: { vip: true, name: 'Ada' } },
  { body: 'not json at all' },
  { body: { vip: 'maybe', tier: null } },
  { status: 500, body: { error: 'down' } },
  { status: 404 },
  'timeout',
  'error',
];

function randomCaller(n: number): CallerScript {
  const random = seededRandom(n); // a failing caller is replayed by its number
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const presses = Math.floor(random() * 8);
  let at = 0;
  const digits = Array.from({ length: presses }, () => {
    at += Math.floor(random() * 12_000);
    const count = 1 + Math.floor(random() * 4);
    return { at, digits: Array.from({ length: count }, () => pick([...KEYS])).join('') };
  });
  // Any day of December 2026 at any minute: open, closed, a weekend, a holiday.
  const start = Date.parse('2026-12-01T00:00:00Z') + Math.floor(random() * 31 * 24 * 60) * 60_000;
  return {
    start,
    caller: random() < 0.1 ? '' : CALLER,
    flows,
    digits,
    ...(random() < 0.3 ? { hangupAt: Math.floor(random() * 60_000) } : {}),
    dips: { [CRM]: pick(CRM_ANSWERS) },
    switches: { 'emergency-closure': random() < 0.1 },
  };
}

describe('the main flow with random callers', () => {
  it('ends every call where a caller can end, in bounded time and steps, never by a flow error', async () => {
    const ends = new Map<string, number>();
    const failures: string[] = [];
    for (let n = 1; n <= 400; n++) {
      const script = randomCaller(n);
      try {
        const r = await simulate(main, script);
        const end = r.action.type === 'hangup' ? `hangup:${r.action.reason}` : r.action.type;
        ends.set(end, (ends.get(end) ?? 0) + 1);
        if (r.action.type === 'hangup' && r.action.reason === 'error')
          failures.push(`caller ${n}: a flow error (${r.action.error}) after ${r.path.join(' → ')}`);
        if (!(r.durationMs < 30 * 60_000)) failures.push(`caller ${n}: ${r.durationMs} ms in the flow`);
        if (r.path.length > 60)
          failures.push(`caller ${n}: ${r.path.length} steps (${r.path.slice(-6).join(' → ')})`);
      } catch (error) {
        failures.push(`caller ${n}: threw ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    // The callers went all over the flow, not down one path.
    expect([...ends.keys()].sort()).toEqual(expect.arrayContaining(['caller-hung-up', 'queue', 'voicemail']));
    expect(ends.size).toBeGreaterThanOrEqual(3);
  });
});
