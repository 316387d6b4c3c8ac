// The wallboard's call history: find calls on record (days, number, queue, agent, outcome), open one for its
// timeline, with the router's reasons for each offer, and play its recording (GET /api/interactions…).
import { ApiError, callsApi } from './api.js';
import {
  callerLabel,
  DIRECTION_LABELS,
  describeEntry,
  endedByLabel,
  OUTCOME_LABELS,
  offsetLabel,
  outcomeLabel,
} from './call-history.js';
import { initCallEvaluation } from './call-evaluation.js';
import { initCallbackBooking } from './callback-booking.js';
import { duration, localDay, tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const PAGE_SIZE = 25;
/** The open call is read again this long after the last event about it (events come in bursts). */
const FOLLOW_DEBOUNCE_MS = 400;
/** …and once more this long after a read that still found it going on. */
const FOLLOW_SETTLE_MS = 1500;
/** The outcome choice that lists the calls still going on (the API's state=open). */
const OPEN = '(open)';
/** A playback token is asked for again this long before it runs out (a player may still be loading). */
const PLAY_TOKEN_MARGIN_MS = 60_000;

const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/**
 * Wires the calls section.
 * @param {{
 *   showError: (message: string) => void,
 *   announce: (message: string) => void,
 *   agentName: (id: string) => string,
 *   queueName: (id: string) => string,
 *   agents: () => { id: string, name: string }[],
 *   queues: () => { id: string, name: string }[],
 * }} page
 */
export function initCalls(page) {
  const form = /** @type {HTMLFormElement} */ ($('calls-form'));
  const from = /** @type {HTMLInputElement} */ ($('calls-from'));
  const to = /** @type {HTMLInputElement} */ ($('calls-to'));
  const number = /** @type {HTMLInputElement} */ ($('calls-number'));
  const queue = /** @type {HTMLSelectElement} */ ($('calls-queue'));
  const agent = /** @type {HTMLSelectElement} */ ($('calls-agent'));
  const outcome = /** @type {HTMLSelectElement} */ ($('calls-outcome'));
  const table = $('calls');
  const rows = $('calls-rows');
  const note = $('calls-note');
  const more = /** @type {HTMLButtonElement} */ ($('calls-more'));
  const detail = $('call-detail');
  const title = $('call-detail-title');
  const summary = $('call-summary');
  const recording = $('call-recording');
  /** The open call's player, made anew for each call (none while no recording is shown). */
  let audio = /** @type {HTMLAudioElement | null} */ (null);
  const recordingNote = $('call-recording-note');
  const timeline = $('call-timeline');
  from.value ||= localDay();
  to.value ||= localDay();
  // "In progress" is the open calls (no disposition yet); the rest are the closed calls' dispositions.
  outcome.append(new Option('In progress', OPEN));
  for (const [value, label] of Object.entries(OUTCOME_LABELS)) outcome.append(new Option(label, value));

  /** The search the list shows (kept for "Show more"), what it has so far, and how many match. */
  let search = /** @type {Record<string, string> | null} */ (null);
  /** @type {any[]} */
  let items = [];
  let total = 0;
  let totalIsExact = true;
  let openId = '';
  /** @type {{ token: string, expiresAt: number } | null} */
  let playToken = null;
  /** Bumped by every new search, and every opening or closing of a call: an answer to an older one is dropped. */
  let listGeneration = 0;
  let detailGeneration = 0;
  /** The open call's state at its last read: only a call still going on is read again as events come. */
  let openState = '';
  let followTimer = 0;

  const names = { agent: page.agentName, queue: page.queueName };
  // Booked or cancelled from the detail: the call is read again (its timeline says so).
  const booking = initCallbackBooking({ ...page, changed: (id) => open(id, true) });
  // Scored or withdrawn from the detail, or by a colleague: the call is read again.
  const evaluation = initCallEvaluation({ ...page, changed: () => openId && open(openId, true) });
  const describe = (error) =>
    error instanceof ApiError ? `${error.message} (${error.code})` : String(error);

  /** The queue and agent choices follow the wallboard's lists; a choice made stays chosen. */
  function refreshChoices() {
    for (const [select, list] of /** @type {const} */ ([
      [queue, page.queues()],
      [agent, page.agents()],
    ])) {
      const chosen = select.value;
      select.replaceChildren(new Option('any', ''), ...list.map((x) => new Option(x.name, x.id)));
      // A choice no longer listed (a queue deleted) stays, by its id, until changed.
      if (chosen && !list.some((x) => x.id === chosen)) select.append(new Option(chosen, chosen));
      select.value = chosen;
    }
  }

  function renderList() {
    rows.replaceChildren(...items.map(row));
    table.hidden = items.length === 0;
    const shown = `${items.length} of ${total}${totalIsExact ? '' : '+'}`;
    note.textContent = items.length === 0 ? 'No calls match.' : `${shown} calls, newest first`;
    more.hidden = items.length >= total;
  }

  function row(item) {
    const tr = tableRow(
      [
        when(item.startedAt),
        DIRECTION_LABELS[item.direction] ?? item.direction,
        callerLabel(item),
        item.queueId ? page.queueName(item.queueId) : '–',
        item.agentId ? page.agentName(item.agentId) : '–',
        outcomeLabel(item),
        duration(item.waitSeconds),
        duration(item.talkSeconds),
        item.recording ? 'Yes' : '–',
      ],
      { interaction: item.id },
    );
    if (item.id === openId) tr.setAttribute('aria-current', 'true');
    /** @type {HTMLElement} */ (tr.children[5]).dataset.field = 'outcome';
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'btn btn-quiet';
    open.dataset.open = item.id;
    open.textContent = 'Open';
    open.setAttribute('aria-label', `Open the call of ${when(item.startedAt)} from ${callerLabel(item)}`);
    const last = document.createElement('td');
    last.append(open);
    tr.append(last);
    return tr;
  }

  async function find(append) {
    const mine = ++listGeneration;
    if (!append) {
      search = {
        from: from.value,
        to: to.value,
        // As numbers are kept: +15550100199, whatever spacing it was typed with.
        callerNumber: number.value.replace(/[\s\-().]/g, ''),
        queueId: queue.value,
        agentId: agent.value,
        ...(outcome.value === OPEN ? { state: 'open' } : { disposition: outcome.value }),
      };
      items = [];
    }
    if (!search) return;
    note.textContent = 'Loading…';
    more.disabled = true;
    try {
      const page_ = await callsApi.list(search, PAGE_SIZE, items.length);
      if (mine !== listGeneration) return;
      // Newest first: calls that began meanwhile shift the pages, so a call already listed is not listed twice.
      const listed = new Set(items.map((i) => i.id));
      items = [...items, ...page_.items.filter((i) => !listed.has(i.id))];
      total = page_.total;
      totalIsExact = page_.totalIsExact;
      renderList();
    } catch (error) {
      if (mine !== listGeneration) return;
      // The last search's calls would read as this one's: they go.
      items = [];
      rows.replaceChildren();
      table.hidden = true;
      more.hidden = true;
      note.textContent = '';
      page.showError(`Cannot find calls: ${describe(error)}`);
    } finally {
      more.disabled = false;
    }
  }

  /** A playback token good for a while yet (one per sign-in, asked for again before it runs out). */
  async function currentPlayToken() {
    if (!playToken || playToken.expiresAt - PLAY_TOKEN_MARGIN_MS < Date.now()) {
      const { token, expiresAt } = await callsApi.playbackToken();
      playToken = { token, expiresAt: Date.parse(expiresAt) };
    }
    return playToken.token;
  }

  /** Opens a call's detail; `quiet`: read again as it changed (no focus move, no error shown). */
  async function open(interactionId, quiet = false) {
    const mine = ++detailGeneration;
    openId = interactionId;
    for (const tr of rows.querySelectorAll('tr')) {
      if (tr instanceof HTMLElement) tr.toggleAttribute('aria-current', tr.dataset.interaction === openId);
    }
    let call;
    try {
      call = await callsApi.get(interactionId);
    } catch (error) {
      if (mine === detailGeneration && !quiet) page.showError(`Cannot open the call: ${describe(error)}`);
      return;
    }
    if (mine !== detailGeneration) return;
    openState = call.state;
    title.textContent = `${DIRECTION_LABELS[call.direction] ?? call.direction} call, ${when(call.startedAt)}`;
    const facts = [
      ['Caller', callerLabel(call)],
      ['Dialled', call.dialedNumber ?? '–'],
      ['Queue', call.queueId ? page.queueName(call.queueId) : '–'],
      ['Agent', call.agentId ? page.agentName(call.agentId) : '–'],
      ['Outcome', outcomeLabel(call)],
      ['Ended by', endedByLabel(call.endedBy)],
      ['Wait', duration(call.waitSeconds)],
      ['Talk', duration(call.talkSeconds)],
      ['Hold', duration(call.holdSeconds)],
      ['Wrap-up', duration(call.wrapSeconds)],
      ['Wrap-up code', call.wrapUpCode ?? '–'],
      ['Notes', call.notes ?? '–'],
      ['IVR path', call.ivrPath?.length ? call.ivrPath.join(' › ') : '–'],
      ['Survey', call.csat ? `${call.csat} of 5` : '–'],
    ];
    summary.replaceChildren(
      ...facts.map(([term, value]) => {
        // Each term with its value in one grid cell (a <div> is allowed in a <dl> for this).
        const pair = document.createElement('div');
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        dd.dataset.field = term.toLowerCase().replace(/[^a-z]+/g, '-');
        pair.append(dt, dd);
        return pair;
      }),
    );
    timeline.replaceChildren(
      ...call.timeline.map((entry) => {
        const li = document.createElement('li');
        li.dataset.type = entry.type;
        const at = document.createElement('time');
        at.dateTime = entry.at;
        at.title = when(entry.at);
        at.textContent = offsetLabel(call.startedAt, entry.at);
        const { text, why } = describeEntry(entry, names);
        li.append(at, ` ${text}`);
        if (why?.length) {
          const list = document.createElement('ul');
          list.setAttribute('aria-label', 'Agents considered');
          for (const line of why) {
            const item = document.createElement('li');
            item.textContent = line;
            list.append(item);
          }
          li.append(list);
        }
        return li;
      }),
    );
    dropPlayer();
    recordingNote.hidden = true;
    const deleted = call.timeline.some((e) => e.type === 'recording.deleted');
    if (call.recording && call.state === 'open') {
      // Asterisk is still writing the file: its length and header are only final once the call ends.
      recordingNote.textContent = 'The call is still going on: its recording plays once it has ended.';
      recordingNote.hidden = false;
    } else if (call.recording && !deleted) {
      try {
        const token = await currentPlayToken();
        if (mine !== detailGeneration) return;
        showPlayer(callsApi.recordingUrl(call.id, token));
      } catch (error) {
        if (mine !== detailGeneration) return;
        recordingNote.textContent = `The recording cannot be played: ${describe(error)}`;
        recordingNote.hidden = false;
      }
    } else {
      recordingNote.textContent = deleted
        ? 'The recording was deleted by the retention policy; the record of the call stays.'
        : 'This call has no recording.';
      recordingNote.hidden = false;
    }
    detail.hidden = false;
    void booking.show(call);
    void evaluation.show(call);
    if (!quiet) title.focus();
  }

  /**
   * Events from the live stream that concern these calls: the open call, while it goes on, is read again
   * (once for a burst), so its timeline follows the call and its recording is offered once it has ended.
   */
  function follow(interactionIds) {
    if (!openId || openState !== 'open' || !interactionIds.includes(openId)) return;
    clearTimeout(followTimer);
    followTimer = window.setTimeout(async () => {
      const id = openId;
      await open(id, true).catch(() => undefined);
      // The agent's leaving comes a moment before the call's own end is on record: one more read then.
      if (openId === id && openState === 'open') {
        followTimer = window.setTimeout(() => open(id, true).catch(() => undefined), FOLLOW_SETTLE_MS);
      }
    }, FOLLOW_DEBOUNCE_MS);
  }

  function showPlayer(url) {
    const player = document.createElement('audio');
    player.id = 'call-audio';
    player.controls = true;
    player.preload = 'metadata';
    player.setAttribute('aria-labelledby', 'call-recording-label');
    // A recording that will not play (gone from disk, its token ended) says why instead of a dead player.
    player.addEventListener('error', () => {
      if (player !== audio) return;
      recordingNote.textContent = 'The recording could not be loaded (it may have been removed from disk).';
      recordingNote.hidden = false;
    });
    player.src = url;
    audio = player;
    recording.append(player);
    recording.hidden = false;
  }

  function dropPlayer() {
    audio?.pause();
    audio?.remove();
    audio = null;
    recording.hidden = true;
  }

  function closeDetail() {
    detailGeneration++;
    clearTimeout(followTimer);
    openId = '';
    openState = '';
    dropPlayer();
    booking.hide();
    evaluation.hide();
    detail.hidden = true;
    for (const tr of rows.querySelectorAll('tr[aria-current]')) tr.removeAttribute('aria-current');
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (from.value && to.value && from.value > to.value) {
      page.showError('Cannot find calls: the range ends before it starts (To is before From).');
      return;
    }
    find(false).catch(() => undefined);
  });
  more.addEventListener('click', () => find(true).catch(() => undefined));
  rows.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-open]');
    if (button instanceof HTMLButtonElement && button.dataset.open)
      open(button.dataset.open).catch(() => undefined);
  });
  $('call-detail-close').addEventListener('click', closeDetail);

  /** Signed out: nothing of the calls found stays on screen, and the playback token is forgotten. */
  function clear() {
    listGeneration++;
    closeDetail();
    search = null;
    items = [];
    playToken = null;
    evaluation.clear();
    rows.replaceChildren();
    table.hidden = true;
    more.hidden = true;
    note.textContent = '';
  }

  return {
    refreshChoices,
    clear,
    /** Opens a call's detail from elsewhere on the page (an agent's current call). */
    open: (interactionId) => open(interactionId),
    follow,
    /** A quality evaluation scored, read or withdrawn: the open call shows it if it is its call. */
    evaluationChanged: (interactionId) => evaluation.onEvent(interactionId),
    state: () => ({ items: items.map((i) => i.id), total, openId }),
  };
}
