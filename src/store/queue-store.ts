import type { Kysely } from 'kysely';
import type { QueueDefinition } from '../acd/schema.js';
import type { QueueMembership, SkillMap } from '../agents/schema.js';
import type { Database } from './schema.js';

/** Stored queue definitions. Callers validate before writing: this only persists what it is given. */
export class QueueStore {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<QueueDefinition[]> {
    const rows = await this.db.selectFrom('queues').select('definition').orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.definition) as QueueDefinition);
  }

  /** Writes every definition in one transaction: a set of queues changes together or not at all. */
  async replace(
    upserts: QueueDefinition[],
    removals: string[],
    source: 'config' | 'api',
    at: number,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const id of removals) await trx.deleteFrom('queues').where('id', '=', id).execute();
      for (const queue of upserts) {
        const row = { id: queue.id, definition: JSON.stringify(queue), source, updated_at: at };
        await trx
          .insertInto('queues')
          .values(row)
          .onConflict((oc) =>
            oc.column('id').doUpdateSet({ definition: row.definition, source, updated_at: at }),
          )
          .execute();
      }
    });
  }
}

/** Agents' queue memberships and skills changed through the API. Callers validate before writing. */
export class MembershipStore {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<Map<string, QueueMembership[]>> {
    const rows = await this.db.selectFrom('agent_memberships').select(['agent_id', 'queues']).execute();
    return new Map(rows.map((r) => [r.agent_id, JSON.parse(r.queues) as QueueMembership[]]));
  }

  async put(agentId: string, queues: QueueMembership[], at: number): Promise<void> {
    const row = { agent_id: agentId, queues: JSON.stringify(queues), updated_at: at };
    await this.db
      .insertInto('agent_memberships')
      .values(row)
      .onConflict((oc) => oc.column('agent_id').doUpdateSet({ queues: row.queues, updated_at: at }))
      .execute();
  }

  /** The agent's memberships are the config file's again. */
  async remove(agentId: string): Promise<void> {
    await this.db.deleteFrom('agent_memberships').where('agent_id', '=', agentId).execute();
  }

  async allSkills(): Promise<Map<string, SkillMap>> {
    const rows = await this.db.selectFrom('agent_skills').select(['agent_id', 'skills']).execute();
    return new Map(rows.map((r) => [r.agent_id, JSON.parse(r.skills) as SkillMap]));
  }

  async putSkills(agentId: string, skills: SkillMap, at: number): Promise<void> {
    const row = { agent_id: agentId, skills: JSON.stringify(skills), updated_at: at };
    await this.db
      .insertInto('agent_skills')
      .values(row)
      .onConflict((oc) => oc.column('agent_id').doUpdateSet({ skills: row.skills, updated_at: at }))
      .execute();
  }

  /** The agent's skills are the config file's again. */
  async removeSkills(agentId: string): Promise<void> {
    await this.db.deleteFrom('agent_skills').where('agent_id', '=', agentId).execute();
  }
}
