import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Agents' sign-out counts (what their API tokens are signed with), kept so a restart keeps them ended. */
export class AgentSignOutStore {
  constructor(private readonly db: Kysely<Database>) {}

  async all(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('agent_sign_outs').select(['agent_id', 'generation']).execute();
    return new Map(rows.map((r) => [r.agent_id, r.generation]));
  }

  async put(agentId: string, generation: number, at: number): Promise<void> {
    await this.db
      .insertInto('agent_sign_outs')
      .values({ agent_id: agentId, generation, signed_out_at: at })
      .onConflict((oc) => oc.column('agent_id').doUpdateSet({ generation, signed_out_at: at }))
      .execute();
  }
}
