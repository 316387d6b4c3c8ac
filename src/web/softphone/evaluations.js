// The My evaluations card: supervisors' quality evaluations of this agent's calls over the last 30 days,
// the newest first: the score, who scored it, each answer and the comment; one not read yet has a reply box
// and Acknowledge (POST /api/evaluations/:id/acknowledge: the supervisor sees it read, and the reply).
// Read at sign-in and after the stream resumed; read again on `evaluation.*` (the stream tells only theirs).
import { answerText, evaluationStanding, evaluatorName, scoreText } from '../common/evaluation-text.js';
import { evaluationApi, recordingUrl } from './api.js';

/**
 * @param {{ card: HTMLElement, list: HTMLElement, count: HTMLElement,
 *   showError: (message: string) => void, describe: (error: unknown) => string }} o
 */
export function createEvaluationsPanel(o) {
  /** @type {any[]} */
  let items = [];
  let generation = 0;
  const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });

  function row(e) {
    const li = document.createElement('li');
    li.dataset.evaluation = e.id;
    const head = document.createElement('p');
    head.dataset.field = 'score';
    head.className = e.passed ? 'evaluation-passed' : 'evaluation-failed';
    head.textContent = `${e.formName}: ${scoreText(e)}`;
    const meta = document.createElement('p');
    meta.className = 'hint';
    meta.dataset.field = 'standing';
    meta.textContent = `By ${evaluatorName(e)}, ${when(e.at)} · ${evaluationStanding(e)}`;
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Answers';
    const answers = document.createElement('ul');
    for (const q of e.answers) {
      const item = document.createElement('li');
      item.textContent = `${q.text}: ${answerText(q)}`;
      answers.append(item);
    }
    details.append(summary, answers);
    li.append(head, meta);
    if (e.call) li.append(callLine(e));
    if (e.comment) {
      const comment = document.createElement('p');
      comment.dataset.field = 'comment';
      comment.textContent = `“${e.comment}”`;
      li.append(comment);
    }
    li.append(details);
    if (!e.acknowledgedAt) li.append(acknowledgeForm(e));
    return li;
  }

  /** Which call it is of, and Play to hear it as the supervisor did (a player made on demand). */
  function callLine(e) {
    const line = document.createElement('p');
    line.dataset.field = 'call';
    const who = e.call.callerName ?? e.call.callerNumber ?? 'a withheld number';
    line.textContent = `The call of ${when(e.call.startedAt)} with ${who}`;
    if (!e.call.recorded) return line;
    const play = document.createElement('button');
    play.type = 'button';
    play.className = 'btn btn-quiet';
    play.textContent = 'Play';
    play.dataset.playEvaluation = e.id;
    play.setAttribute('aria-label', `Play the call of ${when(e.call.startedAt)}`);
    play.addEventListener('click', () => {
      const audio = document.createElement('audio');
      audio.controls = true;
      audio.dataset.evaluationAudio = e.id;
      audio.src = recordingUrl(e.interactionId);
      play.replaceWith(audio);
      audio.play().catch(() => undefined);
    });
    line.append(' ', play);
    return line;
  }

  /** A reply (optional) and Acknowledge: the supervisor sees it read. */
  function acknowledgeForm(e) {
    const form = document.createElement('form');
    form.className = 'evaluation-ack';
    const reply = document.createElement('input');
    reply.type = 'text';
    reply.maxLength = 1000;
    reply.placeholder = 'A reply, if you want to say something';
    reply.dataset.evaluationReply = e.id;
    reply.setAttribute('aria-label', `Your reply to ${evaluatorName(e)} about this evaluation`);
    const send = document.createElement('button');
    send.type = 'submit';
    send.className = 'btn btn-quiet';
    send.textContent = 'Acknowledge';
    send.dataset.acknowledge = e.id;
    form.append(reply, ' ', send);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      send.disabled = true;
      try {
        const read = await evaluationApi.acknowledge(e.id, reply.value.trim());
        items = items.map((x) => (x.id === read.id ? read : x));
        render();
      } catch (error) {
        o.showError(`Cannot acknowledge the evaluation: ${o.describe(error)}`);
        send.disabled = false;
      }
    });
    return form;
  }

  function render() {
    const unread = items.filter((e) => !e.acknowledgedAt).length;
    o.count.textContent = String(unread);
    o.card.hidden = items.length === 0;
    // A reply being typed is not lost when another evaluation comes: rows of unchanged evaluations stay.
    const shown = new Map(
      [...o.list.children].map((li) => [/** @type {HTMLElement} */ (li).dataset.evaluation, li]),
    );
    o.list.replaceChildren(
      ...items.map((e) => {
        const key = `${e.id}:${e.acknowledgedAt ?? ''}`;
        const kept = shown.get(e.id);
        if (kept instanceof HTMLElement && kept.dataset.key === key) return kept;
        const li = row(e);
        li.dataset.key = key;
        return li;
      }),
    );
  }

  async function refresh() {
    const mine = ++generation;
    try {
      const read = await evaluationApi.mine();
      if (mine !== generation) return;
      items = read.items;
      render();
    } catch (error) {
      if (mine === generation) o.showError(`Cannot read your evaluations: ${o.describe(error)}`);
    }
  }

  return {
    refresh,
    onEvent: () => refresh(),
    clear() {
      generation++;
      items = [];
      o.list.replaceChildren();
      render();
    },
  };
}
