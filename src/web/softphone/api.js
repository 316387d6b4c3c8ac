// The softphone's only way to talk to the contact-center service. Every refusal of the API is
// `{ code, message }`; callers get an ApiError carrying both, so the page can show the message as is.

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0: the service could not be reached)
   * @param {string} code stable, searchable error code, e.g. SOFTPHONE_NOT_CONFIGURED
   * @param {string} message what went wrong, for the agent
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * fetch() for the service's JSON API.
 * @param {string} path e.g. /api/softphone/config
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal, headers?: Record<string, string> }} [options]
 * @returns {Promise<any>} the parsed JSON body (undefined for an empty body)
 */
export async function api(path, options = {}) {
  const { method = 'GET', body, signal, headers = {} } = options;
  let response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(
      0,
      'SERVICE_UNREACHABLE',
      `Cannot reach the contact-center service (${error.message}).`,
    );
  }
  const text = await response.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const code = typeof data?.code === 'string' ? data.code : `HTTP_${response.status}`;
    const message = typeof data?.message === 'string' ? data.message : text || response.statusText;
    throw new ApiError(response.status, code, message);
  }
  return data;
}

/** Where the page registers: { sipWsUrl, sipDomain, iceServers }. */
export function softphoneConfig() {
  return api('/api/softphone/config');
}

// ---- The agent's seat and call control. Every call carries the agent's bearer token (from signIn).

let token = '';
/** The bearer token the seat calls use (set after sign-in, restored after a reload). */
export function setToken(value) {
  token = value ?? '';
}
const authed = (path, options = {}) =>
  api(path, { ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } });
const enc = encodeURIComponent;

export const seatApi = {
  /** POST /api/agents/:id/session: the SIP password gives a token for the API. */
  signIn: (agentId, password) =>
    api(`/api/agents/${enc(agentId)}/session`, { method: 'POST', body: { password } }),
  agent: (agentId) => authed(`/api/agents/${enc(agentId)}`),
  reasonCodes: () => authed('/api/reason-codes'),
  wrapUpCodes: () => authed('/api/wrap-up-codes'),
  login: (agentId) => authed(`/api/agents/${enc(agentId)}/login`, { method: 'POST' }),
  logout: (agentId) => authed(`/api/agents/${enc(agentId)}/logout`, { method: 'POST' }),
  ready: (agentId) => authed(`/api/agents/${enc(agentId)}/ready`, { method: 'POST' }),
  notReady: (agentId, reason) =>
    authed(`/api/agents/${enc(agentId)}/not-ready`, { method: 'POST', body: { reason } }),
  wrapUpDone: (agentId) => authed(`/api/agents/${enc(agentId)}/wrap-up/done`, { method: 'POST' }),
  /** POST /api/agents/:id/wrap-up/extend { seconds } */
  extendWrapUp: (agentId, seconds) =>
    authed(`/api/agents/${enc(agentId)}/wrap-up/extend`, { method: 'POST', body: { seconds } }),
  stats: (agentId) => authed(`/api/agents/${enc(agentId)}/stats/today`),
  screenPop: (interactionId) => authed(`/api/calls/${enc(interactionId)}/screen-pop`),
  saveWrapUp: (interactionId, code, notes) =>
    authed(`/api/interactions/${enc(interactionId)}/wrap-up`, { method: 'POST', body: { code, notes } }),
  transferTargets: () => authed('/api/calls/transfer-targets'),
};

export const voicemailApi = {
  /** The team's waiting messages, oldest first. */
  open: () =>
    authed('/api/interactions?direction=voicemail&state=open&limit=100').then((r) => r.items.reverse()),
  /** POST /api/interactions/:id/close { code, notes }: the message is worked (first agent wins). */
  close: (interactionId, code, notes) =>
    authed(`/api/interactions/${enc(interactionId)}/close`, { method: 'POST', body: { code, notes } }),
  /** Where an <audio> element plays the message (the token rides in the query: audio sends no header). */
  recordingUrl: (interactionId) => `/api/interactions/${enc(interactionId)}/recording?token=${enc(token)}`,
};

export const callControl = {
  /** POST /api/calls/:id/hold */
  hold: (interactionId) => authed(`/api/calls/${enc(interactionId)}/hold`, { method: 'POST' }),
  /** POST /api/calls/:id/resume */
  resume: (interactionId) => authed(`/api/calls/${enc(interactionId)}/resume`, { method: 'POST' }),
  /** POST /api/calls/:id/rejoin (after a page reload mid-call) */
  rejoin: (interactionId) => authed(`/api/calls/${enc(interactionId)}/rejoin`, { method: 'POST' }),
  /** POST /api/calls/outbound { number }: rings this page, then the number; returns { interactionId } */
  dial: (number) => authed('/api/calls/outbound', { method: 'POST', body: { number } }),
  /** POST /api/calls/:id/consult { type: agent|number, agentId|number }: the caller waits on hold */
  consult: (interactionId, target) =>
    authed(`/api/calls/${enc(interactionId)}/consult`, { method: 'POST', body: target }),
  completeConsult: (interactionId) =>
    authed(`/api/calls/${enc(interactionId)}/consult/complete`, { method: 'POST' }),
  cancelConsult: (interactionId) =>
    authed(`/api/calls/${enc(interactionId)}/consult/cancel`, { method: 'POST' }),
  /** POST /api/calls/:id/conference { type: agent|number, ... }: returns { channelId } */
  conference: (interactionId, target) =>
    authed(`/api/calls/${enc(interactionId)}/conference`, { method: 'POST', body: target }),
  parties: (interactionId) => authed(`/api/calls/${enc(interactionId)}/parties`),
  /** GET /api/calls/:id/consult: { consult: { target, state } | null } */
  consultation: (interactionId) => authed(`/api/calls/${enc(interactionId)}/consult`),
  dropParty: (interactionId, channelId) =>
    authed(`/api/calls/${enc(interactionId)}/parties/${enc(channelId)}`, { method: 'DELETE' }),
  leave: (interactionId) => authed(`/api/calls/${enc(interactionId)}/leave`, { method: 'POST' }),
  /** POST /api/calls/:id/transfer { type: agent|queue|number, agentId|queueId|number } */
  transfer: (interactionId, target) =>
    authed(`/api/calls/${enc(interactionId)}/transfer`, { method: 'POST', body: target }),
};

/**
 * The live event stream (WebSocket /api/events) with resume: after a drop it reconnects with
 * ?stream=&since= so no event is missed; when the server cannot resume it sends a snapshot instead.
 * @param {{ onSnapshot: (s: any) => void, onEvent: (e: any) => void, onStatus: (up: boolean) => void }} handlers
 */
export function openEventStream(handlers) {
  let stream = '';
  let seq = 0;
  let socket = null;
  let closed = false;
  let delay = 500;
  const connect = () => {
    if (closed) return;
    const query = new URLSearchParams({ token });
    if (stream) {
      query.set('stream', stream);
      query.set('since', String(seq));
    }
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events?${query}`;
    socket = new WebSocket(url);
    socket.onopen = () => {
      delay = 500;
      handlers.onStatus(true);
    };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === 'snapshot') {
        stream = data.stream;
        seq = data.seq;
        handlers.onSnapshot(data);
      } else if (typeof data.seq === 'number') {
        stream = data.stream;
        seq = data.seq;
        handlers.onEvent(data);
      }
    };
    socket.onclose = () => {
      handlers.onStatus(false);
      if (closed) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 8000);
    };
  };
  connect();
  return {
    close() {
      closed = true;
      socket?.close();
    },
    /** Drops the socket as a network failure would (tests): it resumes on its own. */
    drop() {
      socket?.close();
    },
    position: () => ({ stream, seq }),
  };
}
