// The wall display: a screen on the floor opened with a display's link (`/wall/#key=…`). It shows the
// board the service pushes (every queue's figures, the signed-in agents' states) and ticks the waits and
// times between boards; it reconnects by itself, and says so plainly when its link was withdrawn.

import {
  agentLine,
  agentsInOrder,
  closedText,
  dayLine,
  keyFromHash,
  peopleLine,
  serviceLevel,
  waitNow,
} from './wall-text.js';
import { clock } from '../supervisor/format.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const RECONNECT_MAX_MS = 30_000;

/** @type {any} the last board, with `boardAt` (epoch ms, this browser's clock, when it arrived) */
let board = null;
let boardAt = 0;
let retryMs = 1000;

/** Elements with their text, built from a tag and children (text content only: nothing from the board is HTML). */
function el(/** @type {string} */ tag, /** @type {Record<string, string>} */ attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function figure(
  /** @type {string} */ value,
  /** @type {string} */ label,
  /** @type {Record<string, string>} */ attrs = {},
) {
  return el('div', {}, el('strong', attrs, value), el('span', {}, label));
}

function render() {
  if (!board) return;
  const now = Date.now();
  // Times since the board was taken, on this browser's clock (its clock and the service's may differ).
  const at = Date.parse(board.at);
  const skew = Number.isFinite(at) ? boardAt - at : 0;
  $('clock').textContent = new Date(now).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const queues = board.queues.map((/** @type {any} */ q) => {
    const level = serviceLevel(q);
    const wait = waitNow(q, boardAt, now);
    const over = wait > q.serviceLevelSeconds;
    const alerts = el(
      'ul',
      { class: 'alerts' },
      ...q.alerts.map((/** @type {any} */ a) => el('li', {}, a.message)),
    );
    return el(
      'li',
      { class: 'queue', 'data-queue': q.id, 'data-tone': level.tone },
      el('h3', {}, q.name),
      el(
        'div',
        { class: 'big' },
        figure(
          String(q.waiting),
          q.callbacksWaiting ? `waiting · ${q.callbacksWaiting} callbacks` : 'waiting',
          {
            'data-figure': 'waiting',
          },
        ),
        figure(clock(wait), 'longest wait', { 'data-figure': 'wait', 'data-over': String(over) }),
        figure(level.text, level.aim, { 'data-figure': 'service-level', 'data-tone': level.tone }),
      ),
      el('p', { 'data-figure': 'people' }, peopleLine(q.agents.byState)),
      el('p', { 'data-figure': 'day' }, dayLine(q)),
      alerts,
    );
  });
  $('queues').replaceChildren(
    ...(queues.length
      ? queues
      : [
          el(
            'li',
            {},
            "No queue to show: this screen's queues are no longer defined (a supervisor changes them on the wallboard, Wall displays).",
          ),
        ]),
  );
  const agents = agentsInOrder(board.agents).map((/** @type {any} */ a) => {
    const line = agentLine({ ...a, since: new Date(Date.parse(a.since) + skew).toISOString() }, now);
    return el(
      'li',
      { class: 'agent', 'data-agent': a.id, 'data-state': a.state },
      el('span', { class: 'name' }, a.name),
      el('span', { class: 'time' }, line.time),
      el('span', { class: 'state' }, line.state),
    );
  });
  $('agents').replaceChildren(...(agents.length ? agents : [el('li', {}, 'Nobody is signed in.')]));
}

function showClosed(/** @type {string} */ text) {
  $('board').hidden = true;
  $('closed').hidden = false;
  $('closed').textContent = text;
  $('link-state').textContent = '';
}

function connect(/** @type {string} */ key) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const bearer = btoa(key).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const ws = new WebSocket(`${scheme}//${location.host}/api/wall/stream`, ['cc-events', `bearer.${bearer}`]);
  /** @type {{ code?: string, message?: string } | undefined} */
  let refusal;
  ws.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data));
    if (data.type === 'error') {
      refusal = data;
      return;
    }
    if (data.type !== 'board') return;
    board = data;
    boardAt = Date.now();
    retryMs = 1000;
    document.title = `${data.display.name}: wall display`;
    $('display-name').textContent = data.display.name;
    $('link-state').textContent = '';
    $('link-state').dataset.state = 'live';
    $('board').hidden = false;
    $('closed').hidden = true;
    render();
  });
  ws.addEventListener('close', () => {
    const closed = closedText(refusal);
    if (closed.final) {
      showClosed(closed.text);
      return;
    }
    $('link-state').textContent = closed.text;
    $('link-state').dataset.state = 'lost';
    setTimeout(() => connect(key), retryMs);
    retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS);
  });
}

const key = keyFromHash(location.hash);
if (!key) {
  showClosed(
    "Open this page with a wall display's link: a supervisor makes one on the wallboard (Wall displays).",
  );
} else {
  connect(key);
  // The waits and times in state grow every second between boards.
  setInterval(render, 1000);
}
// A new link pasted into the address bar: start again with its key.
window.addEventListener('hashchange', () => location.reload());
