/** Quality evaluations in words, as the wallboard and the agent's page show them (src/web/common/evaluation-text.js). */
import { describe, expect, it } from 'vitest';
import {
  answerText,
  evaluationStanding,
  evaluatorName,
  formFiguresText,
  questionFiguresCells,
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

describe('quality by question in words', () => {
  it('says where a question applied, how it was met or marked, its share and critical fails', () => {
    const question = { text: 'Checked identity', kind: 'yes-no', critical: true, criticalFails: 1 };
    expect(questionFiguresCells({ ...question, asked: 4, notApplicable: 1, met: 2, percent: 66.7 })).toEqual([
      'Checked identity (critical)',
      '3 of 4 evaluations',
      '2 met',
      '66.7%',
      '1',
    ]);
    expect(
      questionFiguresCells({
        ...question,
        asked: 1,
        notApplicable: 1,
        met: 0,
        percent: null,
        criticalFails: 0,
      }),
    ).toEqual(['Checked identity (critical)', '0 of 1 evaluation', '–', '–', '0']);
    expect(
      questionFiguresCells({
        text: 'Tone',
        kind: 'scale',
        max: 5,
        critical: false,
        asked: 1,
        notApplicable: 0,
        averageMark: 3.5,
        percent: 70,
        criticalFails: 0,
      }),
    ).toEqual(['Tone', '1 evaluation', '3.5 of 5 on average', '70%', '–']);
    expect(formFiguresText({ formName: 'Call review', evaluations: 3, averageScore: 54.6, passed: 1 })).toBe(
      'Call review: 3 evaluations, average 54.6%, 1 passed',
    );
  });
});
