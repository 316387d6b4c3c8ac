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
import { SignInLiftedBody, type SignInLockDto, SignInLockList, SignInLockParams } from './schemas.js';

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

export const signInLocksPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  hub: EventHub;
  recordChange: RecordChange;
}> = async (app, { auth, hub, recordChange }) => {
  const errors = { 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
  const stop = auth.locks.onLock((lock) => {
    app.log.warn(
      { lockId: lock.id, address: lock.address, failures: lock.failures, channel: lock.channel },
      'sign-in locked after wrong passwords',
    );
    hub.publish('signin.locked', { lock: signInLockDto(lock) });
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
      request.log.info({ lockId: lock.id, supervisorId: by?.id ?? null }, 'sign-in lock lifted');
      const lifted = { lock: dto, ...(by ? { by } : {}) };
      hub.publish('signin.unlocked', lifted);
      return lifted;
    },
  );
};
