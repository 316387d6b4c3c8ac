/**
 * Quality evaluations: a supervisor scores an agent on an ended call (usually while playing its recording)
 * against one of the site's forms; the agent sees it on their page, live (`evaluation.created`), and
 * acknowledges it, with a reply if they disagree. Supervisors list them, see each agent's average over a
 * time, and withdraw one scored in error (in the change log). An agent sees only their own.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EventHub } from '../../../events/event-hub.js';
import type { EvaluationLog } from '../../../store/evaluation-log.js';
import type { InteractionLog } from '../../../store/interaction-log.js';
import {
  acknowledgeEvaluation,
  type AnsweredQuestion,
  type Evaluation,
  type EvaluationForm,
  type EvaluationRefusal,
  evaluateCall,
  withdrawEvaluation,
} from '../../../supervision/evaluations.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { checkRange, rangeEnd, rangeStart } from '../../dates.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { interactionFor } from '../../interaction-access.js';
import {
  AcknowledgeBody,
  EvaluateBody,
  EvaluationBody,
  type EvaluationDto,
  EvaluationFormList,
  EvaluationList,
  EvaluationQuery,
  EvaluationSummary,
  EVALUATIONS_CSV_COLUMNS,
  IdParams,
  QUESTION_FIGURES_CSV_COLUMNS,
  QuestionFiguresBody,
  QuestionFiguresQuery,
  SummaryQuery,
} from './schemas.js';
import { dateOf } from '../../../acd/site-day.js';
import { questionFigures } from '../../../supervision/evaluation-figures.js';
import { sendCsv } from '../../report-bodies.js';

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 24 * 60 * 60 * 1000;
/** Evaluations are scored by hand: a year of a large team's is well under this. */
const FIGURES_AT_MOST = 100_000;

export function evaluationDto(e: Evaluation): EvaluationDto {
  return {
    id: e.id,
    interactionId: e.interactionId,
    agentId: e.agentId,
    formId: e.formId,
    formName: e.formName,
    passMark: e.passMark,
    answers: e.answers,
    score: e.score,
    passed: e.passed,
    criticalFailed: e.criticalFailed,
    comment: e.comment,
    at: iso(e.at),
    ...(e.by ? { by: e.by } : {}),
    ...(e.acknowledgedAt === undefined
      ? {}
      : { acknowledgedAt: iso(e.acknowledgedAt), reply: e.reply ?? null }),
    ...(e.withdrawnAt === undefined ? {} : { withdrawnAt: iso(e.withdrawnAt) }),
    ...(e.withdrawnBy ? { withdrawnBy: e.withdrawnBy } : {}),
  };
}

const STATUS: Record<EvaluationRefusal['code'], number> = {
  EVALUATION_FORM_NOT_FOUND: 400,
  EVALUATION_INVALID: 400,
  AGENT_REQUIRED: 400,
  AGENT_NOT_ON_CALL: 409,
  CALL_NOT_ENDED: 409,
  ALREADY_EVALUATED: 409,
  EVALUATION_NOT_FOUND: 404,
  NOT_YOUR_EVALUATION: 403,
  ALREADY_ACKNOWLEDGED: 409,
  EVALUATION_WITHDRAWN: 409,
};

export const evaluationsPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  hub: EventHub;
  log: Pick<InteractionLog, 'afterQueuedWrites' | 'get' | 'agentTookPart' | 'agentsOf'>;
  evaluations: Pick<
    EvaluationLog,
    'added' | 'changed' | 'get' | 'ofInteraction' | 'list' | 'summary' | 'callsOf'
  >;
  forms: readonly EvaluationForm[];
  agentName: (agentId: string) => string;
  timeZone: string;
  recordChange: RecordChange;
  now?: () => number;
}> = async (
  app,
  { auth, hub, log, evaluations, forms, agentName, timeZone, recordChange, now = Date.now },
) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
  const outcomeOf = (outcome: { evaluation: Evaluation } | { refused: EvaluationRefusal }): Evaluation => {
    if ('refused' in outcome)
      throw new ApiError(STATUS[outcome.refused.code], outcome.refused.code, outcome.refused.reason);
    return outcome.evaluation;
  };
  /** A query's range: `from` or 30 days ago, `to` or now; refused when backwards. */
  const rangeOf = (q: { from?: string; to?: string }) => {
    const to = q.to ? rangeEnd(q.to, timeZone) : now() + 1;
    const from = q.from ? rangeStart(q.from, timeZone) : to - 30 * DAY;
    checkRange(from, to, q);
    return { from, to };
  };

  app.get(
    '/api/evaluation-forms',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'The forms calls are scored with (config `evaluationForms`): their questions, weights and pass mark',
        response: { 200: EvaluationFormList, 401: ErrorBody },
      },
    },
    async (request) => {
      auth.signedIn(request);
      return { items: [...forms] };
    },
  );

  app.post(
    '/api/interactions/:id/evaluations',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Score an agent on an ended call against a form (supervisors): every question answered; the score, pass and critical fails are worked out here. The agent sees it live and acknowledges it',
        params: IdParams,
        body: EvaluateBody,
        response: { 201: EvaluationBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const row = await interactionFor(log, principal, request.params.id);
      const [agentIds, standing] = await Promise.all([
        log.agentsOf(row.id),
        evaluations.ofInteraction(row.id),
      ]);
      const evaluation = outcomeOf(
        evaluateCall(
          forms,
          {
            id: row.id,
            ended: row.state === 'closed',
            lastAgentId: row.agent_id,
            agentIds,
            evaluations: standing,
          },
          request.body,
          { id: randomUUID(), at: now(), by: supervisorOf(principal) },
        ),
      );
      await evaluations.added(evaluation);
      const dto = evaluationDto(evaluation);
      request.log.info(
        {
          interactionId: row.id,
          agentId: evaluation.agentId,
          evaluationId: evaluation.id,
          score: evaluation.score,
        },
        'call evaluated',
      );
      hub.publish('evaluation.created', { agentId: evaluation.agentId, evaluation: dto });
      return reply.code(201).send(dto);
    },
  );

  app.get(
    '/api/interactions/:id/evaluations',
    {
      schema: {
        tags: ['supervisors'],
        summary: "A call's evaluations, withdrawn ones too (an agent: their own on a call they took part in)",
        params: IdParams,
        response: { 200: EvaluationList, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      const row = await interactionFor(log, principal, request.params.id);
      const items = await evaluations.ofInteraction(row.id);
      return {
        items: items
          .filter((e) => principal.role === 'supervisor' || e.agentId === principal.agentId)
          .map(evaluationDto),
      };
    },
  );

  app.get(
    '/api/evaluations',
    {
      schema: {
        tags: ['supervisors', 'agents'],
        summary:
          "Evaluations scored in a time (default the last 30 days), the newest first: supervisors any agent's, an agent their own; as JSON or a CSV file (format=csv: a line each, a column per question)",
        querystring: EvaluationQuery,
        response: { 200: EvaluationList, ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const principal = auth.signedIn(request);
      if (principal.role === 'agent' && q.agentId !== undefined && q.agentId !== principal.agentId)
        throw new ApiError(403, 'FORBIDDEN', "an agent sees their own evaluations, not a colleague's");
      const agentId = principal.role === 'agent' ? principal.agentId : q.agentId;
      const { from, to } = rangeOf(q);
      const csv = q.format === 'csv';
      const items = await evaluations.list({
        agentId,
        from,
        to,
        withdrawn: q.withdrawn,
        limit: csv ? FIGURES_AT_MOST : q.limit,
      });
      // Which call each is of, so the agent knows the conversation (and can play it back).
      const calls = await evaluations.callsOf(items.map((e) => e.interactionId));
      if (csv) {
        const answerOf = (a: AnsweredQuestion['answer']) =>
          a === null ? 'n/a' : a === true ? 'yes' : a === false ? 'no' : a;
        return sendCsv(
          reply,
          `evaluations${agentId ? `-${agentId}` : ''}-${dateOf(from, timeZone)}-${dateOf(to - 1, timeZone)}.csv`,
          EVALUATIONS_CSV_COLUMNS,
          items,
          (e) => {
            const call = calls.get(e.interactionId);
            return {
              at: iso(e.at),
              agentId: e.agentId,
              agentName: agentName(e.agentId),
              interactionId: e.interactionId,
              callStartedAt: call ? iso(call.startedAt) : null,
              callerNumber: call?.callerNumber ?? null,
              queueId: call?.queueId ?? null,
              formId: e.formId,
              formName: e.formName,
              score: e.score,
              passed: e.passed,
              criticalFailed: e.criticalFailed.join(' '),
              by: e.by?.name ?? null,
              comment: e.comment,
              acknowledgedAt: e.acknowledgedAt === undefined ? null : iso(e.acknowledgedAt),
              reply: e.reply ?? null,
              withdrawnAt: e.withdrawnAt === undefined ? null : iso(e.withdrawnAt),
              // A column per question (no dot: a form without it leaves the cell empty, not 0).
              ...Object.fromEntries(e.answers.map((a) => [`answer:${a.id}`, answerOf(a.answer)])),
            };
          },
        );
      }
      return {
        items: items.map((e) => {
          const call = calls.get(e.interactionId);
          return {
            ...evaluationDto(e),
            ...(call ? { call: { ...call, startedAt: iso(call.startedAt) } } : {}),
          };
        }),
      };
    },
  );

  app.get(
    '/api/evaluations/summary',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Per agent, the evaluations scored in a time (default the last 30 days): how many, the average score, passes, critical fails, not yet acknowledged',
        querystring: SummaryQuery,
        response: { 200: EvaluationSummary, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      const { from, to } = rangeOf(request.query);
      const agents = await evaluations.summary(from, to);
      return {
        from: iso(from),
        to: iso(to),
        agents: agents.map((a) => ({ ...a, name: agentName(a.agentId) })),
      };
    },
  );

  app.get(
    '/api/evaluations/questions',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Quality by question: over the evaluations scored in a time (default the last 30 days; one agent's or one form's if asked), how each question of each form was answered: how often it applied, was met or its mean mark, the share of its points earned, critical fails. As JSON or a CSV file (format=csv)",
        querystring: QuestionFiguresQuery,
        response: { 200: QuestionFiguresBody, ...errors },
      },
    },
    async (request, reply) => {
      auth.require(request);
      const q = request.query;
      const { from, to } = rangeOf(q);
      const scored = await evaluations.list({ agentId: q.agentId, from, to, limit: FIGURES_AT_MOST });
      const forms = questionFigures(
        q.formId === undefined ? scored : scored.filter((e) => e.formId === q.formId),
      );
      if (q.format === 'csv') {
        const rows = forms.flatMap((form) => form.questions.map((question) => ({ form, question })));
        return sendCsv(
          reply,
          `evaluation-questions${q.agentId ? `-${q.agentId}` : ''}${q.formId ? `-${q.formId}` : ''}-${dateOf(from, timeZone)}-${dateOf(to - 1, timeZone)}.csv`,
          QUESTION_FIGURES_CSV_COLUMNS,
          rows,
          ({ form, question: { id, ...figures } }) => ({
            formId: form.formId,
            formName: form.formName,
            questionId: id,
            ...figures,
          }),
        );
      }
      return {
        from: iso(from),
        to: iso(to),
        ...(q.agentId === undefined ? {} : { agentId: q.agentId }),
        forms,
      };
    },
  );

  app.post(
    '/api/evaluations/:id/acknowledge',
    {
      schema: {
        tags: ['agents'],
        summary:
          'The agent evaluated has read it (once), with a reply if they want to say something about it; supervisors see it live',
        params: IdParams,
        body: AcknowledgeBody,
        response: { 200: EvaluationBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.signedIn(request);
      if (principal.role !== 'agent')
        throw new ApiError(403, 'FORBIDDEN', 'only the agent evaluated acknowledges an evaluation');
      const { id } = request.params;
      const evaluation = outcomeOf(
        acknowledgeEvaluation(await evaluations.get(id), id, principal.agentId, request.body.reply, now()),
      );
      await evaluations.changed(evaluation);
      const dto = evaluationDto(evaluation);
      hub.publish('evaluation.acknowledged', { agentId: evaluation.agentId, evaluation: dto });
      return dto;
    },
  );

  app.delete(
    '/api/evaluations/:id',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Withdraw an evaluation scored in error (supervisors): it no longer counts and may be scored again; kept on record, in the change log',
        params: IdParams,
        response: { 200: EvaluationBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const { id } = request.params;
      const evaluation = outcomeOf(
        withdrawEvaluation(await evaluations.get(id), id, now(), supervisorOf(principal)),
      );
      await evaluations.changed(evaluation);
      const dto = evaluationDto(evaluation);
      await recordChange(principal, {
        action: 'evaluation.withdrawn',
        subject: evaluation.id,
        before: {
          agentId: dto.agentId,
          formName: dto.formName,
          score: dto.score,
          interactionId: dto.interactionId,
        },
      });
      hub.publish('evaluation.withdrawn', { agentId: evaluation.agentId, evaluation: dto });
      return dto;
    },
  );
};
