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

/**
 * Flow sources known to have passed the type check against a given flow API, so a restart (or a caller
 * taken over in an archived version) need not run the compiler on them again. The service keeps them in
 * SQLite beside the archive; without one every load is checked.
 */
export interface FlowCheckMemo {
  /** The source with this sha256 passed the check against the API with this fingerprint before. */
  passedBefore(sourceSha256: string, apiFingerprint: string): Promise<boolean>;
  /** Records that it did. */
  passed(sourceSha256: string, apiFingerprint: string, at: number): Promise<void>;
}
