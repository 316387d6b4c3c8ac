// My calls today (opened): the calls the agent took part in since midnight (took, or was rung for),
// newest first: when, who, how long, why it ended and the disposition, or who had it instead. Call back puts
// the number in the dial box, selected, to check first (as a message's does); Play plays the recording of a
// call they had (to write it up, or hear again what was agreed). Read as it opens, and with the figures
// while open (after each call).
import { localDay } from '../common/calendar.js';

/** The most calls listed; the count says how many more there were. */
export const MY_CALLS_SHOWN = 50;

/**
 * @param {{
 *   details: HTMLDetailsElement, list: HTMLElement, count: HTMLElement, note: HTMLElement,
 *   read: (from: string, limit: number) => Promise<{ items: any[], total: number, totalIsExact: boolean }>,
 *   line: (call: any) => { who: string, what: string, number: string },
 *   callBack: (number: string) => void,
 *   mine: (call: any) => boolean,
 *   recordingUrl: (interactionId: string) => string,
 *   describe: (error: unknown) => string,
 * }} o
 */
export function createMyCallsPanel(o) {
  /** @type {any[]} */
  let items = [];
  let reading = 0;

  const when = (iso) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

  function row(call) {
    const { who, what, number } = o.line(call);
    const li = document.createElement('li');
    li.className = 'my-call';
    li.dataset.id = call.id;
    const time = document.createElement('time');
    time.dateTime = call.startedAt;
    time.textContent = when(call.startedAt);
    const whom = document.createElement('strong');
    whom.textContent = who;
    const how = document.createElement('span');
    how.className = 'hint';
    how.textContent = what;
    li.append(time, ' ', whom, ' ', how);
    if (number) {
      const again = document.createElement('button');
      again.type = 'button';
      again.className = 'btn btn-quiet my-call-back';
      again.textContent = 'Call back';
      again.title = `Put ${number} in the dial box`;
      again.addEventListener('click', () => o.callBack(number));
      li.append(' ', again);
    }
    if (call.recording && call.state === 'closed' && o.mine(call)) li.append(' ', playButton(call, who));
    return li;
  }

  /** Play: the player takes the button's place (fifty players would each fetch a recording's header). */
  function playButton(call, who) {
    const play = document.createElement('button');
    play.type = 'button';
    play.className = 'btn btn-quiet my-call-play';
    play.textContent = 'Play';
    play.title = 'Play the recording of this call';
    play.addEventListener('click', () => {
      const audio = document.createElement('audio');
      audio.className = 'my-call-audio';
      audio.controls = true;
      audio.autoplay = true;
      audio.src = o.recordingUrl(call.id);
      audio.setAttribute('aria-label', `Recording of the call with ${who}`);
      play.replaceWith(audio);
    });
    return play;
  }

  /** Reads today's calls again, if the list is open (a read overtaken by a newer one is dropped). */
  async function refresh() {
    if (!o.details.open) return;
    const mine = ++reading;
    try {
      const page = await o.read(localDay(), MY_CALLS_SHOWN);
      if (mine !== reading) return;
      items = page.items;
      o.list.replaceChildren(...items.map(row));
      o.count.textContent = `${page.total}${page.totalIsExact ? '' : '+'}`;
      const more = page.total - items.length;
      o.note.textContent =
        items.length === 0
          ? 'No calls yet today.'
          : more > 0
            ? `And ${more}${page.totalIsExact ? '' : '+'} earlier today.`
            : '';
    } catch (error) {
      if (mine === reading) o.note.textContent = `Cannot read your calls: ${o.describe(error)}`;
    }
  }

  o.details.addEventListener('toggle', () => void refresh());
  return {
    refresh,
    /** Signed out: the next agent at this browser does not see these calls. */
    clear() {
      reading++;
      items = [];
      o.details.open = false;
      o.list.replaceChildren();
      o.count.textContent = '0';
      o.note.textContent = '';
    },
    /** What the list shows (tests and automation). */
    items: () => items.map((call) => ({ id: call.id, ...o.line(call) })),
  };
}
