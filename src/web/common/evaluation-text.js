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
