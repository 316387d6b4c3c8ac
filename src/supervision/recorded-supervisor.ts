import type { SupervisorRef } from '../acd/router-types.js';

/**
 * A supervisor as a record names them (it keeps ids): by name while configured, else by the id it kept (a
 * supervisor since taken out of the config); undefined for none (the supervisor token, or nobody).
 */
export function recordedSupervisor(
  named: (id: string) => SupervisorRef | undefined,
  id: string | null,
): SupervisorRef | undefined {
  return id === null ? undefined : (named(id) ?? { id, name: id });
}
