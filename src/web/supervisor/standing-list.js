// A list of what stands now (messages to agents, blocked numbers): one line each, its words and one button,
// or a line saying there is none.

/**
 * Fills `list`; rebuilt only when `key` (what it shows, as a string) changed: every tick calls it, and a
 * focused button keeps its focus.
 * @param {HTMLElement} list
 * @param {string} key
 * @param {string} empty the line when there is nothing
 * @param {{ id: string, idField: string, text: string, note?: string,
 *   buttons: { label: string, action: string, ariaLabel: string }[] }[]} items `idField` and each
 *   `action` name the data attributes that carry the id on the line and on its buttons (`data-block`,
 *   `data-lift`); `note`, when given, follows the words in a field of its own (`data-field="note"`)
 */
export function renderStandingList(list, key, empty, items) {
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  if (items.length === 0) {
    list.replaceChildren(
      Object.assign(document.createElement('li'), { className: 'empty', textContent: empty }),
    );
    return;
  }
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      li.dataset[item.idField] = item.id;
      const what = document.createElement('span');
      what.dataset.field = 'what';
      what.textContent = item.text;
      const note = document.createElement('span');
      note.dataset.field = 'note';
      note.className = 'hint';
      note.textContent = item.note ? ` · ${item.note}` : '';
      const buttons = item.buttons.map((b) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'btn btn-quiet';
        button.textContent = b.label;
        button.dataset[b.action] = item.id;
        button.setAttribute('aria-label', b.ariaLabel);
        return button;
      });
      li.append(what, ...(item.note ? [note] : []), ...buttons.flatMap((b) => [' ', b]));
      return li;
    }),
  );
}
