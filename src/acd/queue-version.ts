/**
 * A queue definition's version, for saves based on what the saver read (HTTP If-Match): two supervisors
 * editing one queue must not overwrite each other's change unseen. The same settings give the same version
 * whatever the order of their keys (a definition read back from the store, or after a restart).
 */
import { createHash } from 'node:crypto';
import type { QueueDefinition } from './schema.js';

export function queueVersion(queue: QueueDefinition): string {
  return createHash('sha256').update(canonicalJson(queue)).digest('base64url').slice(0, 16);
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
