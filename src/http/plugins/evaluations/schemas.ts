import { type Static, Type } from '@sinclair/typebox';
import { supervisorRef } from '../../../interactions/events.js';
import { EVALUATION_COMMENT_MAX, EvaluationFormSchema } from '../../../supervision/evaluations.js';
import { InstantOrDate } from '../../dates.js';

const Instant = Type.String({ format: 'date-time' });
const ANSWER = 'yes-no: true / false; scale: a whole mark from 0 to its max; null: not applicable';
/** An answer as kept and shown. */
const Answer = Type.Union([Type.Boolean(), Type.Integer({ minimum: 0, maximum: 10 }), Type.Null()], {
  description: ANSWER,
});
/**
 * An answer as given: no JSON type here, on purpose. The API's validator coerces types, and against a union
 * it would read `null` (not applicable) as `false` (no); the rules (scoreAnswers) check each answer's type
 * against its question instead, and name the question when it is wrong.
 */
const GivenAnswer = Type.Unknown({ description: ANSWER });

/** An evaluation as the API, the live stream, the wallboard and the agent's page show it. */
export const EvaluationBody = Type.Object({
  id: Type.String(),
  interactionId: Type.String(),
  agentId: Type.String(),
  formId: Type.String(),
  formName: Type.String(),
  passMark: Type.Integer(),
  answers: Type.Array(
    Type.Object({
      id: Type.String(),
      text: Type.String(),
      kind: Type.Union([Type.Literal('yes-no'), Type.Literal('scale')]),
      max: Type.Optional(Type.Integer()),
      weight: Type.Integer(),
      critical: Type.Boolean(),
      answer: Answer,
    }),
    { description: "The form's questions as they were asked, with the answers" },
  ),
  score: Type.Number({
    minimum: 0,
    maximum: 100,
    description: '%, one decimal; 0 when a critical question failed',
  }),
  passed: Type.Boolean(),
  criticalFailed: Type.Array(Type.String(), { description: 'The critical questions answered "no"' }),
  comment: Type.Union([Type.String(), Type.Null()]),
  at: Instant,
  by: Type.Optional(supervisorRef('Who scored it; absent on the supervisor token')),
  acknowledgedAt: Type.Optional(Instant),
  reply: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "The agent's reply" })),
  withdrawnAt: Type.Optional(Instant),
  withdrawnBy: Type.Optional(supervisorRef('Who withdrew it')),
  call: Type.Optional(
    Type.Object(
      {
        startedAt: Instant,
        direction: Type.String(),
        callerNumber: Type.Union([Type.String(), Type.Null()]),
        callerName: Type.Union([Type.String(), Type.Null()]),
        queueId: Type.Union([Type.String(), Type.Null()]),
        recorded: Type.Boolean({
          description: 'Its recording can be played (GET /api/interactions/:id/recording)',
        }),
      },
      { description: 'The call it is of (in lists): when, with whom, whether it was recorded' },
    ),
  ),
});
export type EvaluationDto = Static<typeof EvaluationBody>;

export const EvaluationList = Type.Object({ items: Type.Array(EvaluationBody) });

export const EvaluationFormList = Type.Object({ items: Type.Array(EvaluationFormSchema) });

export const EvaluateBody = Type.Object(
  {
    formId: Type.String({ minLength: 1 }),
    agentId: Type.Optional(
      Type.String({ minLength: 1, description: 'Who is scored (default: the agent who last had the call)' }),
    ),
    answers: Type.Record(Type.String(), GivenAnswer, {
      description: 'Every question of the form by its id: { greeting: true, tone: 4, identity: null }',
    }),
    comment: Type.Optional(Type.String({ maxLength: EVALUATION_COMMENT_MAX })),
  },
  { additionalProperties: false },
);

export const AcknowledgeBody = Type.Object(
  {
    reply: Type.Optional(
      Type.String({ maxLength: EVALUATION_COMMENT_MAX, description: 'What the agent wants to say about it' }),
    ),
  },
  { additionalProperties: false },
);

export const EvaluationQuery = Type.Object({
  agentId: Type.Optional(
    Type.String({ minLength: 1, description: "An agent's (an agent sees only their own)" }),
  ),
  from: Type.Optional(InstantOrDate('Scored at or after (default: 30 days ago)')),
  to: Type.Optional(
    InstantOrDate('Scored before: an instant, or a date to the end of that day (default: now)'),
  ),
  withdrawn: Type.Optional(Type.Boolean({ description: 'Withdrawn ones too', default: false })),
  limit: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 200,
    description: 'At most so many (not for csv)',
  }),
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
    default: 'json',
    description:
      'csv: every one in the range as a spreadsheet file, one line each, a column per question (answer:<id>: yes, no, n/a or the mark)',
  }),
});

export const EVALUATIONS_CSV_COLUMNS = [
  'at',
  'agentId',
  'agentName',
  'interactionId',
  'callStartedAt',
  'callerNumber',
  'queueId',
  'formId',
  'formName',
  'score',
  'passed',
  'criticalFailed',
  'by',
  'comment',
  'acknowledgedAt',
  'reply',
  'withdrawnAt',
] as const;

export const SummaryQuery = Type.Object({
  from: Type.Optional(InstantOrDate('Scored at or after (default: 30 days ago)')),
  to: Type.Optional(InstantOrDate('Scored before (default: now)')),
});

export const EvaluationSummary = Type.Object({
  from: Instant,
  to: Instant,
  agents: Type.Array(
    Type.Object({
      agentId: Type.String(),
      name: Type.String(),
      evaluations: Type.Integer(),
      averageScore: Type.Number(),
      passed: Type.Integer(),
      criticalFailed: Type.Integer(),
      unacknowledged: Type.Integer({ description: 'Not yet read by the agent' }),
    }),
    { description: 'Agents evaluated in the range, the lowest average first' },
  ),
});

export const QuestionFiguresQuery = Type.Object(
  {
    from: Type.Optional(InstantOrDate('Scored at or after (default: 30 days ago)')),
    to: Type.Optional(InstantOrDate('Scored before (default: now)')),
    agentId: Type.Optional(Type.String({ minLength: 1, description: "One agent's evaluations only" })),
    formId: Type.Optional(Type.String({ minLength: 1, description: 'One form only' })),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      default: 'json',
      description: 'csv: one line per question of each form, as a spreadsheet file',
    }),
  },
  { additionalProperties: false },
);

const QuestionFiguresItem = Type.Object({
  id: Type.String(),
  text: Type.String({ description: 'As the newest evaluation asked it' }),
  kind: Type.Union([Type.Literal('yes-no'), Type.Literal('scale')]),
  max: Type.Optional(Type.Integer({ description: "A scale's top mark" })),
  weight: Type.Integer(),
  critical: Type.Boolean(),
  asked: Type.Integer({ description: 'Evaluations that asked it' }),
  notApplicable: Type.Integer({ description: 'Answered "not applicable": left out of its figures' }),
  met: Type.Optional(Type.Integer({ description: 'Yes-no: answered yes' })),
  averageMark: Type.Optional(Type.Number({ description: 'Scale: the mean mark where it applied' })),
  percent: Type.Union([Type.Number(), Type.Null()], {
    description:
      'The share of its points earned where it applied (yes, or the mark out of its scale), %; null when it never applied',
  }),
  criticalFails: Type.Integer({
    description: 'A critical question answered "no": each failed its evaluation',
  }),
});

export const QuestionFiguresBody = Type.Object({
  from: Instant,
  to: Instant,
  agentId: Type.Optional(Type.String()),
  forms: Type.Array(
    Type.Object({
      formId: Type.String(),
      formName: Type.String({ description: 'As the newest evaluation named it' }),
      evaluations: Type.Integer(),
      averageScore: Type.Number(),
      passed: Type.Integer(),
      questions: Type.Array(QuestionFiguresItem, {
        description: "In the newest evaluation's order, then any only older ones asked",
      }),
    }),
    { description: 'Each form scored in the range (standing evaluations), the most used first' },
  ),
});

export const QUESTION_FIGURES_CSV_COLUMNS = [
  'formId',
  'formName',
  'questionId',
  'text',
  'kind',
  'max',
  'weight',
  'critical',
  'asked',
  'notApplicable',
  'met',
  'averageMark',
  'percent',
  'criticalFails',
] as const;

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
