// The supervisor wallboard: queues and agents live from the event stream (snapshot, then events resumed by
// sequence), queue figures re-read from the stats API when an event concerns a queue, and monitoring
// (listen, whisper, barge) of an agent's call through the service API. Plain ES modules, no bundler.
import { changedByName, notReadyLimit, seatReasonText, serverClock } from '../common/seat-view.js';
import { ApiError, monitorApi, openEventStream, sessionApi, setToken, wallboardApi } from './api.js';
import { initCallbackList } from './callback-list.js';
import { initCampaigns } from './campaigns.js';
import { initCalls } from './calls.js';
import { initChanges } from './changes.js';
import { initSwitches } from './switches.js';
import { initBoardNav } from './board-nav.js';
import { initHelpWanted } from './help-wanted.js';
import { initAgentMessages } from './agent-messages.js';
import { initBlockedNumbers } from './blocked-numbers.js';
import { initSignInLocks } from './sign-in-locks.js';
import { initDoNotCall } from './do-not-call.js';
import { initCustomerData } from './customer-data.js';
import { initQuality } from './quality.js';
import { initShifts } from './shifts.js';
import { initShiftAdherence } from './shift-adherence.js';
import { initAgentSkills } from './agent-skills.js';
import { initQueueSettings } from './queue-settings.js';
import { initQueueMembers } from './queue-members.js';
import { initFlows } from './flows.js';
import { initWebhooks } from './webhooks.js';
import { initWallDisplays } from './wall-displays.js';
import { initReports } from './reports.js';
import { initStaffing } from './staffing.js';
import { staffingNowText } from './staffing-text.js';
import { wideningText } from './call-history.js';
import {
  clock,
  dateTimeLabel,
  duration,
  MODE_DOING,
  MODE_LABELS,
  normalizeSeat,
  onCall,
  parsePhone,
  percent,
  serviceLevelWarnings,
  stateLabel,
} from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const TOKEN_KEY = 'supervisor.token';
const PHONE_KEY = 'supervisor.myPhone';
const MODES = /** @type {const} */ (['listen', 'whisper', 'barge']);
const MODE_VERBS = { listen: 'listen to', whisper: 'whisper into', barge: 'barge in on' };
/** A queue's figures are read again this long after the last event that concerns it (events come in bursts). */
const STATS_DEBOUNCE_MS = 300;

const ui = {
  streamStatus: $('stream-status'),
  signedInAs: $('signed-in-as'),
  clock: $('clock'),
  signOut: /** @type {HTMLButtonElement} */ ($('sign-out')),
  error: $('error'),
  errorText: $('error-text'),
  errorClose: $('error-close'),
  signInSection: $('sign-in'),
  form: /** @type {HTMLFormElement} */ ($('sign-in-form')),
  supervisorId: /** @type {HTMLInputElement} */ ($('supervisor-id')),
  password: /** @type {HTMLInputElement} */ ($('password')),
  tokenSignIn: /** @type {HTMLDetailsElement} */ ($('token-sign-in')),
  token: /** @type {HTMLInputElement} */ ($('token')),
  signInButton: /** @type {HTMLButtonElement} */ ($('sign-in-button')),
  board: $('board'),
  queues: $('queues'),
  agentRows: $('agent-rows'),
  myPhoneForm: /** @type {HTMLFormElement} */ ($('my-phone-form')),
  myPhone: /** @type {HTMLInputElement} */ ($('my-phone')),
  monitors: $('monitors'),
  monitorsNote: $('monitors-note'),
  announcer: $('announcer'),
};

/**
 * @typedef {{ type: string, reason: string, interactionId: string, queueId: string, notReadyAfter: string }} Seat
 * @typedef {{ id: string, name: string, queues: string[], seat: Seat, since: number, handled: number }} Agent
 * @typedef {{ id: string, name: string, stats: any, statsAt: number, waiting: number, eventAt: number,
 *   line: any[], lineAt: number }} Queue
 * @typedef {{ id: string, interactionId: string, agentId: string, mode: 'listen' | 'whisper' | 'barge',
 *   phone: any, state: 'ringing' | 'active' | 'ended', startedAt: string, endedReason?: string,
 *   supervisor?: { id: string, name: string } }} Monitor
 */

/** Everything the page shows is derived from this. */
const model = {
  token: '',
  /** Agents past their not-ready limit on the service, by agent id (GET /api/overstays, `agent.overstay`). */
  overstays: new Map(),
  /** @type {{ id: string, name: string } | null} who signed in (null: on the supervisor token) */
  supervisor: null,
  signingIn: false,
  streamUp: false,
  /** @type {string | null} */
  error: null,
  /** @type {Map<string, Queue>} in the order of GET /api/queues */
  queues: new Map(),
  /** @type {Map<string, Agent>} in the order of GET /api/agents */
  agents: new Map(),
  /** @type {Record<string, string>} reason code → label */
  reasons: {},
  /** @type {{ code: string, label: string }[]} the reasons an agent (or a supervisor for them) may choose */
  reasonChoices: [],
  /** @type {{ code: string, maxMinutes?: number }[]} every reason, with its time limit if it has one */
  reasonList: [],
  /** @type {Map<string, Monitor>} */
  monitors: new Map(),
  /** Why the monitors list cannot be shown (e.g. the API answers 404): shown in place of it. */
  monitorsNote: '',
  /** Monitor requests in flight: their buttons stay disabled. */
  busy: new Set(),
};

/** @type {ReturnType<typeof openEventStream> | null} */
let events = null;
let tickHandle = 0;
const statsTimers = new Map();

const describe = (error) =>
  error instanceof ApiError ? `${error.message} (${error.code})` : String(error?.message ?? error);

/** Writes text only when it changed: aria-live regions then announce changes, not every repaint. */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function el(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'className') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role' || key === 'scope')
      element.setAttribute(key, value);
    else element[key] = value;
  }
  element.append(...children);
  return element;
}

function announce(message) {
  ui.announcer.textContent = message;
}

// ---------------------------------------------------------------- rendering

function render() {
  const signedIn = model.token !== '';
  ui.signInSection.hidden = signedIn;
  ui.board.hidden = !signedIn;
  ui.signOut.hidden = !signedIn;
  ui.signedInAs.hidden = !signedIn;
  setText(ui.signedInAs, model.supervisor ? model.supervisor.name : 'Supervisor token');
  ui.signInButton.disabled = model.signingIn;
  ui.error.hidden = !model.error;
  ui.errorText.textContent = model.error ?? '';
  setText(ui.streamStatus, !signedIn ? 'Signed out' : model.streamUp ? 'Live' : 'Reconnecting…');
  ui.streamStatus.dataset.up = String(signedIn && model.streamUp);
  if (!signedIn) return;
  renderQueues();
  renderAgents();
  renderMonitors();
  helpWanted.render(); // Listen follows the agent's seat
  shifts.renderNow(); // Now follows the seats
  renderTicks();
}

/** One card per queue, made once; its figures are rewritten in place (the live regions stay put). */
function queueCard(queue) {
  let card = document.getElementById(`queue-${queue.id}`);
  if (card) {
    // A queue renamed (Queue settings, the API) keeps its card: the name follows.
    const title = card.querySelector('h3');
    if (title && title.textContent !== queue.name) {
      title.textContent = queue.name;
      card.querySelector('.queue-alerts')?.setAttribute('aria-label', `Alerts for ${queue.name}`);
      card.querySelector('ol.line')?.setAttribute('aria-label', `In line for ${queue.name}`);
    }
    return card;
  }
  const figure = (name, label, big = false, live = false, note = false) =>
    el(
      'div',
      { className: big ? 'figure figure-big' : 'figure' },
      el('dt', { className: 'label', text: label }),
      // Shown under the value (the column is reversed): what the figure is measured against.
      ...(note ? [el('dd', { className: 'figure-note', 'data-field': `${name}-note` })] : []),
      el('dd', {
        className: `value ${name}`,
        'data-field': name,
        ...(live ? { 'aria-live': 'polite', 'aria-atomic': 'true' } : {}),
      }),
    );
  card = el(
    'article',
    { id: `queue-${queue.id}`, className: 'card queue', 'data-queue': queue.id },
    el('h3', { text: queue.name, id: `queue-title-${queue.id}` }),
    // The queue's alerts standing now (its `alerts` rules), said as they are raised.
    el('ul', {
      className: 'queue-alerts',
      'data-field': 'alerts',
      'aria-live': 'assertive',
      'aria-label': `Alerts for ${queue.name}`,
    }),
    el(
      'dl',
      { className: 'figures' },
      figure('waiting', 'Waiting now', true, true),
      figure('longest', 'Longest wait', true, false, true),
      figure('service-level', 'Service level', false, false, true),
      figure('asa', 'ASA'),
      figure('aht', 'AHT'),
      figure('abandon-rate', 'Abandon rate'),
      figure('needed', 'Agents needed now', false, false, true),
      figure('answered', 'Answered today', false, true),
      figure('abandoned', 'Abandoned today', false, true),
    ),
    el('p', { className: 'by-state', 'data-field': 'by-state' }),
    el('ol', { className: 'line', 'data-field': 'line', 'aria-label': `In line for ${queue.name}` }),
  );
  card.setAttribute('aria-labelledby', `queue-title-${queue.id}`);
  ui.queues.append(card);
  return card;
}

function renderQueues() {
  for (const card of ui.queues.querySelectorAll('article.queue')) {
    if (!model.queues.has(/** @type {HTMLElement} */ (card).dataset.queue ?? '')) card.remove();
  }
  for (const queue of model.queues.values()) {
    const card = queueCard(queue);
    const field = (name) => /** @type {HTMLElement} */ (card.querySelector(`[data-field="${name}"]`));
    const s = queue.stats;
    renderAlerts(queue.id, s?.alerts ?? [], field('alerts'));
    card.dataset.alerting = String((s?.alerts ?? []).length > 0);
    setText(field('waiting'), String(queue.waiting));
    card.dataset.busy = String(queue.waiting > 0);
    setText(field('service-level'), s ? percent(s.serviceLevelPercent) : '…');
    const target = s?.serviceLevelTargetPercent;
    const belowTarget = s ? serviceLevelWarnings(s).belowTarget : false;
    card.dataset.slBelowTarget = String(belowTarget);
    setText(
      field('service-level-note'),
      typeof target === 'number' ? `${belowTarget ? 'below target' : 'target'} ${target} %` : '',
    );
    setText(field('asa'), s ? duration(s.asaSeconds) : '…');
    setText(field('aht'), s ? duration(s.ahtSeconds) : '…');
    setText(field('abandon-rate'), s ? percent(s.abandonRatePercent) : '…');
    // Erlang C on the last half hour's calls against the members there now.
    const needed = staffingNowText(s?.staffingNow);
    setText(field('needed'), needed.value);
    setText(field('needed-note'), needed.note);
    card.dataset.understaffed = String(needed.short);
    setText(field('answered'), s ? String(s.answered) : '…');
    setText(field('abandoned'), s ? String(s.abandoned) : '…');
    const by = s?.agents?.byState ?? {};
    const parts = ['available', 'talking', 'on_hold', 'offered', 'wrap_up', 'not_ready']
      .filter((type) => (by[type] ?? 0) > 0)
      .map((type) => `${stateLabel(type)} ${by[type]}`);
    setText(
      field('by-state'),
      !s
        ? ''
        : s.agents.loggedIn === 0
          ? 'Agents: none logged in'
          : `Agents: ${parts.join(' · ')} (${s.agents.loggedIn} logged in)`,
    );
    renderLine(queue, field('line'));
  }
}

/**
 * A queue's alerts standing now, each in words with since when, and who took it on ("Sam is on it") or an
 * Acknowledge button; rebuilt only when they change.
 */
function renderAlerts(queueId, alerts, list) {
  const key = JSON.stringify(
    alerts.map((a) => [
      a.kind,
      a.since,
      a.message,
      a.acknowledged?.at,
      model.busy.has(`alert:${queueId}/${a.kind}`),
    ]),
  );
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.replaceChildren(
    ...alerts.map((a) => {
      const taken = a.acknowledged
        ? `${a.acknowledged.by?.name ?? 'A supervisor'} is on it (since ${new Date(a.acknowledged.at).toLocaleTimeString()})`
        : '';
      return el(
        'li',
        {
          className: 'queue-alert',
          'data-kind': a.kind,
          'data-acknowledged': String(Boolean(a.acknowledged)),
        },
        el('span', { text: `${a.message} · since ${new Date(a.since).toLocaleTimeString()}` }),
        a.acknowledged
          ? el('span', { className: 'alert-taken', text: ` · ${taken}` })
          : el('button', {
              type: 'button',
              className: 'btn btn-quiet',
              'data-acknowledge': a.kind,
              'data-queue': queueId,
              disabled: model.busy.has(`alert:${queueId}/${a.kind}`),
              text: 'Acknowledge',
            }),
      );
    }),
  );
}

/**
 * A waiting caller's controls: First (ahead of everyone in the line; not for the one first already) and Move
 * to another queue (a select: choosing one moves them). A callback request waiting has Move only.
 */
function lineControls(queue, p, index) {
  const callback = p.kind === 'callback';
  const who = callback ? `the callback to ${p.callerNumber}` : p.callerNumber || 'the withheld caller';
  const others = [...model.queues.values()].filter((q) => q.id !== queue.id);
  return [
    ' ',
    ...(index > 0 && !callback
      ? [
          el('button', {
            type: 'button',
            className: 'btn btn-quiet line-first',
            'data-line-first': p.interactionId,
            'data-queue': queue.id,
            'aria-label': `Put ${who} first in line for ${queue.name}`,
            text: 'First',
          }),
          ' ',
        ]
      : []),
    ...(others.length > 0
      ? [
          el(
            'select',
            {
              className: 'line-move',
              'data-line-move': p.interactionId,
              'data-queue': queue.id,
              'aria-label': `Move ${who} to another queue`,
            },
            el('option', { value: '', text: 'Move to…' }),
            ...others.map((q) => el('option', { value: q.id, text: q.name })),
          ),
        ]
      : []),
  ];
}

/** A supervisor's hand on a queue's line: the caller moved or put first; the cards follow the stream. */
async function changeLine(queueId, interactionId, action, toQueueId) {
  const busy = `line:${interactionId}`;
  if (model.busy.has(busy)) return;
  model.busy.add(busy);
  try {
    const place =
      action === 'first'
        ? await wallboardApi.putCallerFirst(queueId, interactionId)
        : await wallboardApi.moveCaller(queueId, interactionId, toQueueId);
    model.error = null;
    const caller = model.queues.get(queueId)?.line?.find((p) => p.interactionId === interactionId);
    const who =
      caller?.kind === 'callback'
        ? `The callback to ${caller.callerNumber}`
        : caller?.callerNumber || 'The caller';
    announce(
      action === 'first'
        ? `${who} is first in line for ${model.queues.get(queueId)?.name ?? queueId}`
        : `${who} moved to ${model.queues.get(place.queueId)?.name ?? place.queueId}, number ${place.position} in line`,
    );
  } catch (error) {
    const what =
      model.queues.get(queueId)?.line?.find((p) => p.interactionId === interactionId)?.kind === 'callback'
        ? 'the callback'
        : 'the caller';
    model.error = `Cannot ${action === 'first' ? `put ${what} first` : `move ${what}`}: ${describe(error)}`;
  } finally {
    model.busy.delete(busy);
    scheduleQueueStats(queueId, 0);
    if (toQueueId) scheduleQueueStats(toQueueId, 0);
    render();
  }
}

/** Takes a standing alert on for this supervisor: every wallboard then shows who (the stream's queue.alert). */
async function acknowledgeAlert(queueId, kind) {
  const busy = `alert:${queueId}/${kind}`;
  model.busy.add(busy);
  render();
  try {
    await wallboardApi.acknowledgeAlert(queueId, kind);
    model.error = null;
    announce(`Alert acknowledged in ${model.queues.get(queueId)?.name ?? queueId}`);
  } catch (error) {
    // Cleared meanwhile, or a colleague took it first: said with who.
    model.error = `Cannot acknowledge the alert: ${describe(error)}`;
  } finally {
    model.busy.delete(busy);
    scheduleQueueStats(queueId, 0);
    render();
  }
}

/** The most of a queue's line a card lists; the rest are counted. */
const LINE_SHOWN = 8;

/**
 * Who waits in the queue, in the order they are served: number, VIP, callback, wait (ticking), and who is
 * being rung for them. Rebuilt only when the line changes; the waits tick in renderTicks.
 */
function renderLine(queue, list) {
  const places = queue.line ?? [];
  // The other queues too: each waiting caller's Move lists them.
  const key = JSON.stringify([
    places.map((p) => [
      p.interactionId,
      p.state,
      p.agentIds,
      p.front,
      p.keptFor?.agentId,
      p.widening?.step,
      p.directLine?.agentId,
      p.callback?.notBefore,
      p.callback?.callableFrom,
      p.callback?.reservedFor?.agentId,
      p.putFirst?.at,
    ]),
    [...model.queues.keys()],
  ]);
  if (list.dataset.key === key) {
    // The same line read again: each wait ticks on from this reading, as queue.lineAt now does.
    for (const p of places.slice(0, LINE_SHOWN)) {
      const wait = /** @type {HTMLElement | null} */ (
        list.querySelector(`li[data-interaction="${CSS.escape(p.interactionId)}"] .line-wait`)
      );
      if (wait) wait.dataset.wait = String(p.waitSeconds);
    }
    return;
  }
  list.dataset.key = key;
  const names = (ids) => ids.map((id) => model.agents.get(id)?.name ?? id).join(', ');
  list.replaceChildren(
    ...places.slice(0, LINE_SHOWN).map((p, i) => {
      // A callback waiting for its time (booked for later, or its next try) shows when, not a wait.
      // Due outside the callback hours: the time it may first be called.
      const dueAt = Date.parse(p.callback?.callableFrom ?? p.callback?.notBefore ?? '');
      const later = dueAt > Date.now();
      const notes = [
        p.vip ? 'VIP' : '',
        p.kind === 'callback'
          ? later && p.callback.attempts === 0
            ? 'callback booked'
            : later
              ? 'callback, next try'
              : 'callback'
          : '',
        p.callback?.abandoned ? 'gave up waiting' : '',
        p.callback?.reservedFor ? `kept for ${names([p.callback.reservedFor.agentId])}` : '',
        p.callback?.callableFrom ? 'callback hours' : '',
        p.putFirst ? `put first by ${p.putFirst.by?.name ?? 'a supervisor'}` : '',
        p.front && !p.putFirst ? 'back at the front' : '',
        p.state === 'ringing' ? `ringing ${names(p.agentIds)}` : '',
        p.state === 'dialing' ? `${names(p.agentIds)} calling back` : '',
        p.keptFor ? `kept for ${names([p.keptFor.agentId])} (last agent)` : '',
        p.directLine ? `direct line of ${names([p.directLine.agentId])}` : '',
        p.widening?.afterSeconds ? `widened: ${wideningText(p.widening)}` : '',
      ].filter(Boolean);
      return el(
        'li',
        { 'data-interaction': p.interactionId, 'data-state': p.state },
        el('span', {
          className: 'line-who',
          // The carrier's name beside the number, unless it only repeats it.
          text: [p.callerName === p.callerNumber ? '' : p.callerName, p.callerNumber || 'Withheld']
            .filter(Boolean)
            .join(' '),
        }),
        ' ',
        later
          ? el('span', { className: 'line-due', text: `due ${dateTimeLabel(dueAt)}` })
          : el('span', {
              className: 'line-wait',
              'data-wait': String(p.waitSeconds),
              text: clock(p.waitSeconds + (Date.now() - queue.lineAt) / 1000),
            }),
        ...(notes.length ? [' ', el('span', { className: 'line-notes', text: notes.join(' · ') })] : []),
        // A campaign's call stays with its campaign's queue.
        ...(p.state === 'waiting' && !p.callback?.campaign ? lineControls(queue, p, i) : []),
      );
    }),
    ...(places.length > LINE_SHOWN
      ? [el('li', { className: 'line-more', text: `and ${places.length - LINE_SHOWN} more` })]
      : []),
  );
}

const reasonText = (code) => model.reasons[code] ?? code;

function agentRow(agent) {
  let row = /** @type {HTMLTableRowElement | null} */ (
    ui.agentRows.querySelector(`tr[data-agent="${CSS.escape(agent.id)}"]`)
  );
  if (row) return row;
  row = el(
    'tr',
    { 'data-agent': agent.id },
    el(
      'th',
      { scope: 'row', className: 'name' },
      el('span', { text: agent.name }),
      ' ',
      el('small', { text: agent.id }),
    ),
    el('td', {}, el('span', { className: 'pill state', 'data-field': 'state' })),
    el('td', { className: 'reason', 'data-field': 'reason' }),
    el('td', { className: 'time', 'data-field': 'time', role: 'timer', 'aria-live': 'off' }),
    el('td', { className: 'call', 'data-field': 'call' }),
    el('td', { className: 'handled', 'data-field': 'handled' }),
    el('td', { className: 'seat-control', 'data-field': 'seat-control' }),
    el('td', { className: 'actions', 'data-field': 'actions' }),
  );
  ui.agentRows.append(row);
  return row;
}

function renderAgents() {
  for (const row of ui.agentRows.querySelectorAll('tr[data-agent]')) {
    if (!model.agents.has(/** @type {HTMLElement} */ (row).dataset.agent ?? '')) row.remove();
  }
  for (const agent of model.agents.values()) {
    const row = agentRow(agent);
    const field = (name) => /** @type {HTMLElement} */ (row.querySelector(`[data-field="${name}"]`));
    const seat = agent.seat;
    row.dataset.state = seat.type;
    setText(field('state'), stateLabel(seat.type));
    field('state').dataset.state = seat.type;
    const help = helpWanted.of(agent.id);
    row.dataset.help = help ? (help.taken ? 'taken' : 'asked') : '';
    renderReason(agent, row, serverClock.now());
    const queueName = seat.queueId ? (model.queues.get(seat.queueId)?.name ?? seat.queueId) : '';
    renderCurrentCall(field('call'), agent, queueName);
    setText(field('handled'), String(agent.handled));
    renderSeatControl(agent, field('seat-control'));
    renderAgentActions(agent, field('actions'));
  }
}

/** The agent's current call, as a button that opens it in the Calls section (its timeline so far). */
function renderCurrentCall(cell, agent, queueName) {
  const id = agent.seat.interactionId;
  const label = id ? `${queueName ? `${queueName} · ` : ''}${id.slice(0, 8)}` : '';
  if (cell.dataset.key === label) return;
  cell.dataset.key = label;
  cell.replaceChildren(
    ...(id
      ? [
          el('button', {
            type: 'button',
            className: 'btn btn-quiet btn-call',
            text: label,
            title: id,
            'data-open-call': id,
            'aria-label': `Open ${agent.name}'s call ${id.slice(0, 8)}`,
          }),
        ]
      : []),
  );
}

/**
 * What a supervisor may set an agent's seat to (ready, not ready with a reason, logged out), with a Set
 * button; rebuilt only when the choices change, so a choice being made is not reset by the next event. A
 * logged-out seat has none: an agent logs in where their phone is.
 */
function renderSeatControl(agent, cell) {
  const seat = agent.seat;
  const choices =
    seat.type === 'logged_out'
      ? []
      : [
          ...(seat.type === 'available' ? [] : [['ready', 'Ready']]),
          ...model.reasonChoices
            .filter((r) => !(seat.type === 'not_ready' && seat.reason === r.code))
            .map((r) => [`not-ready:${r.code}`, `Not ready: ${r.label}`]),
          ['logout', 'Log out'],
        ];
  const key = JSON.stringify(choices);
  if (cell.dataset.key !== key) {
    cell.dataset.key = key;
    const focused = cell.contains(document.activeElement);
    const before = /** @type {HTMLSelectElement | null} */ (cell.querySelector('select'))?.value;
    if (choices.length === 0) {
      cell.replaceChildren();
    } else {
      const select = el(
        'select',
        { 'data-seat-choice': agent.id, 'aria-label': `Set ${agent.name}'s seat to` },
        ...choices.map(([value, label]) => new Option(label, value)),
      );
      if (before && choices.some(([value]) => value === before)) select.value = before;
      const button = el('button', {
        type: 'button',
        className: 'btn',
        text: 'Set',
        'data-seat-set': agent.id,
        'aria-label': `Set ${agent.name}'s seat`,
      });
      cell.replaceChildren(el('div', { className: 'action-group' }, select, button));
      if (focused) /** @type {HTMLElement} */ (cell.querySelector('select'))?.focus();
    }
  }
  for (const control of cell.querySelectorAll('select, button')) {
    /** @type {HTMLButtonElement} */ (control).disabled = model.busy.has(`seat:${agent.id}`);
  }
}

/** Listen / Whisper / Barge for an agent on a call; rebuilt only when what they act on changes. */
function renderAgentActions(agent, cell) {
  const seat = agent.seat;
  const watching = [...model.monitors.values()].filter(
    (m) => m.agentId === agent.id && m.interactionId === seat.interactionId && m.state !== 'ended',
  );
  const key = onCall(seat) ? `${seat.interactionId}|${watching.map((m) => m.mode).join(',')}` : '';
  if (cell.dataset.key !== key) {
    cell.dataset.key = key;
    const focused = cell.contains(document.activeElement)
      ? /** @type {HTMLElement} */ (document.activeElement).dataset.mode
      : undefined;
    if (!key) {
      cell.replaceChildren();
    } else {
      const buttons = MODES.map((mode) =>
        el('button', {
          type: 'button',
          className: `btn btn-${mode}`,
          text: MODE_LABELS[mode],
          'data-mode': mode,
          'data-agent': agent.id,
          'data-interaction': seat.interactionId,
          'aria-label': `${MODE_LABELS[mode]}: ${agent.name}'s call`,
        }),
      );
      const status = watching.length
        ? [
            el('span', {
              className: 'monitored',
              text: `Monitored (${watching.map((m) => m.mode).join(', ')})`,
            }),
          ]
        : [];
      cell.replaceChildren(el('div', { className: 'action-group' }, ...buttons, ...status));
      if (focused)
        /** @type {HTMLElement | null} */ (cell.querySelector(`[data-mode="${focused}"]`))?.focus();
    }
  }
  // No barging while the agent has the caller on hold: the supervisor would be alone with the caller.
  const held = seat.type === 'on_hold';
  for (const button of cell.querySelectorAll('button')) {
    const b = /** @type {HTMLButtonElement} */ (button);
    const bargeHeld = held && b.dataset.mode === 'barge';
    b.disabled = model.busy.has(`start:${agent.id}`) || bargeHeld;
    b.title = bargeHeld ? 'The caller is on hold: barge once the agent is back' : '';
  }
}

function renderMonitors() {
  setText(ui.monitorsNote, model.monitorsNote);
  const live = [...model.monitors.values()].filter((m) => m.state !== 'ended');
  const held = (/** @type {Monitor} */ m) => model.agents.get(m.agentId)?.seat.type === 'on_hold';
  const key = JSON.stringify([live, [...model.busy], live.map(held)]);
  if (ui.monitors.dataset.key === key) return;
  ui.monitors.dataset.key = key;
  const active = /** @type {HTMLElement} */ (document.activeElement);
  const focusKey = ui.monitors.contains(active) ? active.dataset.focusKey : undefined;
  ui.monitors.replaceChildren(
    ...(live.length === 0
      ? [el('li', { className: 'empty', text: 'No call is being monitored.' })]
      : live.map((m) => {
          const agent = model.agents.get(m.agentId);
          const phone = m.phone?.type === 'number' ? m.phone.number : (m.phone?.agentId ?? '');
          const busy = model.busy.has(`monitor:${m.id}`);
          // Every supervisor sees every monitor: whose it is, when they signed in as themselves.
          const whose = !m.supervisor
            ? ''
            : m.supervisor.id === model.supervisor?.id
              ? 'You: '
              : `${m.supervisor.name}: `;
          const modes = MODES.map((mode) =>
            el('button', {
              type: 'button',
              className: 'btn btn-mode',
              text: MODE_LABELS[mode],
              disabled: busy || (mode === 'barge' && m.mode !== 'barge' && held(m)),
              'aria-pressed': String(m.mode === mode),
              'data-monitor': m.id,
              'data-set-mode': mode,
              'data-focus-key': `${m.id}:${mode}`,
            }),
          );
          return el(
            'li',
            { className: 'monitor', 'data-monitor': m.id, 'data-state': m.state },
            el('span', {
              className: 'monitor-text',
              text: `${whose}${MODE_DOING[m.mode] ?? m.mode} ${agent?.name ?? m.agentId} · ${
                m.state === 'ringing' ? `ringing ${phone}…` : `on ${phone}`
              }`,
            }),
            el('div', { className: 'action-group', role: 'group', 'aria-label': 'Mode' }, ...modes),
            el('button', {
              type: 'button',
              className: 'btn btn-stop',
              text: 'Stop',
              disabled: busy,
              'data-monitor': m.id,
              'data-stop': '1',
              'data-focus-key': `${m.id}:stop`,
              'aria-label': `Stop monitoring ${agent?.name ?? m.agentId}`,
            }),
          );
        })),
  );
  if (focusKey)
    /** @type {HTMLElement | null} */ (ui.monitors.querySelector(`[data-focus-key="${focusKey}"]`))?.focus();
}

/**
 * An agent's reason cell: the not-ready reason, how far past its time limit (a 15-minute break taken for
 * 20), who set it, and a request for help. The row is marked while over the limit.
 */
function renderReason(agent, row, now) {
  const reason = seatReasonText(agent.seat, reasonText);
  // The service's overstay when it has one (from its due time, as on record); else the page's own count.
  const standing = model.overstays.get(agent.id);
  const limit = standing
    ? {
        maxMinutes: standing.limitMinutes,
        overSeconds: Math.max(0, Math.floor((now - Date.parse(standing.dueAt)) / 1000)),
      }
    : notReadyLimit(agent.seat, agent.since, model.reasonList, now);
  const over = standing !== undefined || (limit !== undefined && limit.overSeconds > 0);
  row.dataset.overLimit = String(over);
  const help = helpWanted.of(agent.id);
  const helpText = help
    ? help.taken
      ? `help coming (${help.taken.by?.name ?? 'a supervisor'})`
      : 'asks for help'
    : '';
  const said = agent.by ? `${reason ? `${reason} · ` : ''}by ${agent.by}` : reason;
  const overText = over ? `over its ${limit.maxMinutes} min by ${clock(limit.overSeconds)}` : '';
  // Who took the service's overstay on, or a button to ("I'm on it"), so two do not walk over.
  const taken = standing?.acknowledged ? `${standing.acknowledged.by?.name ?? 'a supervisor'} is on it` : '';
  const text = [said, overText, taken, helpText].filter(Boolean).join(' · ');
  const cell = /** @type {HTMLElement} */ (row.querySelector('[data-field="reason"]'));
  if (!standing || standing.acknowledged) {
    setText(cell, text);
    return;
  }
  // Kept from tick to tick (only its words change), so a click is not lost to a rebuilt button.
  let button = /** @type {HTMLButtonElement | null} */ (cell.querySelector('button[data-overstay-ack]'));
  if (!button) {
    button = el('button', {
      type: 'button',
      className: 'btn btn-quiet',
      text: 'On it',
      'data-overstay-ack': agent.id,
      'aria-label': `Take on ${agent.name}: past the limit of ${model.reasons[standing.reason] ?? standing.reason}`,
    });
    cell.replaceChildren(el('span', { 'data-reason-text': '' }), ' ', button);
  }
  setText(/** @type {HTMLElement} */ (cell.querySelector('[data-reason-text]')), text);
  button.disabled = model.busy.has(`overstay:${agent.id}`);
}

/** Takes an agent's overstay on: every wallboard then says who is on it. */
async function acknowledgeOverstay(agentId) {
  const busy = `overstay:${agentId}`;
  model.busy.add(busy);
  render();
  const name = model.agents.get(agentId)?.name ?? agentId;
  try {
    const overstay = await wallboardApi.acknowledgeOverstay(agentId);
    model.overstays.set(agentId, overstay);
    model.error = null;
    announce(`You are on it: ${name}'s ${model.reasons[overstay.reason] ?? overstay.reason}`);
  } catch (error) {
    // Back meanwhile, or a colleague took it first: said with who.
    model.error = `Cannot take on ${name}'s overstay: ${describe(error)}`;
  } finally {
    model.busy.delete(busy);
    render();
  }
}

/** What ticks: longest waits, time in state, agents waiting for help, the clock. Read figures tick on from when they were read. */
function renderTicks() {
  const now = serverClock.now();
  setText(ui.clock, new Date(now).toLocaleTimeString());
  for (const queue of model.queues.values()) {
    const card = document.getElementById(`queue-${queue.id}`);
    if (!card) continue;
    const base = queue.stats?.longestWaitSeconds ?? 0;
    const seconds = queue.waiting > 0 && queue.stats ? base + (Date.now() - queue.statsAt) / 1000 : 0;
    setText(/** @type {HTMLElement} */ (card.querySelector('[data-field="longest"]')), clock(seconds));
    // A caller waiting past the threshold is outside the service level already: said in words and colour.
    const threshold = queue.stats?.serviceLevelSeconds;
    const { waitOver } = serviceLevelWarnings({
      longestWaitSeconds: seconds,
      serviceLevelSeconds: threshold,
    });
    card.dataset.waitOver = String(waitOver);
    setText(
      /** @type {HTMLElement} */ (card.querySelector('[data-field="longest-note"]')),
      typeof threshold === 'number' ? `${waitOver ? 'over' : 'within'} ${clock(threshold)}` : '',
    );
    for (const wait of card.querySelectorAll('[data-wait]')) {
      const base = Number(/** @type {HTMLElement} */ (wait).dataset.wait);
      setText(/** @type {HTMLElement} */ (wait), clock(base + (Date.now() - queue.lineAt) / 1000));
    }
  }
  for (const agent of model.agents.values()) {
    const row = ui.agentRows.querySelector(`tr[data-agent="${CSS.escape(agent.id)}"]`);
    if (!(row instanceof HTMLElement)) continue;
    setText(
      /** @type {HTMLElement} */ (row.querySelector('[data-field="time"]')),
      clock((now - agent.since) / 1000),
    );
    renderReason(agent, row, now); // a break running past its limit says so as it happens
  }
  helpWanted.tick(now);
  agentMessages.render(); // one that ran out goes
  blockedNumbers.render(); // one that ran out goes
  signInLocks.render(); // one that ran out goes
}

function showError(message) {
  model.error = message;
  render();
}

// ---------------------------------------------------------------- reading the service

/** Re-reads a queue's figures soon (once for a burst of events about it). */
function scheduleQueueStats(queueId, delay = STATS_DEBOUNCE_MS) {
  if (!model.queues.has(queueId)) return;
  clearTimeout(statsTimers.get(queueId));
  statsTimers.set(
    queueId,
    setTimeout(() => {
      statsTimers.delete(queueId);
      loadQueueStats(queueId);
    }, delay),
  );
}

async function loadQueueStats(queueId) {
  const startedAt = Date.now();
  try {
    const [stats, line] = await Promise.all([
      wallboardApi.queueStats(queueId),
      wallboardApi.queueLine(queueId).catch(() => null), // the line is extra: the figures show without it
    ]);
    const queue = model.queues.get(queueId);
    if (!queue || !model.token) return;
    // A `queue.waiting` event newer than this request: its count stands (and a new read is scheduled).
    if (queue.eventAt > startedAt) return;
    queue.stats = stats;
    queue.statsAt = Date.now();
    queue.waiting = stats.waiting;
    if (line) {
      queue.line = line.places;
      queue.lineAt = Date.now();
    }
    render();
  } catch (error) {
    if (model.token) showError(`Cannot read the figures of queue ${queueId}: ${describe(error)}`);
  }
}

async function loadDefinitions() {
  const [queues, agents, reasons] = await Promise.all([
    wallboardApi.queues(),
    wallboardApi.agents(),
    wallboardApi.reasonCodes(),
  ]);
  model.reasons = Object.fromEntries(reasons.map((r) => [r.code, r.label]));
  model.reasonChoices = reasons.filter((r) => r.selectable !== false);
  model.reasonList = reasons;
  const oldQueues = model.queues;
  model.queues = new Map(
    queues.map((q) => [
      q.id,
      oldQueues.get(q.id) ?? {
        id: q.id,
        name: q.name,
        stats: null,
        statsAt: 0,
        waiting: 0,
        eventAt: 0,
        line: [],
        lineAt: 0,
      },
    ]),
  );
  for (const q of queues) model.queues.get(q.id).name = q.name;
  const oldAgents = model.agents;
  model.agents = new Map(
    agents.map((a) => [
      a.id,
      {
        id: a.id,
        name: a.name,
        queues: a.queues ?? [],
        skills: a.skills ?? {},
        seat: normalizeSeat(a.state),
        since: Date.parse(a.stateSince),
        handled: a.callsHandledToday,
        // Whether a supervisor made the seat's current state: known from the live stream only.
        by: oldAgents.get(a.id)?.by ?? '',
      },
    ]),
  );
  calls.refreshChoices();
  callbackList.refreshChoices();
  campaigns.refreshChoices();
  staffing.refreshChoices();
  shifts.refreshChoices();
  agentMessages.refreshChoices();
  agentSkills.refreshChoices();
  wallDisplays.refreshChoices();
  queueSettings.refresh(queues);
  queueMembers.refresh();
}

async function loadMonitors() {
  try {
    const list = await monitorApi.list();
    const items = Array.isArray(list) ? list : (list?.items ?? []);
    model.monitors = new Map(items.map((m) => [m.id, m]));
    model.monitorsNote = '';
  } catch (error) {
    model.monitors = new Map();
    model.monitorsNote = `Monitoring is unavailable: ${describe(error)}`;
  }
  render();
}

// ---------------------------------------------------------------- the live stream

function onSnapshot(snapshot) {
  const unknown =
    (snapshot.agents ?? []).some((a) => !model.agents.has(a.id)) ||
    (snapshot.queues ?? []).some((q) => !model.queues.has(q.id));
  for (const { id, seat } of snapshot.agents ?? []) {
    const agent = model.agents.get(id);
    if (!agent) continue;
    agent.seat = normalizeSeat(seat?.state);
    agent.since = seat?.stateSince ?? agent.since;
    agent.handled = seat?.callsHandledToday ?? agent.handled;
  }
  for (const { id, waiting } of snapshot.queues ?? []) {
    const queue = model.queues.get(id);
    if (!queue) continue;
    queue.waiting = waiting;
    queue.eventAt = Date.now();
  }
  helpWanted.fromSnapshot(snapshot.agents); // before the rows render: they say who asked
  render();
  // A read that fails after this session ended (ended elsewhere while the reads were on their way) says
  // nothing: the sign-in page already says why, and the late refusal must not take its place.
  const session = model.token;
  const failed = (what) => (error) => {
    if (model.token === session) showError(`Cannot read ${what}: ${describe(error)}`);
  };
  wallboardApi
    .overstays()
    .then(({ items }) => {
      model.overstays = new Map(items.map((o) => [o.agentId, o]));
      render();
    })
    .catch(failed('the breaks overstayed'));
  // Agents or queues added while this page was away: read the definitions again (names, membership).
  const reload = unknown ? loadDefinitions().then(render) : Promise.resolve();
  reload.catch(failed('the agents and queues')).then(() => {
    for (const id of model.queues.keys()) scheduleQueueStats(id, 0);
  });
  loadMonitors();
  agentMessages.load().catch(failed('the messages to agents'));
  blockedNumbers.load().catch(failed('the blocked numbers'));
  signInLocks.load().catch(failed('the sign-in locks'));
  doNotCall.load().catch(failed('the do-not-call list'));
  campaigns.load().catch(failed('the campaigns'));
  quality.load().catch(() => undefined);
  shifts.load().catch(() => undefined);
  shiftAdherence.load().catch(() => undefined);
  switches.load().catch(failed('the switches'));
  // Followed on flow.changed; a snapshot (sign-in, or a stream the service could not resume, as after its
  // restart) means changes may have gone by unseen.
  void flowFiles.read();
}

function onEvent(event) {
  serverClock.observe(Date.parse(event.at));
  const data = event.data ?? {};
  // The call open under Calls follows what happens to it (a step of it, its agent's state moving on).
  calls.follow(
    [
      data.interactionId,
      data.from?.interactionId,
      data.from?.call?.interactionId,
      data.to?.interactionId,
      data.help?.interactionId, // a request for help asked on the call
    ]
      .concat(data.to?.call?.interactionId)
      .filter((id) => typeof id === 'string' && id !== ''),
  );
  if (event.type === 'switch.changed') {
    switches.changed(data, event.at);
  } else if (event.type === 'agent.help') {
    helpWanted.onEvent(data);
  } else if (event.type === 'agent.skills') {
    const agent = model.agents.get(data.agentId);
    if (!agent) return;
    agent.skills = data.skills ?? {};
    agentSkills.changed(data.agentId);
  } else if (event.type === 'agent.overstay') {
    // The agent's row already says how far over, ticking; a screen reader hears it begin.
    const o = data.overstay;
    if (data.state === 'ended') model.overstays.delete(data.agentId);
    else if (o) model.overstays.set(data.agentId, o);
    renderAgents();
    if (data.state === 'started' && o)
      announce(
        `${agentName(data.agentId)} is past the ${o.limitMinutes} min of ${model.reasons[o.reason] ?? o.reason}`,
      );
    // A colleague went over to the agent (one's own is said where it was clicked).
    else if (data.state === 'acknowledged' && o?.acknowledged?.by?.id !== model.supervisor?.id)
      announce(`${o?.acknowledged?.by?.name ?? 'A supervisor'} is on it: ${agentName(data.agentId)}`);
  } else if (event.type.startsWith('message.')) {
    agentMessages.onEvent(event);
  } else if (event.type.startsWith('evaluation.')) {
    quality.onEvent();
    calls.evaluationChanged(data.evaluation?.interactionId);
  } else if (event.type === 'shift.adherence') {
    shiftAdherence.onAdherence(data);
  } else if (event.type === 'shift.changed') {
    shifts.load().catch(() => undefined); // the roster changed (here or elsewhere)
  } else if (event.type === 'campaign.changed') {
    campaigns.onEvent(event);
  } else if (
    event.type === 'number.do-not-call' ||
    event.type === 'number.callable' ||
    event.type === 'number.do-not-call.file'
  ) {
    doNotCall.onEvent(event);
  } else if (event.type.startsWith('number.')) {
    blockedNumbers.onEvent(event);
  } else if (event.type.startsWith('signin.')) {
    signInLocks.onEvent(event);
  } else if (event.type === 'agent.state') {
    const agent = model.agents.get(data.agentId);
    if (!agent) return;
    agent.seat = normalizeSeat(data.to);
    agent.since = Date.parse(event.at);
    agent.by = changedByName(data);
    if (typeof data.callsHandledToday === 'number') agent.handled = data.callsHandledToday;
    announce(`${agent.name}: ${stateLabel(agent.seat.type)}${agent.by ? `, by ${agent.by}` : ''}`);
    for (const queueId of agent.queues) scheduleQueueStats(queueId);
  } else if (event.type === 'agent.seat') {
    // Same state, news about it (a not ready asked for after the call, a wrap-up extended).
    const agent = model.agents.get(data.agentId);
    if (!agent) return;
    agent.seat = normalizeSeat(data.state);
  } else if (event.type === 'queue.waiting') {
    const queue = model.queues.get(data.queueId);
    if (!queue) return;
    queue.waiting = data.waiting;
    queue.eventAt = Date.now();
    scheduleQueueStats(data.queueId);
  } else if (event.type === 'monitor.changed' && data.monitor) {
    const monitor = data.monitor;
    model.monitorsNote = '';
    if (monitor.state === 'ended') {
      if (model.monitors.delete(monitor.id)) {
        const agent = model.agents.get(monitor.agentId);
        const text = `Monitoring of ${agent?.name ?? monitor.agentId} ended${monitor.endedReason ? `: ${monitor.endedReason}` : ''}`;
        announce(text);
        // Not stopped from this page (no answer, a busy phone, the call ended): say why where it is seen.
        if (!model.busy.has(`monitor:${monitor.id}`)) model.monitorsNote = text;
      }
    } else {
      model.monitors.set(monitor.id, monitor);
    }
  } else if (event.type === 'day.started') {
    // Midnight: "today" starts again; every queue's figures and agents' handled counts are read afresh.
    loadDefinitions()
      .then(() => {
        for (const queueId of model.queues.keys()) scheduleQueueStats(queueId, 0);
        render();
      })
      .catch(() => undefined);
  } else if (event.type === 'flow.changed') {
    flowFiles.changed(data);
  } else if (event.type === 'queue.defined') {
    // A supervisor created, changed or deleted a queue: its card, the choices and the settings follow.
    loadDefinitions()
      .then(() => {
        if (!data.deleted) scheduleQueueStats(data.queueId, 0);
        render();
      })
      .catch(() => undefined);
  } else if (event.type === 'queue.members' && Array.isArray(data.members)) {
    queueMembers.changed(data.queueId, data.members);
    // A supervisor changed the queue's agents: each agent's row and the queue's agent line follow.
    const members = new Set(data.members.map((/** @type {{ agentId: string }} */ m) => m.agentId));
    if (!model.queues.has(data.queueId)) {
      loadDefinitions()
        .then(render)
        .catch(() => undefined); // a queue made through the API since the page loaded
    }
    for (const agent of model.agents.values()) {
      const listed = agent.queues.includes(data.queueId);
      if (members.has(agent.id) && !listed) agent.queues = [...agent.queues, data.queueId];
      if (!members.has(agent.id) && listed) agent.queues = agent.queues.filter((q) => q !== data.queueId);
    }
    scheduleQueueStats(data.queueId);
  } else if (typeof data.queueId === 'string') {
    // Enqueued, offered, connected, abandoned, a callback asked for, a missed call: the queue's figures move.
    scheduleQueueStats(data.queueId);
  } else {
    return;
  }
  render();
}

// ---------------------------------------------------------------- sign-in

/**
 * Signs in with a supervisor's id and password, or with the supervisor token (a string): the page keeps only
 * the session token the service gives for it, which runs out and can be ended, never the password or token.
 * @param {{ supervisorId: string, password: string } | string} credentials
 */
async function signIn(credentials) {
  model.signingIn = true;
  model.error = null;
  render();
  const named = typeof credentials !== 'string';
  let session;
  try {
    session = await sessionApi.signIn(named ? credentials : { supervisorToken: credentials });
  } catch (error) {
    model.signingIn = false;
    showSignInError(named ? 'The sign-in' : 'The supervisor token', error);
    return false;
  } finally {
    ui.password.value = ''; // typed again after a refusal, never left in the page
  }
  return resumeSession(session.token);
}

/** Why signing in failed: `what` was refused (401, 403), or the service could not be asked. */
function showSignInError(what, error) {
  const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
  showError(refused ? `${what} was refused: ${describe(error)}` : `Cannot sign in: ${describe(error)}`);
}

/** Starts the page on a session token (just given, or this tab's after a reload). */
async function resumeSession(token) {
  model.signingIn = true;
  model.error = null;
  render();
  setToken(token);
  try {
    // Supervisors only: a wrong token is refused (401), an agent's too (403).
    const who = await sessionApi.who();
    model.supervisor = who.supervisor ?? null;
    await loadDefinitions();
    await switches.load();
    webhooks.load().catch((error) => showError(`Cannot read the webhooks: ${describe(error)}`));
    wallDisplays.load().catch((error) => showError(`Cannot read the wall displays: ${describe(error)}`));
  } catch (error) {
    setToken('');
    model.supervisor = null;
    model.signingIn = false;
    sessionStorage.removeItem(TOKEN_KEY);
    showSignInError('The session', error);
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  model.token = token;
  model.signingIn = false;
  ui.token.value = '';
  render();
  reports.refreshLinks();
  events?.close();
  events = openEventStream({
    onSnapshot,
    onEvent,
    onStatus: (up) => {
      model.streamUp = up;
      render();
    },
    onRefused: (message) => {
      signOut({ endSession: false });
      showError(`The live stream refused the session: ${message}`);
    },
  });
  clearInterval(tickHandle);
  tickHandle = window.setInterval(renderTicks, 1000);
  return true;
}

/**
 * Back to sign-in. A named supervisor's sign-out ends their sessions on the service too (every tab of theirs),
 * as an agent's does; when the service refused the session already, there is nothing to end.
 */
function signOut({ endSession = true } = {}) {
  if (endSession && model.supervisor) {
    sessionApi.signOut(model.supervisor.id).catch(() => undefined);
  }
  model.supervisor = null;
  events?.close();
  events = null;
  clearInterval(tickHandle);
  for (const timer of statsTimers.values()) clearTimeout(timer);
  statsTimers.clear();
  sessionStorage.removeItem(TOKEN_KEY);
  setToken('');
  model.token = '';
  model.streamUp = false;
  model.queues = new Map();
  model.agents = new Map();
  model.monitors = new Map();
  model.monitorsNote = '';
  ui.queues.replaceChildren();
  ui.agentRows.replaceChildren();
  model.error = null;
  render();
  reports.clear(); // the figures, and the links carrying the token
  staffing.clear();
  staffing.refreshChoices();
  changes.clear();
  switches.clear();
  helpWanted.clear();
  webhooks.clear();
  wallDisplays.clear();
  calls.clear(); // the calls found, the open call and its playback token
  calls.refreshChoices();
  callbackList.clear();
  callbackList.refreshChoices();
  campaigns.refreshChoices();
  agentMessages.clear();
  agentMessages.refreshChoices();
  blockedNumbers.clear();
  signInLocks.clear();
  doNotCall.clear();
  campaigns.clear();
  quality.clear();
  shifts.clear();
  shiftAdherence.clear();
  ui.supervisorId.focus();
}

// ---------------------------------------------------------------- an agent's seat

/** Sets an agent's seat as a supervisor: `choice` is ready, logout or not-ready:<reason>. */
async function setSeat(agentId, choice) {
  const agent = model.agents.get(agentId);
  const name = agent?.name ?? agentId;
  const [action, reason] = choice.split(':');
  const what =
    action === 'ready' ? 'ready' : action === 'logout' ? 'logged out' : `not ready (${reasonText(reason)})`;
  model.busy.add(`seat:${agentId}`);
  render();
  try {
    await wallboardApi.setSeat(agentId, action, reason);
    model.error = null;
    announce(`${name} set ${what}`);
  } catch (error) {
    // Refused with the seat's reason (e.g. an agent on a call cannot be logged out): shown as is.
    model.error = `Cannot set ${name} ${what}: ${describe(error)}`;
  } finally {
    model.busy.delete(`seat:${agentId}`);
    render();
  }
}

// ---------------------------------------------------------------- monitoring

async function startMonitor(agentId, interactionId, mode) {
  const phone = parsePhone(ui.myPhone.value);
  if (!phone) {
    showError('Enter “My phone” first: your seat’s agent id, or a number to ring.');
    ui.myPhone.focus();
    return;
  }
  const name = model.agents.get(agentId)?.name ?? agentId;
  model.busy.add(`start:${agentId}`);
  render();
  try {
    const monitor = await monitorApi.start(interactionId, mode, phone);
    if (monitor?.id && monitor.state !== 'ended') model.monitors.set(monitor.id, monitor);
    model.monitorsNote = '';
    model.error = null;
    announce(`${MODE_DOING[mode]} ${name}: your phone rings`);
  } catch (error) {
    model.error = `Cannot ${MODE_VERBS[mode]} ${name}'s call: ${describe(error)}`;
  } finally {
    model.busy.delete(`start:${agentId}`);
    render();
  }
}

async function changeMonitor(monitorId, change) {
  const monitor = model.monitors.get(monitorId);
  if (!monitor) return;
  const name = model.agents.get(monitor.agentId)?.name ?? monitor.agentId;
  model.busy.add(`monitor:${monitorId}`);
  render();
  try {
    if (change === 'stop') {
      await monitorApi.stop(monitorId);
      model.monitors.delete(monitorId);
      announce(`Stopped monitoring ${name}`);
    } else {
      const updated = await monitorApi.setMode(monitorId, change);
      model.monitors.set(monitorId, updated?.id ? updated : { ...monitor, mode: change });
      announce(`${MODE_DOING[change]} ${name}`);
    }
    model.error = null;
  } catch (error) {
    model.error =
      change === 'stop'
        ? `Cannot stop monitoring ${name}: ${describe(error)}`
        : `Cannot switch to ${MODE_LABELS[change].toLowerCase()}: ${describe(error)}`;
  } finally {
    model.busy.delete(`monitor:${monitorId}`);
    render();
  }
}

// ---------------------------------------------------------------- wiring

/** An agent's name as the wallboard knows it; the id for one it does not (gone from the config). */
const agentName = (id) => model.agents.get(id)?.name ?? id;
const queueName = (id) => model.queues.get(id)?.name ?? id;
/** The queues and agents as the forms' choices offer them. */
const queueChoices = () => [...model.queues.values()].map(({ id, name }) => ({ id, name }));
const agentChoices = () => [...model.agents.values()].map(({ id, name }) => ({ id, name }));
const reports = initReports({
  signedIn: () => model.token !== '',
  showError,
  agentName,
  reasonLabel: (code) => model.reasons[code] ?? code,
});
const staffing = initStaffing({
  queues: queueChoices,
  signedIn: () => model.token !== '',
  showError,
});
const switches = initSwitches({ showError });
initBoardNav({ announce });
const helpWanted = initHelpWanted({
  agentName,
  // Listen only while the agent is still on the call they asked about.
  onCall: (agentId, interactionId) => {
    const seat = model.agents.get(agentId)?.seat;
    return Boolean(seat && onCall(seat) && seat.interactionId === interactionId);
  },
  listen: (agentId, interactionId) => startMonitor(agentId, interactionId, 'listen').catch(() => undefined),
  announce,
  showError,
});
const webhooks = initWebhooks({ showError });
const wallDisplays = initWallDisplays({ showError, announce, queues: queueChoices });
const changes = initChanges({
  showError,
  agentName,
  queueName,
});
const calls = initCalls({
  showError,
  announce,
  agentName,
  queueName,
  agents: agentChoices,
  queues: queueChoices,
});
const callbackList = initCallbackList({
  queues: queueChoices,
});
const campaigns = initCampaigns({
  queues: queueChoices,
  queueName,
  agentName,
  showError,
  announce,
});
const agentMessages = initAgentMessages({
  queues: queueChoices,
  agents: agentChoices,
  showError,
  announce,
});

const blockedNumbers = initBlockedNumbers({ showError, announce, agentName });
const signInLocks = initSignInLocks({ showError, announce, agentName });
const doNotCall = initDoNotCall({ showError, announce, agentName });
initCustomerData({ announce });
const quality = initQuality({
  showError,
  agentName,
  openCall: (interactionId) => calls.open(interactionId).catch(() => undefined),
});
const shifts = initShifts({
  agents: agentChoices,
  seatOf: (agentId) => model.agents.get(agentId)?.seat.type,
  showError,
  announce,
});
const shiftAdherence = initShiftAdherence({ agents: agentChoices, showError, announce });

const agentSkills = initAgentSkills({
  agents: () => [...model.agents.values()].map(({ id, name, skills }) => ({ id, name, skills })),
  setSkills: (agentId, skills) => {
    const agent = model.agents.get(agentId);
    if (agent) agent.skills = skills;
  },
  announce,
});

const queueSettings = initQueueSettings({
  reloadDefinitions: async () => {
    await loadDefinitions();
    render();
  },
  announce,
});
const flowFiles = initFlows({ announce });
const queueMembers = initQueueMembers({
  agents: agentChoices,
  agentName,
  queueName: (queueId) => model.queues.get(queueId)?.name ?? queueId,
  announce,
});

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ui.tokenSignIn.open ? ui.token.value.trim() : '';
  const supervisorId = ui.supervisorId.value.trim();
  const password = ui.password.value;
  if (token) signIn(token).catch((error) => showError(describe(error)));
  else if (supervisorId && password)
    signIn({ supervisorId, password }).catch((error) => showError(describe(error)));
  else
    showError('Enter your supervisor id and password (or open "Sign in with the supervisor token instead")');
});
ui.signOut.addEventListener('click', () => signOut());
ui.errorClose.addEventListener('click', () => {
  model.error = null;
  render();
});
ui.myPhone.value = localStorage.getItem(PHONE_KEY) ?? '';
ui.myPhone.addEventListener('change', () => localStorage.setItem(PHONE_KEY, ui.myPhone.value.trim()));
ui.myPhoneForm.addEventListener('submit', (event) => {
  event.preventDefault();
  localStorage.setItem(PHONE_KEY, ui.myPhone.value.trim());
});
ui.agentRows.addEventListener('click', (event) => {
  const openCall = /** @type {HTMLElement} */ (event.target).closest('button[data-open-call]');
  if (openCall instanceof HTMLButtonElement && openCall.dataset.openCall) {
    calls.open(openCall.dataset.openCall).catch(() => undefined);
    return;
  }
  const overstay = /** @type {HTMLElement} */ (event.target).closest('button[data-overstay-ack]');
  if (overstay instanceof HTMLButtonElement && overstay.dataset.overstayAck) {
    acknowledgeOverstay(overstay.dataset.overstayAck).catch(() => undefined);
    return;
  }
  const set = /** @type {HTMLElement} */ (event.target).closest('button[data-seat-set]');
  if (set instanceof HTMLButtonElement) {
    const agentId = set.dataset.seatSet ?? '';
    const select = /** @type {HTMLSelectElement | null} */ (
      set.parentElement?.querySelector('select[data-seat-choice]')
    );
    if (agentId && select?.value) setSeat(agentId, select.value).catch(() => undefined);
    return;
  }
  const button = /** @type {HTMLElement} */ (event.target).closest('button[data-mode]');
  if (!(button instanceof HTMLButtonElement)) return;
  const { agent, interaction, mode } = button.dataset;
  if (agent && interaction && mode) startMonitor(agent, interaction, mode).catch(() => undefined);
});
ui.queues.addEventListener('click', (event) => {
  const first = /** @type {HTMLElement} */ (event.target).closest('button[data-line-first]');
  if (first instanceof HTMLButtonElement) {
    const { queue, lineFirst } = first.dataset;
    if (queue && lineFirst) changeLine(queue, lineFirst, 'first').catch(() => undefined);
    return;
  }
  const button = /** @type {HTMLElement} */ (event.target).closest('button[data-acknowledge]');
  if (!(button instanceof HTMLButtonElement)) return;
  const { queue, acknowledge } = button.dataset;
  if (queue && acknowledge) acknowledgeAlert(queue, acknowledge).catch(() => undefined);
});
ui.queues.addEventListener('change', (event) => {
  const select = /** @type {HTMLElement} */ (event.target).closest('select[data-line-move]');
  if (!(select instanceof HTMLSelectElement) || !select.value) return;
  const { queue, lineMove } = select.dataset;
  const to = select.value;
  select.value = ''; // back to "Move to…": the line shows where the caller went
  if (queue && lineMove) changeLine(queue, lineMove, 'move', to).catch(() => undefined);
});
ui.monitors.addEventListener('click', (event) => {
  const button = /** @type {HTMLElement} */ (event.target).closest('button[data-monitor]');
  if (!(button instanceof HTMLButtonElement)) return;
  const id = button.dataset.monitor ?? '';
  if (button.dataset.stop) changeMonitor(id, 'stop').catch(() => undefined);
  else if (button.dataset.setMode && button.getAttribute('aria-pressed') !== 'true')
    changeMonitor(id, button.dataset.setMode).catch(() => undefined);
});

/** Automation and test surface. */
window.supervisor = {
  state: () => ({
    signedIn: model.token !== '',
    supervisor: model.supervisor,
    streamUp: model.streamUp,
    error: model.error,
    queues: [...model.queues.values()].map((q) => ({ id: q.id, waiting: q.waiting, stats: q.stats })),
    agents: [...model.agents.values()].map((a) => ({ ...a, seat: { ...a.seat } })),
    monitors: [...model.monitors.values()],
    monitorsNote: model.monitorsNote,
    calls: calls.state(),
    switches: switches.state(),
  }),
  signIn,
  signOut,
  /**
   * Drops the event stream's socket as a network failure would; it resumes on its own. `{ forget: true }`:
   * as after a service restart, the page gets a snapshot instead of the events it missed.
   */
  dropEventStream: (options) => events?.drop(options),
  eventPosition: () => events?.position() ?? null,
};

render();
// A reload: sign in again with this tab's token (sessionStorage lives as long as the tab).
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) resumeSession(saved).catch(() => undefined);
else ui.supervisorId.focus();
