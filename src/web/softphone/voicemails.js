// The Messages card: voicemails left in the IVR, waiting for the team. Any agent plays one, calls the
// caller back (the number goes to the dial box to check first) and marks it done with a disposition;
// the first agent to close a message wins, and every page drops it when the live stream says so.
import { voicemailApi } from './api.js';

/**
 * @param {{
 *   card: HTMLElement, list: HTMLElement, count: HTMLElement,
 *   codes: () => { code: string, label: string }[],
 *   callBack: (number: string) => void,
 *   showError: (message: string) => void,
 *   describe: (error: unknown) => string,
 * }} o
 */
export function createVoicemailPanel(o) {
  /** The oldest waiting messages (the work queue's front), and how many more wait behind them. */
  /** @type {any[]} */
  let items = [];
  let more = 0;
  /** The service counts a list only so far: beyond that it says "at least". */
  let moreIsExact = true;
  /** Each message's row, kept across updates: a message being played or a disposition being chosen is
   * not reset when another message arrives or is worked. */
  /** @type {Map<string, HTMLLIElement>} */
  const rows = new Map();
  let loading = Promise.resolve();

  const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

  function render() {
    o.count.textContent = `${items.length + more}${moreIsExact ? '' : '+'}`;
    o.card.dataset.count = String(items.length + more);
    o.list.querySelector(':scope > li.more')?.remove();
    const wanted = new Set(items.map((vm) => vm.id));
    for (const id of [...rows.keys()]) if (!wanted.has(id)) rows.delete(id);
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'hint';
      empty.textContent = 'No messages waiting.';
      o.list.replaceChildren(empty);
      return;
    }
    // Only new rows are inserted and gone ones removed: rows already shown are not touched.
    o.list.querySelector(':scope > li.hint')?.remove();
    let cursor = o.list.firstElementChild;
    for (const vm of items) {
      let li = rows.get(vm.id);
      if (!li) {
        li = row(vm);
        rows.set(vm.id, li);
      }
      if (li === cursor) cursor = cursor.nextElementSibling;
      else o.list.insertBefore(li, cursor);
    }
    while (cursor) {
      const next = cursor.nextElementSibling;
      cursor.remove();
      cursor = next;
    }
    if (more > 0) {
      const hint = document.createElement('li');
      hint.className = 'hint more';
      hint.textContent = `${more}${moreIsExact ? '' : '+'} newer ${more === 1 ? 'message waits' : 'messages wait'} behind these: they show as these are worked.`;
      o.list.append(hint);
    }
  }

  function row(vm) {
    const li = document.createElement('li');
    li.className = 'voicemail';
    li.dataset.id = vm.id;
    const head = document.createElement('div');
    head.className = 'voicemail-head';
    const who = document.createElement('strong');
    who.className = 'voicemail-caller';
    who.textContent = vm.callerName
      ? `${vm.callerName} (${vm.callerNumber})`
      : vm.callerNumber || 'Unknown caller';
    const meta = document.createElement('span');
    meta.className = 'hint';
    // The player shows the message's length once it has read the file's header.
    meta.textContent = `left ${when(vm.startedAt)}`;
    head.append(who, meta);

    const audio = document.createElement('audio');
    audio.controls = true;
    audio.preload = 'metadata';
    audio.src = voicemailApi.recordingUrl(vm.id);
    // A row kept since an earlier playback token (it ends with the sign-in): play with the current one.
    audio.addEventListener('error', () => {
      const current = new URL(voicemailApi.recordingUrl(vm.id), location.href).href;
      if (audio.src !== current) audio.src = current;
    });
    audio.setAttribute('aria-label', `Message from ${who.textContent}`);

    const actions = document.createElement('div');
    actions.className = 'actions';
    const call = document.createElement('button');
    call.type = 'button';
    call.className = 'btn btn-quiet voicemail-call';
    call.textContent = 'Call back';
    call.disabled = !vm.callerNumber;
    call.addEventListener('click', () => o.callBack(vm.callerNumber));
    const code = document.createElement('select');
    code.className = 'voicemail-code';
    code.setAttribute('aria-label', 'Disposition');
    code.replaceChildren(new Option('Choose…', ''), ...o.codes().map((c) => new Option(c.label, c.code)));
    const done = document.createElement('button');
    done.type = 'button';
    done.className = 'btn btn-answer voicemail-done';
    done.textContent = 'Done';
    done.addEventListener('click', async () => {
      if (!code.value) {
        o.showError('Choose a disposition for the message first.');
        code.focus();
        return;
      }
      done.disabled = true;
      try {
        await voicemailApi.close(vm.id, code.value);
        drop(vm.id);
      } catch (error) {
        o.showError(`Cannot close the message: ${o.describe(error)}`);
        await refresh();
      }
    });
    actions.append(call, code, done);
    li.append(head, audio, actions);
    return li;
  }

  function drop(id) {
    const before = items.length;
    items = items.filter((vm) => vm.id !== id);
    // Messages waiting behind the ones shown move up: read the line again.
    if (more > 0) refresh();
    else if (items.length !== before) render();
  }

  /** Reads the waiting messages again (after sign-in, a stream snapshot, or a new message). */
  function refresh() {
    loading = loading.then(async () => {
      try {
        const page = await voicemailApi.open();
        items = page.items;
        more = Math.max(0, page.total - page.items.length);
        moreIsExact = page.totalIsExact !== false;
        o.card.hidden = false;
        render();
      } catch (error) {
        o.showError(`Cannot load the messages: ${o.describe(error)}`);
      }
    });
    return loading;
  }

  /** Live stream news: a message left, or worked by someone. */
  function onEvent(event) {
    if (event.type === 'voicemail.left') refresh();
    else if (event.type === 'voicemail.worked') drop(event.data.interactionId);
  }

  return { refresh, onEvent, items: () => items.map((vm) => ({ id: vm.id, callerNumber: vm.callerNumber })) };
}
