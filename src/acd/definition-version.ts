/**
 * The version of something supervisors edit (a queue's definition, an agent's skills), for changes based on
 * what the editor read (HTTP If-Match): two supervisors editing one thing must not overwrite each other's
 * change unseen. The same settings give the same version whatever the order of their keys (read back from
 * the store, or after a restart).
 */
import { createHash } from 'node:crypto';

export function definitionVersion(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 16);
}

/** JSON with every object's keys sorted; undefined members left out, as JSON.stringify does. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
