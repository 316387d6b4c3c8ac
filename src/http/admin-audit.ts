import type { Logger } from 'pino';
import type { AdminChangeLog } from '../store/admin-change-log.js';
import type { NewAdminChange } from '../supervision/admin-changes.js';
import { type Principal, supervisorOf } from './auth.js';

/** Puts a supervisor's change on record as theirs (GET /api/changes); one that changes nothing is left out. */
export type RecordChange = (
  principal: Principal,
  change: Omit<NewAdminChange, 'at' | 'supervisorId'>,
) => Promise<void>;

/**
 * Changes are recorded once made, before the reply: the reply then means "done and on record". A write
 * that fails does not undo the change (it is in effect already): it is logged with everything it held.
 */
export function adminAudit(
  changes: AdminChangeLog,
  logger: Logger,
  now: () => number = Date.now,
): RecordChange {
  return async (principal, change) => {
    // A change that changes nothing (the same definition sent again, a switch already so) is not one.
    if (change.before !== undefined && JSON.stringify(change.before) === JSON.stringify(change.after)) return;
    const supervisorId = supervisorOf(principal)?.id;
    try {
      await changes.append({ at: now(), ...(supervisorId ? { supervisorId } : {}), ...change });
    } catch (error) {
      logger.error({ err: error, supervisorId, change }, 'supervisor change not kept in the change log');
    }
  };
}
