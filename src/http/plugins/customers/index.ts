/**
 * A customer's rights over their data, over the API (src/calls/customer-data-requests.ts): a copy of what
 * the contact center holds about them (access), and erasing it (or first asking what would go, `dryRun`).
 * Supervisors only; each in the change log with the number masked; each erased call's timeline says so.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CustomerDataRequests } from '../../../calls/customer-data-requests.js';
import { maskNumber } from '../../../interactions/erasure.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { toInteractionDto, toTimelineEntry } from '../interactions/index.js';
import {
  AccessReply,
  type AccessReplyDto,
  AccessRequestBody,
  ErasureReply,
  type ErasureReplyDto,
  ErasureRequestBody,
} from './schemas.js';

export const customersPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  requests: Pick<CustomerDataRequests, 'erase' | 'access'>;
  /** What stays on record about a number (canonical) after its customer's data is erased, and why. */
  kept: (number: string) => ErasureReplyDto['kept'];
  recordChange: RecordChange;
}> = async (app, { auth, requests, kept, recordChange }) => {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  /** The request's reason, trimmed; refused when blank. */
  const reasonOf = (raw: string) => {
    const reason = raw.trim();
    if (!reason)
      throw new ApiError(
        400,
        'REASON_REQUIRED',
        "reason: say why, for the record (e.g. the request's reference)",
      );
    return reason;
  };
  const refuse = (refused: { code: string; reason: string }): never => {
    throw new ApiError(refused.code === 'CUSTOMER_IN_CONTACT' ? 409 : 400, refused.code, refused.reason);
  };

  app.post(
    '/api/customers/exports',
    {
      schema: {
        tags: ['supervisors'],
        summary:
          'A copy of everything the contact center holds about a customer who asks (supervisors): every call, callback, voicemail and campaign call of theirs with its whole timeline, their caller directory entries and campaign contacts, and the lists their number is on (found by every form of the number). In the change log with the number masked',
        body: AccessRequestBody,
        response: { 200: AccessReply, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const { principal } = auth.supervisorAsking(request);
      const reason = reasonOf(request.body.reason);
      const supervisor = supervisorOf(principal);
      const outcome = await requests.access({ number: request.body.number, reason, supervisor });
      if ('refused' in outcome) return refuse(outcome.refused);
      const { records } = outcome;
      const reply: AccessReplyDto = {
        number: outcome.number,
        exportedAt: new Date().toISOString(),
        interactions: records.interactions.map((i) => ({
          ...toInteractionDto(i.row),
          timeline: i.timeline.map(toTimelineEntry),
        })) as AccessReplyDto['interactions'],
        directory: records.directory.map((d) => ({
          name: d.name,
          notes: d.notes,
          updatedAt: new Date(d.updated_at).toISOString(),
        })),
        campaignContacts: records.campaignContacts.map((c) => ({
          campaignId: c.campaign_id,
          name: c.name,
          note: c.note,
          state: c.state,
          reason: c.reason,
          closedAt: iso(c.closed_at),
        })),
        listed: kept(outcome.number),
      };
      await recordChange(principal, {
        action: 'customer.exported',
        subject: maskNumber(outcome.number),
        after: { reason, interactions: reply.interactions.length },
      });
      return reply;
    },
  );

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
      const reason = reasonOf(request.body.reason);
      const outcome = await requests.erase({ number, reason, supervisor: supervisorOf(principal), dryRun });
      if ('refused' in outcome) return refuse(outcome.refused);
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
