/**
 * The right to erasure over the API: a supervisor erases what the contact center holds about a customer who
 * asks (src/calls/customer-erasure.ts), or first asks what would go (`dryRun`). In the change log with the
 * number masked; each erased call's timeline says so.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CustomerErasure } from '../../../calls/customer-erasure.js';
import { maskNumber } from '../../../interactions/erasure.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { ErasureReply, type ErasureReplyDto, ErasureRequestBody } from './schemas.js';

export const customersPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  erasure: Pick<CustomerErasure, 'erase'>;
  /** What stays on record about a number (canonical) after its customer's data is erased, and why. */
  kept: (number: string) => ErasureReplyDto['kept'];
  recordChange: RecordChange;
}> = async (app, { auth, erasure, kept, recordChange }) => {
  app.post(
    '/api/customers/erasures',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          "Erase a customer's personal data at their request (supervisors): the recordings of their calls are deleted; their number, name, the data they gave and the notes on their calls are erased from every call, callback, voicemail and campaign call of theirs (the timelines say [erased] where it was), their caller directory entry is deleted and their campaign contacts still to be called are cancelled. What the calls were (queues, agents, times, outcomes) stays, so the figures do; the do-not-call list, blocks and flags keep the number. Refused while a call or callback request of theirs is open. dryRun: only say what would be erased",
        body: ErasureRequestBody,
        response: { 200: ErasureReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const { principal } = auth.supervisorAsking(request);
      const { number, dryRun } = request.body;
      const reason = request.body.reason.trim();
      if (!reason)
        throw new ApiError(
          400,
          'REASON_REQUIRED',
          "reason: say why, for the record (e.g. the request's reference)",
        );
      const outcome = await erasure.erase({ number, reason, supervisor: supervisorOf(principal), dryRun });
      if ('refused' in outcome) {
        const status = outcome.refused.code === 'CUSTOMER_IN_CONTACT' ? 409 : 400;
        throw new ApiError(status, outcome.refused.code, outcome.refused.reason);
      }
      const counts = outcome.dryRun
        ? {
            interactions: outcome.found.interactions.length,
            recordings: outcome.found.interactions.filter((i) => i.recordingPath).length,
            contacts: outcome.found.contacts,
            campaignContacts: outcome.found.campaignContacts,
            campaignContactsCancelled: outcome.found.campaignContactsPending,
          }
        : outcome.erased;
      const reply: ErasureReplyDto = {
        number: outcome.number,
        dryRun: outcome.dryRun,
        ...counts,
        kept: kept(outcome.number),
      };
      if (!outcome.dryRun) {
        await recordChange(principal, {
          action: 'customer.erased',
          subject: maskNumber(outcome.number),
          after: { reason, erased: counts },
        });
      }
      return reply;
    },
  );
};
