/** Quality by question (pure): each form's questions over its evaluations, as the newest asked them. */
import { describe, expect, it } from 'vitest';
import { questionFigures } from '../../../src/supervision/evaluation-figures.js';
import type { AnsweredQuestion, Evaluation } from '../../../src/supervision/evaluations.js';

let n = 0;
const evaluation = (formId: string, at: number, answers: AnsweredQuestion[], score = 80): Evaluation => ({
  id: `e${++n}`,
  interactionId: `i${n}`,
  agentId: 'anna',
  formId,
  formName: `${formId} at ${at}`,
  passMark: 80,
  answers,
  score,
  passed: score >= 80,
  criticalFailed: [],
  comment: null,
  at,
});
const yesNo = (id: string, answer: boolean | null, text = id): AnsweredQuestion => ({
  id,
  text,
  kind: 'yes-no',
  weight: 1,
  critical: false,
  answer,
});
const scale = (id: string, answer: number | null, max = 5): AnsweredQuestion => ({
  id,
  text: id,
  kind: 'scale',
  max,
  weight: 1,
  critical: false,
  answer,
});

describe('questionFigures', () => {
  it("follows a form edited since: the newest text and order, a question's share over scales of different size", () => {
    const figures = questionFigures([
      // Older: "tone" was out of 10 and came first; "hold" was asked then only.
      evaluation(
        'review',
        1,
        [scale('tone', 5, 10), yesNo('greet', true, 'Greeted'), yesNo('hold', false)],
        60,
      ),
      evaluation('review', 3, [yesNo('greet', false, 'Greeted and named'), scale('tone', 4, 5)], 90),
      evaluation('short', 2, [yesNo('greet', null)], 100),
    ]);
    expect(figures.map((f) => [f.formId, f.formName, f.evaluations, f.averageScore, f.passed])).toEqual([
      ['review', 'review at 3', 2, 75, 1],
      ['short', 'short at 2', 1, 100, 1],
    ]);
    expect(figures[0]!.questions).toEqual([
      expect.objectContaining({ id: 'greet', text: 'Greeted and named', asked: 2, met: 1, percent: 50 }),
      // 5/10 and 4/5: 50 % and 80 %; the mean mark mixes the scales (4.5), the share does not (65 %).
      expect.objectContaining({ id: 'tone', max: 5, asked: 2, averageMark: 4.5, percent: 65 }),
      expect.objectContaining({ id: 'hold', asked: 1, met: 0, percent: 0 }),
    ]);
    expect(figures[1]!.questions).toEqual([
      expect.objectContaining({ id: 'greet', asked: 1, notApplicable: 1, met: 0, percent: null }),
    ]);
    expect(questionFigures([])).toEqual([]);
  });
});
