// An IVR flow file's state in words for the wallboard's IVR flows (GET /api/flows): what serves, and for a
// file refused, that the last good version goes on serving (or that nothing does).

/**
 * @typedef {{ file: string, ok: boolean, flowId?: string, version?: string, loadedAt?: string,
 *   fromArchive?: boolean, attemptedVersion: string, checkedAt: string, errors: string[],
 *   warnings: string[] }} FlowFile
 */

/**
 * "Serving main (version 3f2a…) since 10:02", "Refused at 10:05: main's version 3f2a… from 10:02 still
 * serves", "Refused at 10:05: nothing serves it".
 * @param {FlowFile} f
 * @param {(iso: string) => string} time
 */
export function flowStatusText(f, time) {
  const name = f.flowId ?? f.file;
  if (f.ok && f.version)
    return `Serving ${name} (version ${f.version}) since ${time(f.loadedAt ?? f.checkedAt)}`;
  if (!f.version) return `Refused at ${time(f.checkedAt)}: nothing serves it`;
  const since = f.fromArchive ? 'from before the restart' : `from ${time(f.loadedAt ?? f.checkedAt)}`;
  return `Refused at ${time(f.checkedAt)}: ${name}'s version ${f.version} ${since} still serves`;
}

/**
 * What a change on the live stream means, in a line: "main.ts loaded: version 9c1d… serves",
 * "main.ts refused (2 errors): version 3f2a… still serves", "main.ts removed".
 * @param {{ file: string, change: 'loaded' | 'refused' | 'removed', version?: string, serving?: string,
 *   errors?: string[] }} e
 */
export function flowChangeText(e) {
  const file = e.file.split('/').at(-1) ?? e.file;
  if (e.change === 'loaded') return `${file} loaded: version ${e.version} serves`;
  if (e.change === 'removed') return `${file} removed`;
  const n = e.errors?.length ?? 0;
  const errors = `${n} ${n === 1 ? 'error' : 'errors'}`;
  return `${file} refused (${errors}): ${e.serving ? `version ${e.serving} still serves` : 'nothing serves it'}`;
}
