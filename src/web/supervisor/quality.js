// The wallboard's Quality: each agent's call evaluations over the last 30 days (how many, the average,
// passes, critical fails, not read yet), the lowest average first; read again when one is scored, read or
// withdrawn (GET /api/evaluations/summary, `evaluation.*`). Show lists one agent's, each with Open call
// (its detail under Calls: the recording, the answers, the agent's reply). By question shows how each
// form's questions were answered, the team's or the agent's shown (GET /api/evaluations/questions).
import {
  evaluationStanding,
  evaluatorName,
  formFiguresText,
  questionFiguresCells,
  scoreText,
} from '../common/evaluation-text.js';
import { ApiError, evaluationApi } from './api.js';
import { quietButton, tableRow } from './format.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** Events come in bursts (a supervisor scoring several calls): one read for a burst. */
const DEBOUNCE_MS = 300;

/**
 * @param {{ showError: (message: string) => void, agentName: (agentId: string) => string,
 *   openCall: (interactionId: string) => void }} page
 */
export function initQuality(page) {
  const table = $('quality');
  const rows = $('quality-rows');
  const note = $('quality-note');
  const agentPart = $('quality-agent');
  const agentTitle = $('quality-agent-title');
  const agentList = $('quality-evaluations');
  const questionsPart = $('quality-questions-part');
  const questionsTitle = $('quality-questions-title');
  const questions = $('quality-questions');
  const questionsCsv = $('quality-questions-csv');
  let generation = 0;
  let timer = 0;
  /** The agent whose evaluations are shown, if any: read again with the figures. */
  let shownAgent = '';
  const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
  const errorText = (error) => (error instanceof ApiError ? error.message : String(error));

  async function showAgent(agentId, focus = false) {
    shownAgent = agentId;
    let items;
    try {
      items = (await evaluationApi.ofAgent(agentId)).items;
    } catch (error) {
      page.showError(`Cannot read the evaluations: ${errorText(error)}`);
      return;
    }
    if (shownAgent !== agentId) return;
    agentTitle.textContent = `Evaluations of ${page.agentName(agentId)}, last 30 days`;
    agentList.replaceChildren(
      ...items.map((e) => {
        const li = document.createElement('li');
        li.dataset.evaluation = e.id;
        const what = document.createElement('span');
        what.dataset.field = 'what';
        const call = e.call ? `, the call of ${when(e.call.startedAt)}` : '';
        what.textContent = `${when(e.at)} · ${e.formName}: ${scoreText(e)} · by ${evaluatorName(e)}${call}`;
        const standing = document.createElement('span');
        standing.className = 'hint';
        standing.dataset.field = 'standing';
        standing.textContent = ` · ${evaluationStanding(e)}`;
        li.append(what, standing, ' ', quietButton('Open call', { openEvaluatedCall: e.interactionId }));
        return li;
      }),
    );
    agentPart.hidden = false;
    if (focus) agentTitle.focus();
  }

  /**
   * Each form's questions as a table under a line of its figures, for the team or the agent shown; read
   * beside the summary (`asked`: that read), or on its own when Show picks an agent.
   */
  async function showQuestions(asked = evaluationApi.questions(shownAgent)) {
    const agentId = shownAgent;
    const mine = generation;
    let figures;
    try {
      figures = await asked;
    } catch (error) {
      if (mine === generation) page.showError(`Cannot read the evaluations by question: ${errorText(error)}`);
      return;
    }
    if (shownAgent !== agentId || mine !== generation) return;
    questionsTitle.textContent = `By question, last 30 days${agentId ? `: ${page.agentName(agentId)}` : ''}`;
    questions.replaceChildren(
      ...figures.forms.flatMap((form) => {
        const line = document.createElement('p');
        line.className = 'hint';
        line.dataset.form = form.formId;
        line.textContent = formFiguresText(form);
        const table = document.createElement('table');
        table.className = 'agents report';
        table.dataset.form = form.formId;
        const head = document.createElement('thead');
        const titles = document.createElement('tr');
        for (const title of ['Question', 'Applied', 'Met or mark', 'Points earned', 'Critical fails']) {
          const th = document.createElement('th');
          th.scope = 'col';
          th.textContent = title;
          titles.append(th);
        }
        head.append(titles);
        const body = document.createElement('tbody');
        body.append(...form.questions.map((q) => tableRow(questionFiguresCells(q), { question: q.id })));
        table.append(head, body);
        return [line, table];
      }),
    );
    questionsPart.hidden = figures.forms.length === 0;
  }

  // The files need the token in a header: a click downloads them (the addresses are for show).
  for (const [link, save, what] of /** @type {const} */ ([
    [questionsCsv, evaluationApi.saveQuestionsCsv, 'the evaluations by question'],
    [$('quality-evaluations-csv'), evaluationApi.saveCsv, 'the evaluations'],
  ]))
    link.addEventListener('click', async (event) => {
      event.preventDefault();
      try {
        await save(shownAgent);
      } catch (error) {
        page.showError(`Cannot download ${what}: ${errorText(error)}`);
      }
    });

  rows.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-quality-agent]');
    if (button instanceof HTMLButtonElement)
      void showAgent(button.dataset.qualityAgent ?? '', true).then(showQuestions);
  });
  agentList.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-open-evaluated-call]');
    if (button instanceof HTMLButtonElement) page.openCall(button.dataset.openEvaluatedCall ?? '');
  });

  async function load() {
    const mine = ++generation;
    // Both reads at once, so a page (re)loading asks for its figures in one go.
    const byQuestion = evaluationApi.questions(shownAgent);
    byQuestion.catch(() => undefined); // said by showQuestions below, if still wanted
    let summary;
    try {
      summary = await evaluationApi.summary();
    } catch (error) {
      if (mine === generation)
        page.showError(
          `Cannot read the evaluations: ${error instanceof ApiError ? error.message : String(error)}`,
        );
      return;
    }
    if (mine !== generation) return;
    rows.replaceChildren(
      ...summary.agents.map((a) => {
        const tr = tableRow(
          [
            page.agentName(a.agentId),
            a.evaluations,
            `${a.averageScore}%`,
            a.passed,
            a.criticalFailed,
            a.unacknowledged,
          ],
          { agent: a.agentId },
        );
        const cell = document.createElement('td');
        cell.append(
          quietButton(
            'Show',
            { qualityAgent: a.agentId },
            `Show the evaluations of ${page.agentName(a.agentId)}`,
          ),
        );
        tr.append(cell);
        return tr;
      }),
    );
    table.hidden = summary.agents.length === 0;
    note.textContent = summary.agents.length === 0 ? 'No call evaluated in the last 30 days.' : '';
    if (shownAgent) await showAgent(shownAgent);
    if (mine === generation) await showQuestions(byQuestion);
  }

  return {
    load,
    onEvent() {
      clearTimeout(timer);
      timer = window.setTimeout(() => load().catch(() => undefined), DEBOUNCE_MS);
    },
    clear() {
      generation++;
      clearTimeout(timer);
      shownAgent = '';
      agentPart.hidden = true;
      agentList.replaceChildren();
      questions.replaceChildren();
      questionsPart.hidden = true;
      rows.replaceChildren();
      table.hidden = true;
      note.textContent = '';
    },
  };
}
