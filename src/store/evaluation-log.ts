import { type Kysely, type Selectable, sql } from 'kysely';
import type { SupervisorRef } from '../acd/router-types.js';
import type { AnsweredQuestion, Evaluation } from '../supervision/evaluations.js';
import { recordedSupervisor } from '../supervision/recorded-supervisor.js';
import type { Database, EvaluationsTable } from './schema.js';

export interface EvaluationFilter {
  agentId?: string | undefined;
  /** Scored at or after (ms). */
  from?: number | undefined;
  /** Scored before (ms). */
  to?: number | undefined;
  withdrawn?: boolean | undefined;
  limit: number;
}

/** One agent's evaluations over a time: how many, their mean score, passes, critical fails, not yet read. */
export interface AgentEvaluationSummary {
  agentId: string;
  evaluations: number;
  averageScore: number;
  passed: number;
  criticalFailed: number;
  unacknowledged: number;
}

/** The call an evaluation is of, as an agent's list shows it: when, with whom, whether it can be played. */
export interface EvaluatedCallFacts {
  startedAt: number;
  direction: string;
  callerNumber: string | null;
  callerName: string | null;
  queueId: string | null;
  recorded: boolean;
}

/** Quality evaluations on record: each with its answers as asked, the agent's acknowledgement, a withdrawal. */
export class EvaluationLog {
  constructor(
    private readonly db: Kysely<Database>,
    /** A supervisor's name by id (the record keeps ids). */
    private readonly supervisor: (id: string) => SupervisorRef | undefined,
  ) {}

  async added(evaluation: Evaluation): Promise<void> {
    await this.db
      .insertInto('evaluations')
      .values({
        id: evaluation.id,
        interaction_id: evaluation.interactionId,
        agent_id: evaluation.agentId,
        form_id: evaluation.formId,
        form_name: evaluation.formName,
        pass_mark: evaluation.passMark,
        answers: JSON.stringify(evaluation.answers),
        score: evaluation.score,
        passed: evaluation.passed ? 1 : 0,
        critical_failed: JSON.stringify(evaluation.criticalFailed),
        comment: evaluation.comment,
        at: evaluation.at,
        by_supervisor: evaluation.by?.id ?? null,
      })
      .execute();
  }

  /** Its acknowledgement or withdrawal, the only parts that change after it is made. */
  async changed(evaluation: Evaluation): Promise<void> {
    await this.db
      .updateTable('evaluations')
      .set({
        acknowledged_at: evaluation.acknowledgedAt ?? null,
        reply: evaluation.reply ?? null,
        withdrawn_at: evaluation.withdrawnAt ?? null,
        withdrawn_by: evaluation.withdrawnBy?.id ?? null,
      })
      .where('id', '=', evaluation.id)
      .execute();
  }

  async get(id: string): Promise<Evaluation | undefined> {
    const row = await this.db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.evaluationOf(row);
  }

  /** A call's evaluations, withdrawn ones too, the oldest first. */
  async ofInteraction(interactionId: string): Promise<Evaluation[]> {
    const rows = await this.db
      .selectFrom('evaluations')
      .selectAll()
      .where('interaction_id', '=', interactionId)
      .orderBy('at')
      .execute();
    return rows.map((row) => this.evaluationOf(row));
  }

  /** The newest first. */
  async list(filter: EvaluationFilter): Promise<Evaluation[]> {
    let query = this.db.selectFrom('evaluations').selectAll();
    if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
    if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('at', '<', filter.to);
    if (!filter.withdrawn) query = query.where('withdrawn_at', 'is', null);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((row) => this.evaluationOf(row));
  }

  /** The calls of these interactions (one query), for a list of evaluations to say which call each is of. */
  async callsOf(interactionIds: readonly string[]): Promise<Map<string, EvaluatedCallFacts>> {
    if (interactionIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('interactions')
      .select(['id', 'started_at', 'direction', 'caller_number', 'caller_name', 'queue_id', 'recording_path'])
      .where('id', 'in', [...new Set(interactionIds)])
      .execute();
    return new Map(
      rows.map((row) => [
        row.id,
        {
          startedAt: row.started_at,
          direction: row.direction,
          callerNumber: row.caller_number,
          callerName: row.caller_name,
          queueId: row.queue_id,
          recorded: row.recording_path !== null,
        },
      ]),
    );
  }

  /** Per agent, the evaluations standing (not withdrawn) scored in [from, to), the lowest average first. */
  async summary(from: number, to: number): Promise<AgentEvaluationSummary[]> {
    const rows = await this.db
      .selectFrom('evaluations')
      .select([
        'agent_id',
        sql<number>`count(*)`.as('evaluations'),
        sql<number>`avg(score)`.as('average_score'),
        sql<number>`sum(passed)`.as('passed'),
        sql<number>`sum(critical_failed != '[]')`.as('critical_failed'),
        sql<number>`sum(acknowledged_at is null)`.as('unacknowledged'),
      ])
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('withdrawn_at', 'is', null)
      .groupBy('agent_id')
      .orderBy('average_score')
      .orderBy('agent_id')
      .execute();
    return rows.map((row) => ({
      agentId: row.agent_id,
      evaluations: row.evaluations,
      averageScore: Math.round(row.average_score * 10) / 10,
      passed: row.passed,
      criticalFailed: row.critical_failed,
      unacknowledged: row.unacknowledged,
    }));
  }

  private evaluationOf(row: Selectable<EvaluationsTable>): Evaluation {
    const by = recordedSupervisor(this.supervisor, row.by_supervisor);
    const withdrawnBy = recordedSupervisor(this.supervisor, row.withdrawn_by);
    return {
      id: row.id,
      interactionId: row.interaction_id,
      agentId: row.agent_id,
      formId: row.form_id,
      formName: row.form_name,
      passMark: row.pass_mark,
      answers: JSON.parse(row.answers) as AnsweredQuestion[],
      score: row.score,
      passed: row.passed === 1,
      criticalFailed: JSON.parse(row.critical_failed) as string[],
      comment: row.comment,
      at: row.at,
      ...(by ? { by } : {}),
      ...(row.acknowledged_at === null ? {} : { acknowledgedAt: row.acknowledged_at, reply: row.reply }),
      ...(row.withdrawn_at === null ? {} : { withdrawnAt: row.withdrawn_at }),
      ...(withdrawnBy ? { withdrawnBy } : {}),
    };
  }
}
