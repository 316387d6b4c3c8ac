// Pure helpers of the wall display page: a board's figures and agents as a screen across the room says
// them (unit-tested in test/unit/web/wall-text.test.ts). Times tick on the page between boards: a wait or a
// time in state is the board's figure plus the time since the board was taken.

import { clock, percent } from '../supervisor/format.js';

const STATE_WORDS = {
  available: 'Ready',
  offered: 'Ringing',
  talking: 'On a call',
  on_hold: 'On hold',
  wrap_up: 'Wrap-up',
  not_ready: 'Not ready',
};

/** The order agents' states read in on a queue's line and in the agents' strip: who can take a call first. */
export const STATE_ORDER = ['available', 'offered', 'talking', 'on_hold', 'wrap_up', 'not_ready'];

/**
 * A queue's longest wait now: the board's, grown by the time since it was taken while callers wait.
 * @param {{ waiting: number, longestWaitSeconds: number }} queue
 * @param {number} boardAt epoch ms the board was taken
 * @param {number} now epoch ms
 */
export function waitNow(queue, boardAt, now) {
  if (queue.waiting <= 0) return 0;
  return queue.longestWaitSeconds + Math.max(0, now - boardAt) / 1000;
}

/**
 * The service level as a tile shows it: the figure, what it aims for, and a tone for its colour (good at or
 * above the target, near within 5 points under it, bad further under; none without a target or figure).
 * @param {{ serviceLevelPercent: number | null, serviceLevelSeconds: number, serviceLevelTargetPercent: number | null }} queue
 */
export function serviceLevel(queue) {
  const level = queue.serviceLevelPercent;
  const target = queue.serviceLevelTargetPercent;
  const aim =
    target === null
      ? `answered within ${queue.serviceLevelSeconds} s`
      : `aim ${target} % within ${queue.serviceLevelSeconds} s`;
  if (level === null || !Number.isFinite(level)) return { text: '–', aim, tone: 'none' };
  const tone = target === null ? 'none' : level >= target ? 'good' : level >= target - 5 ? 'near' : 'bad';
  return { text: percent(level), aim, tone };
}

/**
 * Who is in a queue, in words: "2 ready · 1 ringing · 3 on calls · 1 wrap-up · 2 not ready" (states with
 * nobody left out; "nobody signed in" when empty).
 * @param {Record<string, number>} byState
 */
export function peopleLine(byState) {
  const count = (state) => byState[state] ?? 0;
  const parts = [
    [count('available'), 'ready'],
    [count('offered'), 'ringing'],
    [count('talking') + count('on_hold'), 'on calls'],
    [count('wrap_up'), 'wrap-up'],
    [count('not_ready'), 'not ready'],
  ].filter(([n]) => n > 0);
  if (parts.length === 0) return 'nobody signed in';
  return parts
    .map(([n, words]) => `${n} ${n === 1 && words === 'on calls' ? 'on a call' : words}`)
    .join(' · ');
}

/**
 * The day's figures under the big ones: "Answered 41 · Abandoned 3 (7 %) · ASA 0:12 · AHT 3:40".
 * @param {{ answered: number, abandoned: number, abandonRatePercent: number | null, asaSeconds: number | null, ahtSeconds: number | null }} queue
 */
export function dayLine(queue) {
  const rate = queue.abandonRatePercent === null ? '' : ` (${percent(queue.abandonRatePercent)})`;
  const time = (s) => (s === null || !Number.isFinite(s) ? '–' : clock(s));
  return `Answered ${queue.answered} · Abandoned ${queue.abandoned}${rate} · ASA ${time(queue.asaSeconds)} · AHT ${time(queue.ahtSeconds)}`;
}

/**
 * An agent in the strip: their state in words (a not ready with its reason) and how long they have been so.
 * @param {{ state: string, reasonLabel?: string, reason?: string, since: string }} agent
 * @param {number} now epoch ms
 */
export function agentLine(agent, now) {
  const words = STATE_WORDS[agent.state] ?? agent.state;
  const reason = agent.state === 'not_ready' ? (agent.reasonLabel ?? agent.reason) : undefined;
  const since = Date.parse(agent.since);
  return {
    state: reason ? `${words}: ${reason}` : words,
    time: Number.isFinite(since) ? clock((now - since) / 1000) : '',
  };
}

/**
 * Agents in the order a floor reads them: ready first, then ringing, on calls, wrap-up, not ready; by name
 * within a state.
 * @template {{ state: string, name: string }} A
 * @param {A[]} agents
 */
export function agentsInOrder(agents) {
  const rank = (state) => {
    const i = STATE_ORDER.indexOf(state);
    return i < 0 ? STATE_ORDER.length : i;
  };
  return [...agents].sort((a, b) => rank(a.state) - rank(b.state) || a.name.localeCompare(b.name));
}

/**
 * What the screen says when its stream is closed: `final` when reconnecting with the same link cannot help
 * (withdrawn, not a display's key), else it tries again.
 * @param {{ code?: string, message?: string } | undefined} refusal the stream's last `{ type: 'error' }`
 */
export function closedText(refusal) {
  const code = refusal?.code;
  if (code === 'DISPLAY_WITHDRAWN' || code === 'DISPLAY_KEY_INVALID') {
    return { final: true, text: refusal?.message ?? 'This wall display cannot be shown.' };
  }
  return { final: false, text: 'Connection lost: reconnecting… (the figures shown may be out of date)' };
}

/**
 * The display's key from the page's address (`#key=…`, which the browser never sends to a server), or ''.
 * @param {string} hash location.hash
 */
export function keyFromHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('key') ?? '';
}
