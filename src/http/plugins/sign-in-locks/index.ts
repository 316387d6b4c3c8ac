/**
 * Sign-in locks: who is kept out after too many wrong passwords (from the API's sign-ins or the phone
 * server's SIP), until when, and Lift for a supervisor (an agent locked out by their own typos, or by
 * somebody guessing from their address). Supervisors only; locks raised and lifted are on the live stream
 * (`signin.locked`, `signin.unlocked`), each lifting in the change log as theirs.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EventHub } from '../../../events/event-hub.js';
import { type SignInLock, lockedWho } from '../../../supervision/sign-in-locks.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import type { RecordedSignInLock, SignInLockLog } from '../../../store/sign-in-lock-log.js';
import {
  SignInLiftedBody,
  type SignInLockDto,
  SignInLockHistory,
  SignInLockHistoryQuery,
  SignInLockList,
  SignInLockParams,
} from './schemas.js';

export function signInLockDto(lock: SignInLock): SignInLockDto {
  return {
    id: lock.id,
    ...(lock.account ? { account: lock.account } : {}),
    address: lock.address,
    failures: lock.failures,
    strike: lock.strike,
    lockedAt: new Date(lock.lockedAt).toISOString(),
    until: new Date(lock.until).toISOString(),
    channel: lock.channel,
    text: lockedWho(lock),
  };
}

const DAY = 24 * 3600_000;

function recordedDto(lock: RecordedSignInLock) {
  return {
    ...signInLockDto(lock),
    ...(lock.liftedAt === undefined ? {} : { liftedAt: new Date(lock.liftedAt).toISOString() }),
    ...(lock.liftedBy ? { liftedBy: lock.liftedBy } : {}),
  };
}

export const signInLocksPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  hub: EventHub;
  recordChange: RecordChange;
  /** Where locks are kept (restored at start, the security record); absent: in memory only. */
  lockLog?: Pick<SignInLockLog, 'raised' | 'lifted' | 'list'>;
}> = async (app, { auth, hub, recordChange, lockLog }) => {
  const now = () => auth.locks.now();
  const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const stop = auth.locks.onLock((lock) => {
    app.log.warn(
      { lockId: lock.id, address: lock.address, failures: lock.failures, channel: lock.channel },
      'sign-in locked after wrong passwords',
    );
    hub.publish('signin.locked', { lock: signInLockDto(lock) });
    // The lock holds already; a record that cannot be written only loses it at the next restart.
    lockLog
      ?.raised(lock)
      .catch((error: unknown) =>
        app.log.error({ err: error, lockId: lock.id }, 'sign-in lock not kept on record'),
      );
  });
  app.addHook('onClose', async () => {
    stop();
  });

  app.get(
    '/api/sign-in-locks',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Sign-ins locked now after too many wrong passwords (an account from an address, or a whole address), until when (supervisors)',
        response: { 200: SignInLockList, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      return { items: auth.locks.standing().map(signInLockDto) };
    },
  );

  app.get(
    '/api/sign-in-locks/history',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Sign-in locks on record, the newest first: who was locked out, from where, after how many wrong passwords, and who lifted it (supervisors)',
        querystring: SignInLockHistoryQuery,
        response: { 200: SignInLockHistory, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      const to = request.query.to === undefined ? now() : Date.parse(request.query.to);
      const from = request.query.from === undefined ? to - 7 * DAY : Date.parse(request.query.from);
      if (!(from < to)) throw new ApiError(400, 'RANGE_INVALID', '`to` must be after `from`');
      const items = lockLog ? await lockLog.list({ from, to, limit: request.query.limit ?? 100 }) : [];
      return { items: items.map(recordedDto) };
    },
  );

  app.delete(
    '/api/sign-in-locks/:id',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'Lift a sign-in lock now (supervisors): the account (or address) starts again with no wrong passwords counted',
        params: SignInLockParams,
        response: { 200: SignInLiftedBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const lock = auth.locks.lift(request.params.id);
      if (!lock) {
        throw new ApiError(
          404,
          'SIGN_IN_LOCK_NOT_FOUND',
          `no sign-in lock ${request.params.id} is in force (it ran out, or was lifted already)`,
        );
      }
      const dto = signInLockDto(lock);
      await recordChange(principal, { action: 'sign-in.unlocked', subject: lock.id, before: dto });
      const by = supervisorOf(principal);
      await lockLog
        ?.lifted(lock, now(), by)
        .catch((error: unknown) =>
          request.log.error({ err: error, lockId: lock.id }, 'sign-in lock lifting not kept on record'),
        );
      request.log.info({ lockId: lock.id, supervisorId: by?.id ?? null }, 'sign-in lock lifted');
      const lifted = { lock: dto, ...(by ? { by } : {}) };
      hub.publish('signin.unlocked', lifted);
      return lifted;
    },
  );
};
