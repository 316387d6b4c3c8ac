// The wallboard's only way to talk to the contact-center service (the shared parts: common/service-api.js).
import {
  ApiError,
  downloadFile,
  api as serviceApi,
  openEventStream as openStream,
} from '../common/service-api.js';

export { ApiError };

let token = '';
/** The session token every call carries (Authorization: Bearer). */
export function setToken(value) {
  token = value ?? '';
}

/** The header every request of the supervisor carries. */
const signed = () => ({ authorization: `Bearer ${token}` });

/** The service's JSON API with the supervisor's bearer token. */
export const api = (path, options = {}) =>
  serviceApi(path, { ...options, headers: { ...options.headers, ...signed() } });

const enc = encodeURIComponent;
/** A change based on a version read (its ETag): refused (412) if it is no longer the one in force. */
const ifMatch = (/** @type {string | null} */ etag) => (etag ? { 'if-match': etag } : {});
/** A queue member's place's version (given bare in their list) as an entity tag. */
const memberTag = (/** @type {string | null} */ version) => (version ? `"${version}"` : null);

export const sessionApi = {
  /**
   * POST /api/supervisor/session: a supervisor's id and password, or the supervisor token, for a session
   * token (the only call without one).
   * @param {{ supervisorId: string, password: string } | { supervisorToken: string }} credentials
   */
  signIn: (credentials) => serviceApi('/api/supervisor/session', { method: 'POST', body: credentials }),
  /** Who this session is (`supervisor` absent for the supervisor token's). */
  who: () => api('/api/supervisor/session'),
  /** Ends every session of the named supervisor (their sign-out). */
  signOut: (supervisorId) => api(`/api/supervisors/${enc(supervisorId)}/session`, { method: 'DELETE' }),
};

export const wallboardApi = {
  /** IVR flow files: what serves, what was refused and why (GET /api/flows). */
  flows: () => api('/api/flows'),
  /** One flow version as it went live, its source included (GET /api/flows/versions/:version). */
  flowVersion: (version) => api(`/api/flows/versions/${enc(version)}`),
  /** POST /api/flows/reload: every file checked and loaded again now. */
  reloadFlows: () => api('/api/flows/reload', { method: 'POST' }),
  /** Queue definitions (supervisors only: the sign-in check). */
  queues: () => api('/api/queues'),
  /** A queue's version (GET /api/queues/:id's ETag): a save or delete based on it is refused once it changed. */
  queueVersion: (queueId) =>
    api(`/api/queues/${enc(queueId)}`, { withEtag: true }).then(
      (read) => /** @type {string | null} */ (read.etag),
    ),
  /**
   * PUT /api/queues/:id: a queue created or replaced whole; a refusal (400) names each problem's place. With
   * `version`, refused (412 QUEUE_CHANGED) if someone changed the queue since that version.
   */
  saveQueue: (queue, version = null) =>
    api(`/api/queues/${enc(queue.id)}`, {
      method: 'PUT',
      body: queue,
      headers: ifMatch(version),
    }),
  /** PUT /api/queues/:id of a new queue: refused (412 QUEUE_EXISTS) if someone made one with its id meanwhile. */
  makeQueue: (queue) =>
    api(`/api/queues/${enc(queue.id)}`, { method: 'PUT', body: queue, headers: { 'if-none-match': '*' } }),
  /** The queue's agents with penalty, order and the version of each place (GET /api/queues/:id/members). */
  queueMembers: (queueId) => api(`/api/queues/${enc(queueId)}/members`),
  /**
   * PUT /api/queues/:id/members/:agentId { penalty, order }: added, or changed there; with the member's
   * `version`, refused (412 MEMBER_CHANGED) if someone changed or removed them since.
   */
  setQueueMember: (queueId, agentId, member, version = null) =>
    api(`/api/queues/${enc(queueId)}/members/${enc(agentId)}`, {
      method: 'PUT',
      body: member,
      headers: ifMatch(memberTag(version)),
    }),
  /** PUT /api/queues/:id/members/:agentId of an agent not there: refused (412 MEMBER_EXISTS) if added meanwhile. */
  addQueueMember: (queueId, agentId, member) =>
    api(`/api/queues/${enc(queueId)}/members/${enc(agentId)}`, {
      method: 'PUT',
      body: member,
      headers: { 'if-none-match': '*' },
    }),
  /** DELETE /api/queues/:id/members/:agentId: no new offers from the queue; with `version`, as above. */
  removeQueueMember: (queueId, agentId, version = null) =>
    api(`/api/queues/${enc(queueId)}/members/${enc(agentId)}`, {
      method: 'DELETE',
      headers: ifMatch(memberTag(version)),
    }),
  /**
   * DELETE /api/queues/:id: refused (409) while anything routes to it or a caller waits in it; with `version`,
   * refused (412) if someone changed it since.
   */
  deleteQueue: (queueId, version = null) =>
    api(`/api/queues/${enc(queueId)}`, {
      method: 'DELETE',
      headers: ifMatch(version),
    }),
  /** Live figures of one queue since local midnight. */
  queueStats: (queueId) => api(`/api/queues/${enc(queueId)}/stats`),
  /** Who waits in the queue now, in the order they are served (GET /api/queues/:id/line). */
  queueLine: (queueId) => api(`/api/queues/${enc(queueId)}/line`),
  /** POST /api/queues/:id/line/:interactionId/move { toQueueId }: the caller waits there from now. */
  moveCaller: (queueId, interactionId, toQueueId) =>
    api(`/api/queues/${enc(queueId)}/line/${enc(interactionId)}/move`, {
      method: 'POST',
      body: { toQueueId },
    }),
  /** POST /api/queues/:id/line/:interactionId/first: ahead of everyone in the line. */
  putCallerFirst: (queueId, interactionId) =>
    api(`/api/queues/${enc(queueId)}/line/${enc(interactionId)}/first`, { method: 'POST' }),
  agents: () => api('/api/agents'),
  agent: (agentId) => api(`/api/agents/${enc(agentId)}`),
  reasonCodes: () => api('/api/reason-codes'),
  /** The switches IVR flows route on (GET /api/switches). */
  switches: () => api('/api/switches'),
  /** Turns a switch on or off (PUT /api/switches/:id); the switch as it now is. */
  setSwitch: (id, on) => api(`/api/switches/${enc(id)}`, { method: 'PUT', body: { on } }),
  /** Supervisors' changes, newest first (GET /api/changes); `before` the previous page's `next`. */
  changes: (before) => api(`/api/changes?limit=25${before ? `&before=${before}` : ''}`),
  /** The configured webhooks and how their deliveries stand. */
  /** Takes a queue's standing alert on (POST /api/queues/:id/alerts/:kind/acknowledge). */
  acknowledgeAlert: (queueId, kind) =>
    api(`/api/queues/${enc(queueId)}/alerts/${enc(kind)}/acknowledge`, { method: 'POST' }),
  /** Agents past their not-ready limit now (GET /api/overstays); take one on ("I'm on it"). */
  overstays: () => api('/api/overstays'),
  acknowledgeOverstay: (agentId) => api(`/api/overstays/${enc(agentId)}/acknowledge`, { method: 'POST' }),
  /** Numbers blocked now; block one ({ number, reason, hours? }); lift one. */
  blockedNumbers: () => api('/api/blocked-numbers'),
  blockNumber: (body) => api('/api/blocked-numbers', { method: 'POST', body }),
  liftBlock: (id) => api(`/api/blocked-numbers/${enc(id)}`, { method: 'DELETE' }),
  /** The do-not-call list; add a number ({ number, note? }); remove one. */
  doNotCall: () => api('/api/do-not-call'),
  eraseCustomer: (body) => api('/api/customers/erasures', { method: 'POST', body }),
  customerCopy: (body) => api('/api/customers/exports', { method: 'POST', body }),
  addDoNotCall: (body) => api('/api/do-not-call', { method: 'POST', body }),
  /** Downloads the do-not-call list as CSV, the token in a header (never in a URL). */
  saveDoNotCallCsv: () => downloadFile('/api/do-not-call?format=csv', signed(), 'do-not-call.csv'),
  /** POST /api/do-not-call/file { csv }: all or none; { added, alreadyListed } */
  addDoNotCallFile: (csv) => api('/api/do-not-call/file', { method: 'POST', body: { csv } }),
  removeDoNotCall: (id) => api(`/api/do-not-call/${enc(id)}`, { method: 'DELETE' }),
  /** Sign-ins locked now after wrong passwords; lift one. */
  signInLocks: () => api('/api/sign-in-locks'),
  /** Wall displays: the links for screens on the floor (each opens the wall display page). */
  wallDisplays: () => api('/api/wall-displays'),
  makeWallDisplay: (name, queueIds) =>
    api('/api/wall-displays', { method: 'POST', body: { name, ...(queueIds ? { queueIds } : {}) } }),
  showWallDisplayQueues: (id, queueIds) =>
    api(`/api/wall-displays/${enc(id)}/queues`, { method: 'PUT', body: { queueIds } }),
  withdrawWallDisplay: (id) => api(`/api/wall-displays/${enc(id)}`, { method: 'DELETE' }),
  liftSignInLock: (id) => api(`/api/sign-in-locks/${enc(id)}`, { method: 'DELETE' }),
  callerFlags: () => api('/api/caller-flags'),
  blockFlagged: (id, body) => api(`/api/caller-flags/${enc(id)}/block`, { method: 'POST', body }),
  dismissFlag: (id) => api(`/api/caller-flags/${enc(id)}/dismiss`, { method: 'POST' }),
  /** Messages to agents showing now; send one ({ text, to, minutes }); withdraw one. */
  messages: () => api('/api/messages'),
  sendMessage: (body) => api('/api/messages', { method: 'POST', body }),
  withdrawMessage: (id) => api(`/api/messages/${enc(id)}`, { method: 'DELETE' }),
  /** An agent's skills as held now, with their version (GET /api/agents/:id/skills): { data, etag }. */
  skillsRead: (agentId) => api(`/api/agents/${enc(agentId)}/skills`, { withEtag: true }),
  /**
   * Sets an agent's skills, the whole map (PUT /api/agents/:id/skills); { agentId, skills } as now held. With
   * `version`, refused (412 SKILLS_CHANGED) if someone changed them since that version.
   */
  setSkills: (agentId, skills, version = null) =>
    api(`/api/agents/${enc(agentId)}/skills`, {
      method: 'PUT',
      body: { skills },
      headers: ifMatch(version),
    }),
  /** The config file's skills for the agent again (DELETE /api/agents/:id/skills); `version` as above. */
  resetSkills: (agentId, version = null) =>
    api(`/api/agents/${enc(agentId)}/skills`, {
      method: 'DELETE',
      headers: ifMatch(version),
    }),
  /** Takes an agent's request for help on (POST /api/agents/:id/help/take). */
  takeHelp: (agentId) => api(`/api/agents/${enc(agentId)}/help/take`, { method: 'POST' }),
  /** Closes an agent's request for help as seen to (DELETE /api/agents/:id/help). */
  endHelp: (agentId) => api(`/api/agents/${enc(agentId)}/help`, { method: 'DELETE' }),
  webhooks: () => api('/api/webhooks'),
  /** A webhook's deliveries of one status, newest first. */
  webhookDeliveries: (id, status, limit) =>
    api(`/api/webhooks/${enc(id)}/deliveries?status=${enc(status)}&limit=${limit}`),
  /** Sends a webhook a test now; how its receiver answered. */
  testWebhook: (id) => api(`/api/webhooks/${enc(id)}/test`, { method: 'POST' }),
  /** Puts a delivery back in line, sent at once. */
  redeliver: (id, deliveryId) =>
    api(`/api/webhooks/${enc(id)}/deliveries/${deliveryId}/redeliver`, { method: 'POST' }),
  /**
   * POST /api/agents/:id/{ready,logout,not-ready} as a supervisor (on the record as theirs); a refusal
   * (409) carries the seat's reason.
   * @param {string} agentId
   * @param {'ready' | 'logout' | 'not-ready'} action
   * @param {string} [reason] with not-ready
   */
  setSeat: (agentId, action, reason) =>
    api(`/api/agents/${enc(agentId)}/${action}`, {
      method: 'POST',
      ...(action === 'not-ready' ? { body: { reason } } : {}),
    }),
};

/**
 * Reports (GET /api/reports/queues|agents): `range` is { from, to, interval } with dates YYYY-MM-DD (whole days
 * of the contact center's time zone, `to` included).
 */
export const reportApi = {
  queues: (range) => api(`/api/reports/queues?${reportQuery(range)}`),
  /** The queue alerts that stood in the range's days (GET /api/alerts). */
  alerts: (range) => api(`/api/alerts?from=${enc(range.from)}&to=${enc(range.to)}&limit=1000`),
  /** Agents' requests for help asked in the range (GET /api/help/history). */
  help: (range) => api(`/api/help/history?from=${enc(range.from)}&to=${enc(range.to)}&limit=1000`),
  /** Not readies that ran past their reason's limit in the range, with each agent's totals (GET /api/overstays/history). */
  overstays: (range) => api(`/api/overstays/history?from=${enc(range.from)}&to=${enc(range.to)}&limit=1000`),
  agents: (range) => api(`/api/reports/agents?${reportQuery(range)}`),
  /** Where the CSV file is (shown as the link's address; it needs the Authorization header: `saveCsv`). */
  csvLink: (kind, range) =>
    kind === 'alerts'
      ? `/api/alerts?from=${enc(range.from)}&to=${enc(range.to)}&limit=1000&format=csv`
      : `/api/reports/${kind}?${reportQuery(range)}&format=csv`,
  /** Downloads the CSV file with the supervisor's token in the header, never in a URL. */
  saveCsv: (kind, range) =>
    downloadFile(reportApi.csvLink(kind, range), signed(), `${kind}-report-${range.from}-${range.to}.csv`),
};

/** GET /api/reports/staffing: the agents a queue needs per interval of a day (`asked`: the query's fields). */
export const staffingApi = {
  read: (asked) => api(`/api/reports/staffing?${staffingQuery(asked)}`),
  csvLink: (asked) => `/api/reports/staffing?${staffingQuery(asked)}&format=csv`,
  saveCsv: (asked) =>
    downloadFile(staffingApi.csvLink(asked), signed(), `staffing-${asked.queueId}-${asked.date}.csv`),
};

export const shiftsApi = {
  /** GET /api/shifts?from=&to=: the roster of one day (the contact center's), each begun with its adherence. */
  ofDay: (day) => api(`/api/shifts?from=${enc(day)}&to=${enc(day)}`),
  /** GET /api/shifts?from=&to=: the roster of those days. */
  ofDays: (from, to) => api(`/api/shifts?from=${enc(from)}&to=${enc(to)}`),
  /** POST /api/shifts { items }: all or none. */
  add: (items) => api('/api/shifts', { method: 'POST', body: { items } }),
  /** POST /api/shifts { itemsCsv }: a roster file, all or none, a bad line named by its line. */
  addFile: (itemsCsv) => api('/api/shifts', { method: 'POST', body: { itemsCsv } }),
  /** PUT /api/shifts/:id { start?, end?, note?, breaks? }: the fields given replace the shift's. */
  change: (id, fields) => api(`/api/shifts/${enc(id)}`, { method: 'PUT', body: fields }),
  /** DELETE /api/shifts/:id */
  remove: (id) => api(`/api/shifts/${enc(id)}`, { method: 'DELETE' }),
  /** POST /api/shifts/copy { from, days, to }: the days' shifts put on again from `to`, all or none. */
  copy: (from, days, to) => api('/api/shifts/copy', { method: 'POST', body: { from, days, to } }),
  /** GET /api/shifts/exceptions: the seats off their roster past the grace period now. */
  exceptions: () => api('/api/shifts/exceptions'),
  /** GET /api/shifts/file?from=&to=: the roster of those days as a roster file, downloaded. */
  saveRosterFile: (from, to) =>
    downloadFile(`/api/shifts/file?from=${enc(from)}&to=${enc(to)}`, signed(), `roster-${from}-${to}.csv`),
  /** GET /api/shifts/exceptions/history?from=&to=: each time a seat was off its roster in those days. */
  exceptionHistory: (from, to) => api(`/api/shifts/exceptions/history?from=${enc(from)}&to=${enc(to)}`),
  exceptionHistoryCsvLink: (from, to) =>
    `/api/shifts/exceptions/history?from=${enc(from)}&to=${enc(to)}&format=csv`,
  saveExceptionHistoryCsv: (from, to) =>
    downloadFile(
      shiftsApi.exceptionHistoryCsvLink(from, to),
      signed(),
      `adherence-exceptions-${from}-${to}.csv`,
    ),
  /** GET /api/shifts/adherence?from=&to=: each agent's shifts begun in those days, summed, and each shift. */
  adherence: (from, to) => api(`/api/shifts/adherence?from=${enc(from)}&to=${enc(to)}`),
  adherenceCsvLink: (from, to) => `/api/shifts/adherence?from=${enc(from)}&to=${enc(to)}&format=csv`,
  saveAdherenceCsv: (from, to) =>
    downloadFile(shiftsApi.adherenceCsvLink(from, to), signed(), `adherence-${from}-${to}.csv`),
};

const staffingQuery = (asked) =>
  Object.entries(asked)
    .map(([key, value]) => `${key}=${enc(String(value))}`)
    .join('&');

function reportQuery({ from, to, interval }) {
  return `from=${enc(from)}&to=${enc(to)}&interval=${enc(interval)}`;
}

export const monitorApi = {
  /** Live monitors (ringing or active). */
  list: () => api('/api/monitors'),
  /**
   * POST /api/calls/:interactionId/monitor { mode, phone }: rings `phone`, which then hears the call.
   * @param {string} interactionId
   * @param {'listen' | 'whisper' | 'barge'} mode
   * @param {{ type: 'agent', agentId: string } | { type: 'number', number: string }} phone
   */
  start: (interactionId, mode, phone) =>
    api(`/api/calls/${enc(interactionId)}/monitor`, { method: 'POST', body: { mode, phone } }),
  /** PUT /api/monitors/:id { mode }: switches mode live. */
  setMode: (monitorId, mode) => api(`/api/monitors/${enc(monitorId)}`, { method: 'PUT', body: { mode } }),
  /** DELETE /api/monitors/:id */
  stop: (monitorId) => api(`/api/monitors/${enc(monitorId)}`, { method: 'DELETE' }),
};

/** The live event stream with the supervisor's token; a refused token stops it (onRefused). */
export const openEventStream = (handlers) => openStream(() => token, handlers);

/** The call history: the interactions on record, one with its timeline, and its recording. */
export const callbackApi = {
  /** GET /api/callbacks: every open request, in each queue's order. */
  list: () => api('/api/callbacks'),
  /** POST /api/interactions/:id/callback { at, queueId?, agentId?, note? } */
  book: (interactionId, body) =>
    api(`/api/interactions/${enc(interactionId)}/callback`, { method: 'POST', body }),
  /** DELETE /api/interactions/:id/callback */
  cancel: (interactionId) => api(`/api/interactions/${enc(interactionId)}/callback`, { method: 'DELETE' }),
  /** POST /api/callbacks { queueId, items }: customers to call back that never rang in. */
  bookList: (queueId, items) => api('/api/callbacks', { method: 'POST', body: { queueId, items } }),
  /** POST /api/callbacks { queueId, itemsCsv, at? }: the same from a CSV file, its lines named in a refusal. */
  bookFile: (queueId, itemsCsv, at) =>
    api('/api/callbacks', { method: 'POST', body: { queueId, itemsCsv, ...(at ? { at } : {}) } }),
};

export const callsApi = {
  /**
   * GET /api/interactions: `filter` holds from/to (YYYY-MM-DD, whole days of the contact center), and the
   * optional callerNumber, queueId, agentId, disposition or state; newest first.
   */
  list: (filter, limit, offset) => {
    const query = new URLSearchParams({ order: 'newest', limit: String(limit), offset: String(offset) });
    for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
    return api(`/api/interactions?${query}`);
  },
  /** GET /api/interactions/:id: the interaction with its whole timeline. */
  get: (interactionId) => api(`/api/interactions/${enc(interactionId)}`),
  /** A token that only plays recordings, for the <audio> element's URL (it can send no header). */
  playbackToken: () => api('/api/recordings/playback-token', { method: 'POST' }),
  recordingUrl: (interactionId, playToken) =>
    `/api/interactions/${enc(interactionId)}/recording?play=${enc(playToken)}`,
};

/** Outbound campaigns: the list, one's contacts, starting one, pausing, resuming, stopping. */
export const campaignApi = {
  /** GET /api/campaigns */
  list: () => api('/api/campaigns'),
  /** POST /api/campaigns { id, name, queueId, contacts | contactsCsv } */
  start: (body) => api('/api/campaigns', { method: 'POST', body }),
  /** POST /api/campaigns/:id/contacts { contacts | contactsCsv }: called after those it has */
  addContacts: (id, body) => api(`/api/campaigns/${enc(id)}/contacts`, { method: 'POST', body }),
  /** PUT /api/campaigns/:id/script { script }: null or blank for none */
  setScript: (id, script) => api(`/api/campaigns/${enc(id)}/script`, { method: 'PUT', body: { script } }),
  /** PUT /api/campaigns/:id/answering-machine { action, message? } */
  setAnsweringMachine: (id, setting) =>
    api(`/api/campaigns/${enc(id)}/answering-machine`, { method: 'PUT', body: setting }),
  /** GET /api/campaigns/:id/contacts (the first 100, in calling order) */
  contacts: (id, { state = '', offset = 0, limit = 100 } = {}) =>
    api(
      `/api/campaigns/${enc(id)}/contacts?offset=${offset}&limit=${limit}${state ? `&state=${enc(state)}` : ''}`,
    ),
  /** GET /api/campaigns/:id/figures: its conversations, talk time, by wrap-up code and by agent */
  figures: (id) => api(`/api/campaigns/${enc(id)}/figures`),
  /** Where a campaign's results file is (every contact as CSV; shown as the link's address). */
  csvLink: (id, state = '') =>
    `/api/campaigns/${enc(id)}/contacts?format=csv${state ? `&state=${enc(state)}` : ''}`,
  /** Downloads a campaign's results file with the supervisor's token in the header, never in a URL. */
  saveCsv: (id, state = '') =>
    downloadFile(campaignApi.csvLink(id, state), signed(), `campaign-${id}${state ? `-${state}` : ''}.csv`),
  /** POST /api/campaigns/:id/pause | resume | stop */
  act: (id, action) => api(`/api/campaigns/${enc(id)}/${enc(action)}`, { method: 'POST' }),
};

/** Quality evaluations: the forms, a call's evaluations, scoring one, withdrawing one, each agent's average. */
export const evaluationApi = {
  /** GET /api/evaluation-forms */
  forms: () => api('/api/evaluation-forms'),
  /** GET /api/interactions/:id/evaluations (withdrawn ones too) */
  ofCall: (interactionId) => api(`/api/interactions/${enc(interactionId)}/evaluations`),
  /** POST /api/interactions/:id/evaluations { formId, agentId, answers, comment? } */
  evaluate: (interactionId, body) =>
    api(`/api/interactions/${enc(interactionId)}/evaluations`, { method: 'POST', body }),
  /** DELETE /api/evaluations/:id */
  withdraw: (id) => api(`/api/evaluations/${enc(id)}`, { method: 'DELETE' }),
  /** GET /api/evaluations/summary: the last 30 days per agent. */
  summary: () => api('/api/evaluations/summary'),
  /** GET /api/evaluations?agentId=: one agent's over the last 30 days, the newest first. */
  ofAgent: (agentId) => api(`/api/evaluations?agentId=${enc(agentId)}`),
  /** GET /api/evaluations/questions: each form's questions over the last 30 days (one agent's if named). */
  questions: (agentId) => api(`/api/evaluations/questions${agentId ? `?agentId=${enc(agentId)}` : ''}`),
  /** The same as a CSV file, saved with the token in a header. */
  saveQuestionsCsv: (agentId) =>
    downloadFile(
      `/api/evaluations/questions?format=csv${agentId ? `&agentId=${enc(agentId)}` : ''}`,
      signed(),
      `evaluation-questions${agentId ? `-${agentId}` : ''}.csv`,
    ),
  /** GET /api/evaluations?format=csv: every evaluation of the last 30 days (one agent's if named), a line each. */
  saveCsv: (agentId) =>
    downloadFile(
      `/api/evaluations?format=csv${agentId ? `&agentId=${enc(agentId)}` : ''}`,
      signed(),
      `evaluations${agentId ? `-${agentId}` : ''}.csv`,
    ),
};
