import type { Kysely, Selectable } from 'kysely';
import type { ArchivedFlow, FlowArchive, FlowCheckMemo } from '../flow-loader/archive.js';
import type { Database, FlowVersionsTable } from './schema.js';

const toArchived = (row: Selectable<FlowVersionsTable>): ArchivedFlow => ({
  file: row.file,
  flowId: row.flow_id,
  version: row.version,
  source: row.source,
  firstLoadedAt: row.first_loaded_at,
  lastLoadedAt: row.last_loaded_at,
});

/**
 * Every IVR flow version that went live, with its source (table `flow_versions`): the FlowRegistry's
 * archive, and the answer to "which flow exactly did this caller hear?" for a `flowVersion` on a timeline.
 * Also which sources passed the type check against which flow API (table `flow_type_checks`).
 */
export class FlowVersionStore implements FlowArchive, FlowCheckMemo {
  constructor(private readonly db: Kysely<Database>) {}

  async passedBefore(sourceSha256: string, apiFingerprint: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('flow_type_checks')
      .select('checked_at')
      .where('source_sha256', '=', sourceSha256)
      .where('api_fingerprint', '=', apiFingerprint)
      .executeTakeFirst();
    return row !== undefined;
  }

  async passed(sourceSha256: string, apiFingerprint: string, at: number): Promise<void> {
    await this.db
      .insertInto('flow_type_checks')
      .values({ source_sha256: sourceSha256, api_fingerprint: apiFingerprint, checked_at: at })
      .onConflict((oc) => oc.columns(['source_sha256', 'api_fingerprint']).doUpdateSet({ checked_at: at }))
      .execute();
  }

  async keep(entry: {
    file: string;
    flowId: string;
    version: string;
    source: string;
    loadedAt: number;
  }): Promise<void> {
    await this.db
      .insertInto('flow_versions')
      .values({
        file: entry.file,
        version: entry.version,
        flow_id: entry.flowId,
        source: entry.source,
        first_loaded_at: entry.loadedAt,
        last_loaded_at: entry.loadedAt,
      })
      .onConflict((oc) => oc.columns(['file', 'version']).doUpdateSet({ last_loaded_at: entry.loadedAt }))
      .execute();
  }

  lastGood(file: string): Promise<ArchivedFlow | undefined> {
    return this.latest('file', file);
  }

  lastGoodOfFlow(flowId: string): Promise<ArchivedFlow | undefined> {
    return this.latest('flow_id', flowId);
  }

  /** A version by its content hash (the same text in two files is the same flow: the last loaded is enough). */
  version(version: string): Promise<ArchivedFlow | undefined> {
    return this.latest('version', version);
  }

  /** The row that went live last among those whose `column` is `value`. */
  private async latest(
    column: 'file' | 'flow_id' | 'version',
    value: string,
  ): Promise<ArchivedFlow | undefined> {
    const row = await this.db
      .selectFrom('flow_versions')
      .selectAll()
      .where(column, '=', value)
      .orderBy('last_loaded_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toArchived(row) : undefined;
  }
}
