/**
 * Outbound campaigns (supervisors): a list of customers a queue's agents call while they are free, inbound
 * work first (see src/acd/campaigns.ts). Made with its contacts, given more, paused, resumed or stopped;
 * listed with each contact's state and, once reached, the conversation and its wrap-up. The wallboard
 * follows them live (`campaign.changed`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  campaignDays,
  type CheckedContact,
  checkContacts,
  type ContactInput,
} from '../../../acd/campaigns.js';
import { dateOf } from '../../../acd/site-day.js';
import { readContactFile } from '../../../acd/contact-file.js';
import { listed } from '../../../acd/list-file.js';
import type { CampaignDialer } from '../../../calls/acd/campaign-dialer.js';
import type { AcdRuntime } from '../../../calls/acd/acd-runtime.js';
import type { AnsweringMachine, CampaignLog, CampaignRecord } from '../../../store/campaign-log.js';
import type { RecordChange } from '../../admin-audit.js';
import { type ApiAuth, supervisorOf } from '../../auth.js';
import { ApiError, ErrorBody } from '../../errors.js';
import { sendCsv } from '../../report-bodies.js';
import {
  AddContactsBody,
  AnsweringMachineBody,
  CampaignActionParams,
  CampaignBody,
  CampaignFiguresBody,
  CampaignList,
  CampaignParams,
  CampaignScriptBody,
  campaignDto,
  CONTACT_CSV_COLUMNS,
  CONTACT_FILE_BYTES,
  ContactList,
  ContactsQuery,
  contactCsvRow,
  contactDto,
  NewCampaignBody,
} from './schemas.js';

const STATUS_OF = { CAMPAIGN_STOPPED: 409, CAMPAIGN_NOT_PAUSED: 409, CAMPAIGN_NOT_RUNNING: 409 } as const;
const PAST = { pause: 'paused', resume: 'resumed', stop: 'stopped' } as const;

export const campaignsPlugin: FastifyPluginAsyncTypebox<{
  auth: ApiAuth;
  acd: Pick<AcdRuntime, 'router' | 'numbers' | 'now' | 'timeZone'>;
  store: CampaignLog;
  dialer: Pick<CampaignDialer, 'refresh' | 'changeStatus'>;
  publish: (campaign: CampaignRecord) => void;
  recordChange: RecordChange;
  /** The sounds Asterisk has, when known: a message naming another is refused. */
  knownSounds?: () => Promise<ReadonlySet<string> | undefined>;
}> = async (app, { auth, acd, store, dialer, publish, recordChange, knownSounds }) => {
  const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

  const campaignOf = async (id: string): Promise<CampaignRecord> => {
    const campaign = await store.get(id);
    if (!campaign) throw new ApiError(404, 'CAMPAIGN_NOT_FOUND', `no campaign with id ${id}`);
    return campaign;
  };
  /** A campaign that is not stopped, to change (a stopped one is refused, saying `why` so). */
  const openCampaignOf = async (id: string, why: string): Promise<CampaignRecord> => {
    const campaign = await campaignOf(id);
    if (campaign.status === 'stopped')
      throw new ApiError(409, 'CAMPAIGN_STOPPED', `campaign ${campaign.id} is stopped: ${why}`);
    return campaign;
  };
  /** A list checked against the campaign's contacts so far; refused whole when a line is no number. */
  const checked = (
    items: readonly ContactInput[],
    existing: { numbers: ReadonlySet<string>; lastSeq: number },
    placeOf?: (index: number) => string,
  ): CheckedContact[] => {
    const result = checkContacts(
      items,
      existing,
      { canonical: (n) => acd.numbers.canonical(n), refusal: (n) => acd.router.whyNotCallable(n) },
      placeOf,
    );
    if ('problems' in result) {
      throw new ApiError(400, 'INVALID_CONTACTS', `nothing was added: ${listed(result.problems).join('; ')}`);
    }
    return result.contacts;
  };
  /** A request's customers, given as a list or as a file (one of the two), checked as above. */
  const customersOf = (
    body: { contacts?: ContactInput[]; contactsCsv?: string },
    existing: { numbers: ReadonlySet<string>; lastSeq: number },
  ): CheckedContact[] => {
    if (body.contacts && body.contactsCsv !== undefined)
      throw new ApiError(400, 'CONTACTS_TWICE', 'give the customers as contacts or as contactsCsv, not both');
    if (body.contactsCsv !== undefined) {
      const file = readContactFile(body.contactsCsv);
      if ('problems' in file)
        throw new ApiError(400, 'INVALID_CONTACT_FILE', `nothing was added: ${file.problems.join('; ')}`);
      return checked(file.contacts, existing, (i) => `line ${file.lines[i]}`);
    }
    if (!body.contacts)
      throw new ApiError(
        400,
        'CONTACTS_REQUIRED',
        'the customers to call are missing: give contacts (a list) or contactsCsv (a CSV file)',
      );
    return checked(body.contacts, existing);
  };
  // A contact file may come as it is (curl --data-binary @list.csv -H 'content-type: text/csv'): it is the
  // request's contactsCsv. JSON escapes can double a file's size, hence the routes' limit below.
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: CONTACT_FILE_BYTES },
    (_r, body, done) => done(null, { contactsCsv: body }),
  );
  const bodyLimit = 2 * CONTACT_FILE_BYTES;
  /** An answering-machine setting checked: a message with 'leave_message', and only there. */
  const machineSettingOf = async (
    setting: AnsweringMachine | undefined,
  ): Promise<AnsweringMachine | undefined> => {
    if (!setting) return undefined;
    if (setting.action === 'leave_message' && !setting.message)
      throw new ApiError(
        400,
        'MESSAGE_REQUIRED',
        'answeringMachine.message: leave_message needs the message to leave (the sounds to play)',
      );
    if (setting.action !== 'leave_message' && setting.message)
      throw new ApiError(
        400,
        'MESSAGE_NOT_USED',
        `answeringMachine.message: only leave_message plays a message (the action is ${setting.action})`,
      );
    if (setting.action !== 'leave_message') return { action: setting.action };
    const sounds = await knownSounds?.();
    const missing = sounds
      ? setting.message!.flatMap((s, i) => (sounds.has(s) ? [] : [[s, i] as const]))
      : [];
    if (missing.length > 0)
      throw new ApiError(
        400,
        'UNKNOWN_SOUND',
        missing
          .map(
            ([s, i]) =>
              `answeringMachine.message.${i}: no sound "${s}" in Asterisk's sounds directory (add the file, without extension in the name, or fix the name)`,
          )
          .join('; '),
      );
    return { action: setting.action, message: setting.message! };
  };
  /** A script as kept: trimmed, and none when blank. */
  const scriptOf = (script: string | null | undefined): string | null => script?.trim() || null;

  app.get(
    '/api/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Every outbound campaign, the newest first, with its contacts counted by state',
        response: { 200: CampaignList, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      auth.require(request);
      return { items: (await store.list()).map(campaignDto) };
    },
  );

  app.post(
    '/api/campaigns',
    {
      bodyLimit,
      schema: {
        tags: ['campaigns'],
        summary:
          "Start an outbound campaign: its queue's agents call the contacts in order whenever they are free and no caller or callback waits for them (one call per free agent), inside the queue's callback hours, with its retry policy. A number that may not be called (outbound rules, blocked, do not call) or is listed twice is kept as skipped, with why; one that is no phone number refuses the list",
        body: NewCampaignBody,
        response: { 201: CampaignBody, ...errors },
      },
    },
    async (request, reply) => {
      const principal = auth.require(request);
      const { id, name, queueId } = request.body;
      const script = scriptOf(request.body.script);
      const answeringMachine = await machineSettingOf(request.body.answeringMachine);
      if (!acd.router.queue(queueId))
        throw new ApiError(400, 'QUEUE_NOT_FOUND', `no queue with id ${queueId}: the campaign needs one`);
      if (await store.get(id))
        throw new ApiError(409, 'CAMPAIGN_EXISTS', `a campaign with id ${id} exists already`);
      const list = customersOf(request.body, { numbers: new Set(), lastSeq: 0 });
      const by = supervisorOf(principal);
      await store.create(
        { id, name, queueId, script: script ?? undefined, answeringMachine, at: acd.now(), by },
        list,
      );
      await recordChange(principal, {
        action: 'campaign.created',
        subject: id,
        after: {
          name,
          queueId,
          contacts: list.length,
          ...(script ? { script } : {}),
          ...(answeringMachine ? { answeringMachine } : {}),
        },
      });
      const campaign = await campaignOf(id);
      request.log.info({ campaignId: id, queueId, contacts: list.length }, 'campaign started');
      publish(campaign);
      await dialer.refresh();
      return reply.status(201).send(campaignDto(campaign));
    },
  );

  app.get(
    '/api/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'One campaign with its contacts counted by state',
        params: CampaignParams,
        response: { 200: CampaignBody, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      return campaignDto(await campaignOf(request.params.id));
    },
  );

  app.get(
    '/api/campaigns/:id/figures',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          "What a campaign's calls came to: the conversations with customers who answered, with their talk time, in all, by the agents' wrap-up codes and by agent; what answering-machine detection heard; and day by day (calls, connected, no answer, busy, failed, people, machines, messages left, conversations, talk)",
        params: CampaignParams,
        response: { 200: CampaignFiguresBody, ...errors },
      },
    },
    async (request) => {
      auth.require(request);
      const campaign = await campaignOf(request.params.id);
      const [figures, records] = await Promise.all([
        store.figures(campaign.id),
        store.dayRecords(campaign.id),
      ]);
      const byDay = campaignDays(records.steps, records.conversations, (at) => dateOf(at, acd.timeZone));
      // What detection heard in all: the days summed.
      const summed = (key: 'people' | 'machines' | 'unsure' | 'messagesLeft') =>
        byDay.reduce((n, d) => n + d[key], 0);
      const answers = {
        people: summed('people'),
        machines: summed('machines'),
        unsure: summed('unsure'),
        messagesLeft: summed('messagesLeft'),
      };
      return { campaignId: campaign.id, ...figures, answers, byDay };
    },
  );

  app.get(
    '/api/campaigns/:id/contacts',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          "A campaign's contacts in calling order (optionally in one state): each with why it was skipped or not reached, its callback request, and the conversation with its wrap-up once reached; as JSON a page at a time, or every one as CSV (format=csv)",
        params: CampaignParams,
        querystring: ContactsQuery,
        response: { 200: ContactList, ...errors },
      },
    },
    async (request, reply) => {
      auth.require(request);
      const campaign = await campaignOf(request.params.id);
      if (request.query.format === 'csv') {
        const rows = [];
        for await (const page of store.allContacts(campaign.id, request.query.state)) rows.push(...page);
        const file = `campaign-${campaign.id}${request.query.state ? `-${request.query.state}` : ''}.csv`;
        return sendCsv(reply, file, CONTACT_CSV_COLUMNS, rows, contactCsvRow);
      }
      const { items, total } = await store.contacts(campaign.id, request.query);
      return { items: items.map(contactDto), total };
    },
  );

  app.post(
    '/api/campaigns/:id/contacts',
    {
      bodyLimit,
      schema: {
        tags: ['campaigns'],
        summary:
          'Add contacts to a campaign, called after those it has (a finished one starts calling again); not to a stopped one. As JSON (contacts or contactsCsv), or a CSV file as the body (content-type text/csv)',
        params: CampaignParams,
        body: AddContactsBody,
        response: { 200: CampaignBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const campaign = await openCampaignOf(request.params.id, 'start a new one');
      const list = customersOf(request.body, await store.existing(campaign.id));
      await store.addContacts(campaign.id, list, acd.now());
      await recordChange(principal, {
        action: 'campaign.contacts.added',
        subject: campaign.id,
        after: { contacts: list.length },
      });
      const after = await campaignOf(campaign.id);
      publish(after);
      await dialer.refresh();
      return campaignDto(after);
    },
  );

  app.put(
    '/api/campaigns/:id/script',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          "Set what a campaign's agents say on each of its calls (null or blank: no script): the calls that ring from now on show it; not for a stopped campaign",
        params: CampaignParams,
        body: CampaignScriptBody,
        response: { 200: CampaignBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const campaign = await openCampaignOf(request.params.id, 'it makes no more calls');
      const script = scriptOf(request.body.script);
      await store.setScript(campaign.id, script, acd.now());
      await recordChange(principal, {
        action: 'campaign.script.changed',
        subject: campaign.id,
        before: { script: campaign.script },
        after: { script },
      });
      const after = await campaignOf(campaign.id);
      publish(after);
      return campaignDto(after);
    },
  );

  app.put(
    '/api/campaigns/:id/answering-machine',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          'Set what a campaign does when an answering machine answers (connect, hang_up, leave_message with its message): for the calls answered from now on; not for a stopped campaign',
        params: CampaignParams,
        body: AnsweringMachineBody,
        response: { 200: CampaignBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const campaign = await openCampaignOf(request.params.id, 'it makes no more calls');
      const setting = (await machineSettingOf(request.body))!;
      await store.setAnsweringMachine(campaign.id, setting, acd.now());
      await recordChange(principal, {
        action: 'campaign.answering-machine.changed',
        subject: campaign.id,
        before: { ...campaign.answeringMachine },
        after: { ...setting },
      });
      const after = await campaignOf(campaign.id);
      publish(after);
      return campaignDto(after);
    },
  );

  app.post(
    '/api/campaigns/:id/:action',
    {
      schema: {
        tags: ['campaigns'],
        summary:
          'pause: book no more calls (those in line carry on); resume; stop: for good, every contact not called yet cancelled, and the calls in line not yet dialling',
        params: CampaignActionParams,
        response: { 200: CampaignBody, ...errors },
      },
    },
    async (request) => {
      const principal = auth.require(request);
      const { action } = request.params;
      const campaign = await campaignOf(request.params.id);
      const change = await dialer.changeStatus(campaign, action, supervisorOf(principal));
      if ('refused' in change)
        throw new ApiError(STATUS_OF[change.refused.code], change.refused.code, change.refused.reason);
      await recordChange(principal, {
        action: `campaign.${PAST[action]}`,
        subject: campaign.id,
        before: { status: campaign.status },
        after: { status: change.status },
      });
      request.log.info({ campaignId: campaign.id, status: change.status }, `campaign ${PAST[action]}`);
      return campaignDto(await campaignOf(campaign.id));
    },
  );
};
