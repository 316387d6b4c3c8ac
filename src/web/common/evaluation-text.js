// Quality evaluations in words, the same on the wallboard and on the agent's page: the score and whether it
// passed, each answer, and where the evaluation stands (read by the agent, their reply, withdrawn).

/** "85% · passed", "0% · failed: identity not met (critical)", "72% · under the pass mark of 80%". */
export function scoreText(e) {
  if (e.criticalFailed?.length) {
    const texts = e.criticalFailed.map((id) => e.answers?.find((q) => q.id === id)?.text ?? id);
    return `${e.score}% · failed: ${texts.join('; ')}: not done (critical)`;
  }
  return e.passed ? `${e.score}% · passed` : `${e.score}% · under the pass mark of ${e.passMark}%`;
}

/** An answer as the reviewer gave it: "Yes", "No", "4 of 5", "N/A". */
export function answerText(q) {
  if (q.answer === null) return 'N/A';
  if (q.kind === 'yes-no') return q.answer ? 'Yes' : 'No';
  return `${q.answer} of ${q.max}`;
}

/** Where it stands: "withdrawn by Sam", "read by the agent: “I did check”", "not read yet". */
export function evaluationStanding(e) {
  if (e.withdrawnAt) return `withdrawn${e.withdrawnBy ? ` by ${e.withdrawnBy.name}` : ''}`;
  if (e.acknowledgedAt) return `read by the agent${e.reply ? `: “${e.reply}”` : ''}`;
  return 'not read yet';
}

/** Who scored it: "Sam Super", or "a supervisor" (the supervisor token). */
export const evaluatorName = (e) => e.by?.name ?? 'a supervisor';

/**
 * One question's figures as the wallboard's By question row: the question, where it applied ("3 of 4
 * evaluations"), met or its mean mark, the share of its points, critical fails ("–" where none could be).
 */
export function questionFiguresCells(q) {
  const applied = q.asked - q.notApplicable;
  const n = (count, one) => `${count} ${one}${count === 1 ? '' : 's'}`;
  return [
    q.critical ? `${q.text} (critical)` : q.text,
    q.notApplicable > 0 ? `${applied} of ${n(q.asked, 'evaluation')}` : n(q.asked, 'evaluation'),
    applied === 0 ? '–' : q.kind === 'yes-no' ? `${q.met} met` : `${q.averageMark} of ${q.max} on average`,
    q.percent === null ? '–' : `${q.percent}%`,
    q.critical ? String(q.criticalFails) : '–',
  ];
}

/** A form's line above its questions: "Call review: 3 evaluations, average 54.6%, 1 passed". */
export function formFiguresText(f) {
  return `${f.formName}: ${f.evaluations} evaluation${f.evaluations === 1 ? '' : 's'}, average ${f.averageScore}%, ${f.passed} passed`;
}
