// The call detail's Evaluation part: the call's quality evaluations (score, answers, whether the agent read
// it and what they replied) with Withdraw, and, for an ended call an agent took part in, a form to score
// the agent: a form, the agent, every question answered, a comment (POST /api/interactions/:id/evaluations).
import { answerText, evaluationStanding, evaluatorName, scoreText } from '../common/evaluation-text.js';
import { ApiError, evaluationApi } from './api.js';
import { quietButton } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {{
 *   agentName: (id: string) => string,
 *   announce: (message: string) => void,
 *   changed: () => void,
 * }} page
 */
export function initCallEvaluation(page) {
  const part = $('call-evaluation');
  const list = $('call-evaluations');
  const form = /** @type {HTMLFormElement} */ ($('call-evaluation-form'));
  const formChoice = /** @type {HTMLSelectElement} */ ($('evaluation-form'));
  const agentChoice = /** @type {HTMLSelectElement} */ ($('evaluation-agent'));
  const questions = $('evaluation-questions');
  const comment = /** @type {HTMLTextAreaElement} */ ($('evaluation-comment'));
  const submit = /** @type {HTMLButtonElement} */ ($('evaluation-submit'));
  const result = $('call-evaluation-result');
  /** The site's forms, read once per sign-in. */
  let forms = /** @type {any[] | null} */ (null);
  let callId = '';
  let generation = 0;

  const describe = (error) =>
    error instanceof ApiError ? `${error.message} (${error.code})` : String(error);

  /** One select per question: Yes / No, or 0…max, and N/A where the form allows it. */
  function renderQuestions() {
    const chosen = forms?.find((f) => f.id === formChoice.value);
    questions.replaceChildren(
      ...(chosen?.questions ?? []).map((q, i) => {
        const row = document.createElement('div');
        row.className = 'evaluation-question';
        const label = document.createElement('label');
        label.htmlFor = `evaluation-q-${i}`;
        label.textContent = `${q.text}${q.critical ? ' (critical)' : ''}`;
        const select = document.createElement('select');
        select.id = `evaluation-q-${i}`;
        select.dataset.question = q.id;
        select.required = true;
        select.append(new Option('Choose…', ''));
        if (q.kind === 'yes-no') select.append(new Option('Yes', 'true'), new Option('No', 'false'));
        else
          for (let mark = q.max ?? 5; mark >= 0; mark--)
            select.append(new Option(`${mark} of ${q.max ?? 5}`, String(mark)));
        if (q.notApplicable) select.append(new Option('N/A', 'null'));
        row.append(label, select);
        return row;
      }),
    );
  }

  function renderEvaluations(items) {
    if (items.length === 0) {
      list.replaceChildren(
        Object.assign(document.createElement('li'), {
          className: 'empty',
          textContent: 'Not evaluated yet.',
        }),
      );
      return;
    }
    list.replaceChildren(
      ...items.map((e) => {
        const li = document.createElement('li');
        li.dataset.evaluation = e.id;
        if (e.withdrawnAt) li.classList.add('withdrawn');
        const head = document.createElement('span');
        head.dataset.field = 'what';
        head.textContent = `${page.agentName(e.agentId)} · ${e.formName}: ${scoreText(e)} · by ${evaluatorName(e)}`;
        const standing = document.createElement('span');
        standing.dataset.field = 'standing';
        standing.className = 'hint';
        standing.textContent = ` · ${evaluationStanding(e)}`;
        li.append(head, standing);
        if (!e.withdrawnAt) {
          li.append(
            ' ',
            quietButton(
              'Withdraw',
              { withdrawEvaluation: e.id },
              `Withdraw the evaluation of ${page.agentName(e.agentId)}`,
            ),
          );
        }
        const answers = document.createElement('ul');
        answers.className = 'evaluation-answers';
        for (const q of e.answers) {
          const item = document.createElement('li');
          item.textContent = `${q.text}: ${answerText(q)}`;
          answers.append(item);
        }
        if (e.comment) {
          const item = document.createElement('li');
          item.dataset.field = 'comment';
          item.textContent = `Comment: ${e.comment}`;
          answers.append(item);
        }
        li.append(answers);
        return li;
      }),
    );
  }

  /** The agents who took part in the call, its last agent first (named on its record or its timeline). */
  function agentsOf(call) {
    const ids = new Set(call.agentId ? [call.agentId] : []);
    for (const entry of call.timeline ?? []) {
      const id = entry.payload?.agentId;
      if (typeof id === 'string' && id) ids.add(id);
    }
    return [...ids];
  }

  /** Shows the part for the call opened (or read again): its evaluations, and the form once it has ended. */
  async function show(call) {
    const mine = ++generation;
    const same = call.id === callId;
    callId = call.id;
    const agents = agentsOf(call);
    let items;
    try {
      forms ??= (await evaluationApi.forms()).items;
      items = (await evaluationApi.ofCall(call.id)).items;
    } catch (error) {
      if (mine !== generation) return;
      part.hidden = false;
      form.hidden = true;
      result.textContent = `The evaluations cannot be read: ${describe(error)}`;
      return;
    }
    if (mine !== generation) return;
    renderEvaluations(items);
    const scorable = call.state === 'closed' && agents.length > 0;
    part.hidden = items.length === 0 && !scorable;
    // A form being filled in stays as it is when the call is read again.
    if (same && !form.hidden && scorable) return;
    if (!same) result.textContent = '';
    form.hidden = !scorable;
    if (!scorable) return;
    formChoice.replaceChildren(...(forms ?? []).map((f) => new Option(f.name, f.id)));
    agentChoice.replaceChildren(...agents.map((id) => new Option(page.agentName(id), id)));
    comment.value = '';
    renderQuestions();
  }

  formChoice.addEventListener('change', renderQuestions);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const id = callId;
    /** @type {Record<string, boolean | number | null>} */
    const answers = {};
    for (const select of questions.querySelectorAll('select[data-question]')) {
      if (select instanceof HTMLSelectElement)
        answers[select.dataset.question ?? ''] = JSON.parse(select.value);
    }
    submit.disabled = true;
    try {
      const typed = comment.value.trim();
      const scored = await evaluationApi.evaluate(id, {
        formId: formChoice.value,
        agentId: agentChoice.value,
        answers,
        ...(typed ? { comment: typed } : {}),
      });
      result.textContent = `${page.agentName(scored.agentId)} scored ${scoreText(scored)}`;
      page.announce(result.textContent);
      comment.value = '';
      renderQuestions();
      page.changed();
    } catch (error) {
      result.textContent = `Not saved: ${describe(error)}`;
    } finally {
      submit.disabled = false;
    }
  });

  list.addEventListener('click', async (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-withdraw-evaluation]');
    if (!(button instanceof HTMLButtonElement)) return;
    button.disabled = true;
    try {
      const withdrawn = await evaluationApi.withdraw(button.dataset.withdrawEvaluation ?? '');
      result.textContent = `The evaluation of ${page.agentName(withdrawn.agentId)} was withdrawn`;
      page.announce(result.textContent);
    } catch (error) {
      result.textContent = `Not withdrawn: ${describe(error)}`;
    }
    page.changed();
  });

  return {
    show,
    /** An evaluation event: the call shown is read again if it is theirs. */
    onEvent(interactionId) {
      if (interactionId === callId) page.changed();
    },
    hide() {
      generation++;
      callId = '';
      part.hidden = true;
      result.textContent = '';
    },
    /** Signed out: the forms are read again at the next sign-in. */
    clear() {
      forms = null;
    },
  };
}
