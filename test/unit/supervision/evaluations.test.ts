/** Quality evaluations (pure): scoring a form's answers, who may be scored on a call, acknowledging, withdrawing. */
import { describe, expect, it } from 'vitest';
import {
  acknowledgeEvaluation,
  DEFAULT_EVALUATION_FORMS,
  type EvaluatedCall,
  type Evaluation,
  type EvaluationForm,
  evaluateCall,
  evaluationFormProblems,
  scoreAnswers,
  withdrawEvaluation,
} from '../../../src/supervision/evaluations.js';

const AT = Date.parse('2026-12-06T10:00:00Z');
const SAM = { id: 'sam', name: 'Sam Supervisor' };
const FORM: EvaluationForm = {
  id: 'review',
  name: 'Review',
  passMark: 75,
  questions: [
    { id: 'greeting', text: 'Greeted', kind: 'yes-no', weight: 10 },
    {
      id: 'identity',
      text: 'Checked identity',
      kind: 'yes-no',
      weight: 20,
      critical: true,
      notApplicable: true,
    },
    { id: 'tone', text: 'Tone', kind: 'scale', max: 4, weight: 30 },
    { id: 'resolved', text: 'Resolved', kind: 'scale', weight: 40 },
  ],
};
const ALL_GOOD = { greeting: true, identity: true, tone: 4, resolved: 5 };
const call = (over: Partial<EvaluatedCall> = {}): EvaluatedCall => ({
  id: 'i1',
  ended: true,
  lastAgentId: 'anna',
  agentIds: ['anna', 'bob'],
  evaluations: [],
  ...over,
});
const made = { id: 'e1', at: AT, by: SAM };
const scored = (outcome: ReturnType<typeof evaluateCall>): Evaluation => {
  if ('refused' in outcome) throw new Error(outcome.refused.reason);
  return outcome.evaluation;
};

describe('scoring a form', () => {
  it('weighs yes-no and scale answers into a percentage, leaving "not applicable" out', () => {
    // greeting 10 of 10, tone 2/4 of 30 = 15, resolved 3/5 of 40 = 24: 49 of 80 = 61.25%
    const score = scoreAnswers(FORM, { greeting: true, identity: null, tone: 2, resolved: 3 });
    expect(score).toMatchObject({ score: 61.3, passed: false, criticalFailed: [] });
    expect(scoreAnswers(FORM, ALL_GOOD)).toMatchObject({ score: 100, passed: true });
    // A no on greeting: 90 of 100.
    expect(scoreAnswers(FORM, { ...ALL_GOOD, greeting: false })).toMatchObject({ score: 90, passed: true });
    // tone 1/4 of 30: 7.5, so 77.5 of 100; exactly on the pass mark passes, just under does not.
    expect(scoreAnswers(FORM, { ...ALL_GOOD, tone: 1 })).toMatchObject({ score: 77.5, passed: true });
    expect(scoreAnswers({ ...FORM, passMark: 90 }, { ...ALL_GOOD, greeting: false })).toMatchObject({
      passed: true,
    });
    expect(scoreAnswers({ ...FORM, passMark: 91 }, { ...ALL_GOOD, greeting: false })).toMatchObject({
      passed: false,
    });
  });

  it('fails the whole evaluation on a critical "no", however good the rest', () => {
    expect(scoreAnswers(FORM, { ...ALL_GOOD, identity: false })).toMatchObject({
      score: 0,
      passed: false,
      criticalFailed: ['identity'],
    });
  });

  it('keeps each question as asked with its answer (a later edit of the form does not change it)', () => {
    const score = scoreAnswers(FORM, ALL_GOOD);
    if ('refused' in score) throw new Error(score.refused.reason);
    expect(score.answers).toEqual([
      { id: 'greeting', text: 'Greeted', kind: 'yes-no', weight: 10, critical: false, answer: true },
      { id: 'identity', text: 'Checked identity', kind: 'yes-no', weight: 20, critical: true, answer: true },
      { id: 'tone', text: 'Tone', kind: 'scale', max: 4, weight: 30, critical: false, answer: 4 },
      { id: 'resolved', text: 'Resolved', kind: 'scale', max: 5, weight: 40, critical: false, answer: 5 },
    ]);
  });

  it.each([
    [{ ...ALL_GOOD, smile: true }, 'form review has no question "smile"'],
    [{ greeting: true, identity: true, tone: 4 }, '"resolved" (Resolved) is not answered'],
    [{ ...ALL_GOOD, greeting: 1 }, '"greeting" (Greeted) is answered yes (true) or no (false)'],
    [{ ...ALL_GOOD, tone: 5 }, '"tone" (Tone) is answered with a whole mark from 0 to 4'],
    [{ ...ALL_GOOD, tone: 2.5 }, '"tone" (Tone) is answered with a whole mark from 0 to 4'],
    [{ ...ALL_GOOD, resolved: true }, '"resolved" (Resolved) is answered with a whole mark from 0 to 5'],
    [{ ...ALL_GOOD, tone: null }, '"tone" (Tone) cannot be answered "not applicable"'],
  ])('refuses %j: %s', (answers, reason) => {
    expect(scoreAnswers(FORM, answers as never)).toEqual({ refused: { code: 'EVALUATION_INVALID', reason } });
  });

  it('refuses answers that leave nothing to score', () => {
    const form: EvaluationForm = {
      id: 'f',
      name: 'F',
      questions: [{ id: 'a', text: 'A', kind: 'yes-no', notApplicable: true }],
    };
    expect(scoreAnswers(form, { a: null })).toEqual({
      refused: {
        code: 'EVALUATION_INVALID',
        reason: 'every question is "not applicable": there is nothing to score',
      },
    });
    // Defaults: weight 1, scale max 5, pass mark 80.
    expect(
      scoreAnswers({ id: 'g', name: 'G', questions: [{ id: 'b', text: 'B', kind: 'scale' }] }, { b: 4 }),
    ).toMatchObject({ score: 80, passed: true });
  });
});

describe("the config's forms", () => {
  it('ships a form that needs no problems fixed, and names what a form gets wrong', () => {
    expect(evaluationFormProblems(DEFAULT_EVALUATION_FORMS)).toEqual([]);
    expect(
      evaluationFormProblems([
        FORM,
        {
          id: 'review',
          name: 'Again',
          questions: [
            { id: 'a', text: 'A', kind: 'yes-no', max: 3 },
            { id: 'a', text: 'A2', kind: 'scale', critical: true },
          ],
        },
      ]),
    ).toEqual([
      'evaluationForms.1.id: duplicate form id "review"',
      'evaluationForms.1.questions.0.max: a yes-no question has no scale',
      'evaluationForms.1.questions.1.id: duplicate question id "a"',
      'evaluationForms.1.questions.1.critical: only a yes-no question can fail the evaluation',
    ]);
  });
});

describe('evaluating a call', () => {
  it('scores the agent who last had the call unless another who took part is named', () => {
    const e = scored(
      evaluateCall([FORM], call(), { formId: 'review', answers: ALL_GOOD, comment: '  good  ' }, made),
    );
    expect(e).toMatchObject({
      id: 'e1',
      interactionId: 'i1',
      agentId: 'anna',
      formId: 'review',
      formName: 'Review',
      passMark: 75,
      score: 100,
      comment: 'good',
      at: AT,
      by: SAM,
    });
    expect(e.acknowledgedAt).toBeUndefined();
    const bob = scored(
      evaluateCall([FORM], call(), { formId: 'review', agentId: 'bob', answers: ALL_GOOD }, made),
    );
    expect(bob.agentId).toBe('bob');
    expect(bob.comment).toBeNull();
    // The supervisor token: nobody in particular.
    expect(
      scored(evaluateCall([FORM], call(), { formId: 'review', answers: ALL_GOOD }, { id: 'e2', at: AT })).by,
    ).toBe(undefined);
  });

  it('refuses an unknown form, a call still going on, a call with no agent, an agent not on it', () => {
    const refusal = (c: EvaluatedCall, input: Parameters<typeof evaluateCall>[2]) => {
      const outcome = evaluateCall([FORM], c, input, made);
      return 'refused' in outcome ? [outcome.refused.code, outcome.refused.reason] : undefined;
    };
    expect(refusal(call(), { formId: 'nope', answers: ALL_GOOD })).toEqual([
      'EVALUATION_FORM_NOT_FOUND',
      'no evaluation form "nope" (the forms: review)',
    ]);
    expect(refusal(call({ ended: false }), { formId: 'review', answers: ALL_GOOD })).toEqual([
      'CALL_NOT_ENDED',
      'call i1 is still going on: evaluate it once it has ended',
    ]);
    expect(
      refusal(call({ lastAgentId: null, agentIds: [] }), { formId: 'review', answers: ALL_GOOD }),
    ).toEqual(['AGENT_REQUIRED', 'call i1 had no agent: name the agent to evaluate']);
    expect(refusal(call(), { formId: 'review', agentId: 'cleo', answers: ALL_GOOD })).toEqual([
      'AGENT_NOT_ON_CALL',
      'cleo took no part in call i1 (its agents: anna, bob)',
    ]);
  });

  it('keeps one standing evaluation per agent, call and form: a withdrawn one may be scored again', () => {
    const first = scored(evaluateCall([FORM], call(), { formId: 'review', answers: ALL_GOOD }, made));
    const again = evaluateCall(
      [FORM],
      call({ evaluations: [first] }),
      { formId: 'review', answers: ALL_GOOD },
      made,
    );
    expect(again).toEqual({
      refused: {
        code: 'ALREADY_EVALUATED',
        reason:
          'anna was already evaluated on call i1 with Review (100%, by Sam Supervisor): withdraw that one to score it again',
        evaluation: first,
      },
    });
    // Bob on the same call, and Anna on another form, are apart.
    expect(
      'evaluation' in
        evaluateCall(
          [FORM],
          call({ evaluations: [first] }),
          { formId: 'review', agentId: 'bob', answers: ALL_GOOD },
          made,
        ),
    ).toBe(true);
    const withdrawn = scored(withdrawEvaluation(first, 'e1', AT + 1000, SAM));
    expect(
      'evaluation' in
        evaluateCall(
          [FORM],
          call({ evaluations: [withdrawn] }),
          { formId: 'review', answers: ALL_GOOD },
          made,
        ),
    ).toBe(true);
  });
});

describe('acknowledging and withdrawing', () => {
  const e = scored(evaluateCall([FORM], call(), { formId: 'review', answers: ALL_GOOD }, made));

  it('lets the agent evaluated acknowledge once, with a reply', () => {
    const read = scored(acknowledgeEvaluation(e, 'e1', 'anna', ' I did check: see 02:10 ', AT + 5000));
    expect(read).toMatchObject({ acknowledgedAt: AT + 5000, reply: 'I did check: see 02:10' });
    expect(scored(acknowledgeEvaluation(e, 'e1', 'anna', '  ', AT)).reply).toBeNull();
    expect(acknowledgeEvaluation(read, 'e1', 'anna', null, AT + 6000)).toEqual({
      refused: {
        code: 'ALREADY_ACKNOWLEDGED',
        reason: 'evaluation e1 was acknowledged at 2026-12-06T10:00:05.000Z',
      },
    });
    expect(acknowledgeEvaluation(e, 'e1', 'bob', null, AT)).toEqual({
      refused: { code: 'NOT_YOUR_EVALUATION', reason: 'evaluation e1 is not of bob' },
    });
    expect(acknowledgeEvaluation(undefined, 'e9', 'anna', null, AT)).toEqual({
      refused: { code: 'EVALUATION_NOT_FOUND', reason: 'no evaluation with id e9' },
    });
  });

  it('withdraws once, with who; a withdrawn evaluation cannot be acknowledged', () => {
    const withdrawn = scored(withdrawEvaluation(e, 'e1', AT + 1000, SAM));
    expect(withdrawn).toMatchObject({ withdrawnAt: AT + 1000, withdrawnBy: SAM });
    expect(withdrawEvaluation(withdrawn, 'e1', AT + 2000, SAM)).toEqual({
      refused: { code: 'EVALUATION_WITHDRAWN', reason: 'evaluation e1 was already withdrawn' },
    });
    expect(acknowledgeEvaluation(withdrawn, 'e1', 'anna', null, AT)).toEqual({
      refused: { code: 'EVALUATION_WITHDRAWN', reason: 'evaluation e1 was withdrawn' },
    });
    expect(scored(withdrawEvaluation(e, 'e1', AT, undefined)).withdrawnBy).toBeUndefined();
  });
});
