// The wallboard's only way to talk to the contact-center service. Every refusal of the API is
// `{ code, message }`; callers get an ApiError carrying both, so the page can show the message as is.

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0: the service could not be reached)
   * @param {string} code stable, searchable error code, e.g. UNAUTHENTICATED
   * @param {string} message what went wrong, as the API said it
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let token = '';
/** The supervisor token every call carries (Authorization: Bearer). */
export function setToken(value) {
  token = value ?? '';
}

/**
 * fetch() for the service's JSON API, with the supervisor's bearer token.
 * @param {string} path e.g. /api/queues
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<any>} the parsed JSON body (undefined for an empty body, e.g. 204)
 */
export async function api(path, options = {}) {
  const { method = 'GET', body } = options;
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
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

const enc = encodeURIComponent;

export const wallboardApi = {
  /** Queue definitions (supervisors only: the sign-in check). */
  queues: () => api('/api/queues'),
  /** Live figures of one queue since local midnight. */
  queueStats: (queueId) => api(`/api/queues/${enc(queueId)}/stats`),
  agents: () => api('/api/agents'),
  agent: (agentId) => api(`/api/agents/${enc(agentId)}`),
  reasonCodes: () => api('/api/reason-codes'),
};

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

/**
 * The live event stream (WebSocket /api/events) with resume: after a drop it reconnects with
 * ?stream=&since= so no event is missed; when the server cannot resume it sends a snapshot instead.
 * A refused token (the server's `{ type: 'error' }` then close 4401) stops it and calls onRefused.
 * @param {{ onSnapshot: (s: any) => void, onEvent: (e: any) => void, onStatus: (up: boolean) => void,
 *   onRefused: (message: string) => void }} handlers
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
      } else if (data.type === 'error') {
        closed = true;
        handlers.onRefused(`${data.message} (${data.code})`);
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
