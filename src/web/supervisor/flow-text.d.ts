// Types of flow-text.js for the unit tests (the page itself is plain JavaScript, no build step).

export interface FlowFile {
  file: string;
  ok: boolean;
  flowId?: string;
  version?: string;
  loadedAt?: string;
  fromArchive?: boolean;
  attemptedVersion: string;
  checkedAt: string;
  errors: string[];
  warnings: string[];
}
export declare function flowStatusText(f: FlowFile, time: (iso: string) => string): string;
export declare function flowChangeText(e: {
  file: string;
  change: 'loaded' | 'refused' | 'removed';
  version?: string;
  serving?: string;
  errors?: string[];
}): string;
