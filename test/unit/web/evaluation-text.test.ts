/** Quality evaluations in words, as the wallboard and the agent's page show them (src/web/common/evaluation-text.js). */
import { describe, expect, it } from 'vitest';
import {
  answerText,
  evaluationStanding,
  evaluatorName,
  scoreText,
} from '../../../src/web/common/evaluation-text.js';

const evaluation = {
  score: 81.3,
  passed: true,
  passMark: 80,
  criticalFailed: [] as string[],
  answers: [
    { id: 'greeting', text: 'Greeted the caller', kind: 'yes-no', answer: false },
    { id: 'identity', text: 'Checked identity', kind: 'yes-no', answer: null },
    { id: 'tone', text: 'Tone', kind: 'scale', max: 5, answer: 4 },
  ],
  by: { name: 'Sam Super' },
};

describe('an evaluation in words', () => {
  it('says the score and whether it passed, under the mark, or failed on a critical question', () => {
    expect(scoreText(evaluation)).toBe('81.3% · passed');
    expect(scoreText({ ...evaluation, score: 72, passed: false })).toBe('72% · under the pass mark of 80%');
    expect(scoreText({ ...evaluation, score: 0, passed: false, criticalFailed: ['identity'] })).toBe(
      '0% · failed: Checked identity: not done (critical)',
    );
  });

  it('gives each answer as chosen: yes, no, a mark of the scale, not applicable', () => {
    expect(evaluation.answers.map(answerText)).toEqual(['No', 'N/A', '4 of 5']);
    expect(answerText({ kind: 'yes-no', answer: true })).toBe('Yes');
  });

  it('says where it stands and who scored it', () => {
    expect(evaluationStanding(evaluation)).toBe('not read yet');
    expect(evaluationStanding({ ...evaluation, acknowledgedAt: '2026-12-06T10:00:00Z', reply: null })).toBe(
      'read by the agent',
    );
    expect(
      evaluationStanding({ ...evaluation, acknowledgedAt: '2026-12-06T10:00:00Z', reply: 'I did' }),
    ).toBe('read by the agent: “I did”');
    expect(
      evaluationStanding({
        ...evaluation,
        withdrawnAt: '2026-12-06T11:00:00Z',
        withdrawnBy: { name: 'Tess Lead' },
      }),
    ).toBe('withdrawn by Tess Lead');
    expect(evaluatorName(evaluation)).toBe('Sam Super');
    expect(evaluatorName({ ...evaluation, by: undefined } as never)).toBe('a supervisor');
  });
});
