/**
 * Quality evaluations: a supervisor reviews a call (usually by its recording) against one of the site's
 * forms (config `evaluationForms`) and scores the agent who took it; the agent sees the review and
 * acknowledges it, with a reply if they disagree. The form's questions are copied into the evaluation, so
 * a form edited later does not change what an agent was scored on. Pure: state in, decisions out.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { SupervisorRef } from '../acd/router-types.js';
import { ConfigId } from '../config/ids.js';

export const EVALUATION_COMMENT_MAX = 1000;

/** Form and question ids are config ids: short, lowercase, safe in URLs and logs. */
const FormId = ConfigId;

export const EvaluationQuestionSchema = Type.Object(
  {
    id: FormId('What the answers name it by'),
    text: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The question, as the reviewer reads it',
    }),
    kind: Type.Union([Type.Literal('yes-no'), Type.Literal('scale')], {
      description: 'yes-no: met or not (yes earns the weight); scale: 0 to `max` (a share of the weight)',
    }),
    max: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10, description: "A scale's top mark (default 5); not on yes-no" }),
    ),
    weight: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, description: 'Its share of the score (default 1)' }),
    ),
    critical: Type.Optional(
      Type.Boolean({
        description:
          'A yes-no question whose "no" fails the whole evaluation (score 0), e.g. the caller\'s identity not checked',
      }),
    ),
    notApplicable: Type.Optional(
      Type.Boolean({ description: 'The reviewer may answer "not applicable" (left out of the score)' }),
    ),
  },
  { additionalProperties: false },
);
export type EvaluationQuestion = Static<typeof EvaluationQuestionSchema>;

export const EvaluationFormSchema = Type.Object(
  {
    id: FormId('What evaluations name it by'),
    name: Type.String({ minLength: 1, maxLength: 64 }),
    passMark: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, description: 'The score (%) to pass (default 80)' }),
    ),
    questions: Type.Array(EvaluationQuestionSchema, { minItems: 1, maxItems: 50 }),
  },
  {
    additionalProperties: false,
    description: 'A form supervisors score calls with (quality evaluations)',
  },
);
export type EvaluationForm = Static<typeof EvaluationFormSchema>;

export const DEFAULT_EVALUATION_FORMS: EvaluationForm[] = [
  {
    id: 'call-review',
    name: 'Call review',
    passMark: 80,
    questions: [
      { id: 'greeting', text: 'Greeted the caller and gave their name', kind: 'yes-no', weight: 10 },
      {
        id: 'identity',
        text: "Checked the caller's identity before discussing the account",
        kind: 'yes-no',
        weight: 20,
        critical: true,
        notApplicable: true,
      },
      { id: 'understood', text: "Understood the caller's need", kind: 'scale', max: 5, weight: 25 },
      { id: 'resolved', text: 'Resolved it or set the next step clearly', kind: 'scale', max: 5, weight: 25 },
      { id: 'tone', text: 'Courteous, clear and patient', kind: 'scale', max: 5, weight: 20 },
    ],
  },
];

/** What the config's forms get wrong that their schema cannot say (`evaluationForms.0.questions.2.max: …`). */
export function evaluationFormProblems(forms: readonly EvaluationForm[]): string[] {
  const problems: string[] = [];
  const formIds = new Set<string>();
  forms.forEach((form, i) => {
    if (formIds.has(form.id))
      problems.push(`evaluationForms.${i}.id: duplicate form id ${JSON.stringify(form.id)}`);
    formIds.add(form.id);
    const questionIds = new Set<string>();
    form.questions.forEach((q, j) => {
      const at = `evaluationForms.${i}.questions.${j}`;
      if (questionIds.has(q.id)) problems.push(`${at}.id: duplicate question id ${JSON.stringify(q.id)}`);
      questionIds.add(q.id);
      if (q.kind === 'yes-no' && q.max !== undefined)
        problems.push(`${at}.max: a yes-no question has no scale`);
      if (q.kind === 'scale' && q.critical)
        problems.push(`${at}.critical: only a yes-no question can fail the evaluation`);
    });
  });
  return problems;
}

/** An answer: yes / no, a mark on the scale, or null for "not applicable". */
export type EvaluationAnswer = boolean | number | null;

/** One question as it was asked and answered, kept with the evaluation. */
export interface AnsweredQuestion {
  id: string;
  text: string;
  kind: 'yes-no' | 'scale';
  max?: number;
  weight: number;
  critical: boolean;
  answer: EvaluationAnswer;
}

export interface Evaluation {
  id: string;
  interactionId: string;
  agentId: string;
  formId: string;
  formName: string;
  passMark: number;
  answers: AnsweredQuestion[];
  /** 0–100, one decimal; 0 when a critical question failed. */
  score: number;
  passed: boolean;
  /** The critical questions answered "no". */
  criticalFailed: string[];
  comment: string | null;
  at: number;
  /** The supervisor who scored it; absent on the supervisor token. */
  by?: SupervisorRef;
  acknowledgedAt?: number;
  /** The agent's reply when acknowledging, if any. */
  reply?: string | null;
  withdrawnAt?: number;
  withdrawnBy?: SupervisorRef;
}

export type EvaluationRefusal =
  | { code: 'EVALUATION_FORM_NOT_FOUND'; reason: string }
  | { code: 'EVALUATION_INVALID'; reason: string }
  | { code: 'AGENT_REQUIRED'; reason: string }
  | { code: 'AGENT_NOT_ON_CALL'; reason: string }
  | { code: 'CALL_NOT_ENDED'; reason: string }
  | { code: 'ALREADY_EVALUATED'; reason: string; evaluation: Evaluation }
  | { code: 'EVALUATION_NOT_FOUND'; reason: string }
  | { code: 'NOT_YOUR_EVALUATION'; reason: string }
  | { code: 'ALREADY_ACKNOWLEDGED'; reason: string }
  | { code: 'EVALUATION_WITHDRAWN'; reason: string };

type Outcome = { evaluation: Evaluation } | { refused: EvaluationRefusal };

/** The score (%) of answers to a form, or what is wrong with them; every question answered, nothing else. */
export function scoreAnswers(
  form: EvaluationForm,
  /** As given: each is checked here against its question's kind (true / false, a mark, null). */
  answers: Readonly<Record<string, unknown>>,
):
  | { answers: AnsweredQuestion[]; score: number; passed: boolean; criticalFailed: string[] }
  | { refused: EvaluationRefusal } {
  const invalid = (reason: string) => ({ refused: { code: 'EVALUATION_INVALID' as const, reason } });
  const known = new Set(form.questions.map((q) => q.id));
  const unknown = Object.keys(answers).filter((id) => !known.has(id));
  if (unknown.length > 0)
    return invalid(`form ${form.id} has no question ${unknown.map((id) => JSON.stringify(id)).join(', ')}`);
  const answered: AnsweredQuestion[] = [];
  let earned = 0;
  let possible = 0;
  const criticalFailed: string[] = [];
  for (const q of form.questions) {
    const about = `${JSON.stringify(q.id)} (${q.text})`;
    if (!Object.hasOwn(answers, q.id)) return invalid(`${about} is not answered`);
    const answer = answers[q.id];
    const weight = q.weight ?? 1;
    const max = q.kind === 'scale' ? (q.max ?? 5) : undefined;
    if (answer === null) {
      if (!q.notApplicable) return invalid(`${about} cannot be answered "not applicable"`);
    } else if (q.kind === 'yes-no') {
      if (typeof answer !== 'boolean') return invalid(`${about} is answered yes (true) or no (false)`);
      possible += weight;
      if (answer) earned += weight;
      else if (q.critical) criticalFailed.push(q.id);
    } else {
      if (typeof answer !== 'number' || !Number.isInteger(answer) || answer < 0 || answer > (max as number))
        return invalid(`${about} is answered with a whole mark from 0 to ${max}`);
      possible += weight;
      earned += (weight * answer) / (max as number);
    }
    answered.push({
      id: q.id,
      text: q.text,
      kind: q.kind,
      ...(max === undefined ? {} : { max }),
      weight,
      critical: q.critical === true,
      answer: answer as EvaluationAnswer, // checked above
    });
  }
  if (possible === 0) return invalid('every question is "not applicable": there is nothing to score');
  const score = criticalFailed.length > 0 ? 0 : Math.round((earned / possible) * 1000) / 10;
  return { answers: answered, score, passed: score >= (form.passMark ?? 80), criticalFailed };
}

export interface EvaluationInput {
  formId: string;
  /** Who is scored: absent, the agent who last had the call. */
  agentId?: string | undefined;
  /** As given: checked against the form's questions. */
  answers: Readonly<Record<string, unknown>>;
  comment?: string | null | undefined;
}

/** What the evaluation of a call needs to know about it. */
export interface EvaluatedCall {
  id: string;
  ended: boolean;
  /** The agent who last had the call, if any. */
  lastAgentId: string | null;
  /** Every agent who took part (offered, talked, transferred, conferenced in). */
  agentIds: readonly string[];
  /** The evaluations of this call already on record. */
  evaluations: readonly Evaluation[];
}

/** A supervisor scores an agent on an ended call; one standing evaluation per agent, call and form. */
export function evaluateCall(
  forms: readonly EvaluationForm[],
  call: EvaluatedCall,
  input: EvaluationInput,
  made: { id: string; at: number; by?: SupervisorRef | undefined },
): Outcome {
  const form = forms.find((f) => f.id === input.formId);
  if (!form)
    return {
      refused: {
        code: 'EVALUATION_FORM_NOT_FOUND',
        reason: `no evaluation form ${JSON.stringify(input.formId)} (the forms: ${forms.map((f) => f.id).join(', ')})`,
      },
    };
  if (!call.ended)
    return {
      refused: {
        code: 'CALL_NOT_ENDED',
        reason: `call ${call.id} is still going on: evaluate it once it has ended`,
      },
    };
  const agentId = input.agentId ?? call.lastAgentId;
  if (!agentId)
    return {
      refused: { code: 'AGENT_REQUIRED', reason: `call ${call.id} had no agent: name the agent to evaluate` },
    };
  if (!call.agentIds.includes(agentId) && agentId !== call.lastAgentId)
    return {
      refused: {
        code: 'AGENT_NOT_ON_CALL',
        reason: `${agentId} took no part in call ${call.id} (its agents: ${call.agentIds.join(', ') || 'none'})`,
      },
    };
  const standing = call.evaluations.find(
    (e) => e.agentId === agentId && e.formId === form.id && e.withdrawnAt === undefined,
  );
  if (standing)
    return {
      refused: {
        code: 'ALREADY_EVALUATED',
        reason: `${agentId} was already evaluated on call ${call.id} with ${form.name} (${standing.score}%${standing.by ? `, by ${standing.by.name}` : ''}): withdraw that one to score it again`,
        evaluation: standing,
      },
    };
  const scored = scoreAnswers(form, input.answers);
  if ('refused' in scored) return scored;
  return {
    evaluation: {
      id: made.id,
      interactionId: call.id,
      agentId,
      formId: form.id,
      formName: form.name,
      passMark: form.passMark ?? 80,
      ...scored,
      comment: input.comment?.trim() || null,
      at: made.at,
      ...(made.by ? { by: made.by } : {}),
    },
  };
}

const missing = (id: string): { refused: EvaluationRefusal } => ({
  refused: { code: 'EVALUATION_NOT_FOUND', reason: `no evaluation with id ${id}` },
});

/** The agent evaluated has read it, and may say why they disagree; once. */
export function acknowledgeEvaluation(
  evaluation: Evaluation | undefined,
  id: string,
  agentId: string,
  reply: string | null | undefined,
  at: number,
): Outcome {
  if (!evaluation) return missing(id);
  if (evaluation.agentId !== agentId)
    return { refused: { code: 'NOT_YOUR_EVALUATION', reason: `evaluation ${id} is not of ${agentId}` } };
  if (evaluation.withdrawnAt !== undefined)
    return { refused: { code: 'EVALUATION_WITHDRAWN', reason: `evaluation ${id} was withdrawn` } };
  if (evaluation.acknowledgedAt !== undefined)
    return {
      refused: {
        code: 'ALREADY_ACKNOWLEDGED',
        reason: `evaluation ${id} was acknowledged at ${new Date(evaluation.acknowledgedAt).toISOString()}`,
      },
    };
  return { evaluation: { ...evaluation, acknowledgedAt: at, reply: reply?.trim() || null } };
}

/** A supervisor takes an evaluation back (scored in error): it no longer counts; kept on record. */
export function withdrawEvaluation(
  evaluation: Evaluation | undefined,
  id: string,
  at: number,
  by: SupervisorRef | undefined,
): Outcome {
  if (!evaluation) return missing(id);
  if (evaluation.withdrawnAt !== undefined)
    return { refused: { code: 'EVALUATION_WITHDRAWN', reason: `evaluation ${id} was already withdrawn` } };
  return { evaluation: { ...evaluation, withdrawnAt: at, ...(by ? { withdrawnBy: by } : {}) } };
}
