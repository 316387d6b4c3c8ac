// The wallboard's IVR flows: each flow file, what version serves, and a file refused with its errors (the
// last good version serving on). GET /api/flows, POST /api/flows/reload; followed live (`flow.changed`):
// a file ops save shows here as it is loaded or refused.
import { ApiError, wallboardApi } from './api.js';
import { flowChangeText, flowStatusText } from './flow-text.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const time = (/** @type {string} */ iso) =>
  new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * @typedef {import('./flow-text.js').FlowFile} FlowFile
 * @param {{ announce: (message: string) => void }} page
 */
export function initFlows(page) {
  const table = $('flows');
  const rows = $('flow-rows');
  const dir = $('flows-dir');
  const reload = /** @type {HTMLButtonElement} */ ($('flows-reload'));
  const note = $('flows-note');

  const cell = (/** @type {string | Node} */ content, tag = 'td') => {
    const td = document.createElement(tag);
    if (tag === 'th') td.setAttribute('scope', 'row');
    td.append(content);
    return td;
  };
  /** A file's errors and warnings, one per line (each `file:line: message`). */
  const problems = (/** @type {FlowFile} */ f) => {
    const list = document.createElement('ul');
    list.className = 'flow-problems';
    for (const [kind, lines] of /** @type {const} */ ([
      ['error', f.errors],
      ['warning', f.warnings],
    ])) {
      for (const line of lines) {
        const li = document.createElement('li');
        li.className = `flow-${kind}`;
        li.textContent = kind === 'warning' ? `warning: ${line}` : line;
        list.append(li);
      }
    }
    return list;
  };

  /** The serving version's source, read when opened (what callers hear now, whatever the file says). */
  const source = (/** @type {string} */ version) => {
    const details = document.createElement('details');
    details.className = 'flow-source';
    const summary = document.createElement('summary');
    summary.textContent = 'Source';
    const pre = document.createElement('pre');
    details.append(summary, pre);
    details.addEventListener('toggle', () => {
      if (!details.open || pre.textContent) return;
      pre.textContent = 'Reading…';
      wallboardApi
        .flowVersion(version)
        .then((kept) => {
          pre.textContent = kept.source;
        })
        .catch((error) => {
          pre.textContent = `Cannot read it: ${error instanceof ApiError ? error.message : String(error)}`;
        });
    });
    return details;
  };

  const show = (/** @type {{ dir: string, files: FlowFile[] }} */ list) => {
    dir.textContent = `Flow files in ${list.dir}`;
    rows.replaceChildren(
      ...list.files.map((f) => {
        const tr = document.createElement('tr');
        tr.dataset.file = f.file;
        tr.dataset.ok = String(f.ok);
        const words = document.createElement('span');
        words.dataset.field = 'status';
        words.textContent = flowStatusText(f, time);
        const status = cell(words);
        if (f.version) status.append(source(f.version));
        tr.append(
          cell(f.file.split('/').at(-1) ?? f.file, 'th'),
          cell(f.flowId ?? '—'),
          status,
          cell(problems(f)),
        );
        return tr;
      }),
    );
    table.hidden = list.files.length === 0;
    if (list.files.length === 0) note.textContent = 'No flow files in the directory.';
  };

  /** Reads the files' state; the service may run without a flows directory (said so). */
  const read = async () => {
    try {
      show(await wallboardApi.flows());
    } catch (error) {
      table.hidden = true;
      note.textContent =
        error instanceof ApiError && error.code === 'FLOWS_UNAVAILABLE'
          ? 'The service runs without a flows directory.'
          : `Cannot read the flows: ${error instanceof ApiError ? error.message : String(error)}`;
    }
  };

  reload.addEventListener('click', () => {
    reload.disabled = true;
    void wallboardApi
      .reloadFlows()
      .then((list) => {
        show(list);
        const refused = list.files.filter((f) => !f.ok).length;
        const said = `Checked ${list.files.length} ${list.files.length === 1 ? 'file' : 'files'}: ${refused === 0 ? 'all loaded' : `${refused} refused`}`;
        note.textContent = said;
        page.announce(said);
      })
      .catch((error) => {
        note.textContent = `Not checked: ${error instanceof ApiError ? error.message : String(error)}`;
      })
      .finally(() => {
        reload.disabled = false;
      });
  });

  return {
    read,
    /** `flow.changed` from the live stream: said, and every file read again. */
    changed: (/** @type {Parameters<typeof flowChangeText>[0]} */ event) => {
      const said = flowChangeText(event);
      note.textContent = said;
      page.announce(said);
      void read();
    },
  };
}
