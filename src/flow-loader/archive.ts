/**
 * Where the FlowRegistry keeps every flow version that went live, so a restart does not lose what was
 * serving: the service keeps them in SQLite (`src/store/flow-archive.ts`); the CLI and tests may run
 * without one.
 */

/** A flow version that went live from its file, as the archive keeps it. */
export interface ArchivedFlow {
  /** File name inside the flows directory. */
  readonly file: string;
  readonly flowId: string;
  /** Content hash of `source`. */
  readonly version: string;
  readonly source: string;
  readonly firstLoadedAt: number;
  /** Last time this version went live from its file. */
  readonly lastLoadedAt: number;
}

export interface FlowArchive {
  /** Records that `version` of `file` went live at `loadedAt` (again, if it had before). */
  keep(entry: {
    file: string;
    flowId: string;
    version: string;
    source: string;
    loadedAt: number;
  }): Promise<void>;
  /** The version of `file` that went live last, if any. */
  lastGood(file: string): Promise<ArchivedFlow | undefined>;
  /** The version with this flow id that went live last, whatever its file, if any. */
  lastGoodOfFlow(flowId: string): Promise<ArchivedFlow | undefined>;
  /** A version by its content hash, if it ever went live. */
  version(version: string): Promise<ArchivedFlow | undefined>;
}
