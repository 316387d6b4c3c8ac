// On the softphone: the switches a supervisor has on (an emergency closure), so an agent knows why the line
// went quiet. Read at sign-in and after the stream resumed (GET /api/switches), followed on `switch.changed`.

/**
 * @param {{ element: HTMLElement, read: () => Promise<{ id: string, name: string, on: boolean }[]> }} page
 */
export function initSwitchesNotice(page) {
  /** @type {Map<string, { id: string, name: string, on: boolean }>} */
  let switches = new Map();
  const render = () => {
    const on = [...switches.values()].filter((s) => s.on).map((s) => s.name);
    page.element.hidden = on.length === 0;
    page.element.textContent = on.length === 0 ? '' : `On now: ${on.join(', ')} (set by a supervisor)`;
  };
  return {
    async load() {
      switches = new Map((await page.read()).map((s) => [s.id, s]));
      render();
    },
    /** A `switch.changed` event. */
    changed(data) {
      const s = switches.get(data.switchId);
      if (!s) return;
      switches.set(s.id, { ...s, on: data.on });
      render();
    },
    clear() {
      switches = new Map();
      render();
    },
  };
}
