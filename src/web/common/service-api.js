// What both pages (the agent softphone, the supervisor wallboard) talk to the contact-center service with:
// its JSON API, whose every refusal is `{ code, message }` (callers get an ApiError carrying both, so a page
// can show the message as is), and its live event stream.

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
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal, headers?: Record<string, string>, file?: boolean,
 *   withEtag?: boolean }} [options]
 * @returns {Promise<any>} the parsed JSON body (undefined for an empty body); with `file`, { text, type, filename };
 *   with `withEtag`, { data, etag } (the answer's ETag, null without one)
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
  if (options.file) {
    // A file (a CSV report): its text and the name the service gives it.
    const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
    return { text, type: response.headers.get('content-type') ?? 'text/plain', filename: named?.[1] };
  }
  if (options.withEtag) return { data, etag: response.headers.get('etag') };
  return data;
}

/**
 * Saves a file the service gives only with the Authorization header (a link cannot carry it, and a token in
 * the URL is refused): fetched, then handed to the browser as a download.
 * @param {string} path
 * @param {Record<string, string>} headers
 * @param {string} fallbackName the file's name when the service gives none
 */
export async function downloadFile(path, headers, fallbackName) {
  const file = await api(path, { headers, file: true });
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once it started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The live event stream (WebSocket /api/events) with resume: after a drop it reconnects with
 * ?stream=&since= so no event is missed; when the server cannot resume it sends a snapshot instead.
 * A refused token (the server's `{ type: 'error' }` then close 4401: never valid, run out, or the agent
 * signed out) is renewed with `renewToken` when given (the softphone signs in again), then the stream
 * resumes; else `onRefused` stops it; with neither it keeps trying.
 * @param {() => string} tokenOf the bearer token to connect with, read at each (re)connect
 * @param {{ onSnapshot: (s: any) => void, onEvent: (e: any) => void, onStatus: (up: boolean) => void,
 *   onRefused?: (message: string) => void, renewToken?: () => Promise<void> }} handlers
 */
export function openEventStream(tokenOf, handlers) {
  let stream = '';
  let seq = 0;
  let socket = null;
  let closed = false;
  let delay = 500;
  /** @type {Promise<void> | null} a token being renewed; the next connect waits for it */
  let renewing = null;
  const connect = () => {
    if (closed) return;
    const query = new URLSearchParams();
    if (stream) {
      query.set('stream', stream);
      query.set('since', String(seq));
    }
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events?${query}`;
    // A browser's WebSocket cannot send the Authorization header: the token goes as a subprotocol, which
    // (unlike the URL) no proxy or history keeps. The service answers with the stream's protocol only.
    socket = new WebSocket(url, ['cc-events', `bearer.${base64url(tokenOf())}`]);
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
      } else if (data.type === 'error' && handlers.renewToken) {
        // The close that follows reconnects; it waits for the new token, not the other way round.
        renewing = handlers.renewToken().catch(() => undefined);
      } else if (data.type === 'error' && handlers.onRefused) {
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
      const wait = renewing;
      renewing = null;
      if (wait) wait.then(connect);
      else setTimeout(connect, delay);
      delay = Math.min(delay * 2, 8000);
    };
  };
  connect();
  return {
    close() {
      closed = true;
      socket?.close();
    },
    /**
     * Drops the socket as a network failure would (tests): it resumes on its own. `forget` also forgets where
     * the stream was, as a service restart does: the service then sends a snapshot, not the events missed.
     */
    drop({ forget = false } = {}) {
      if (forget) {
        stream = '';
        seq = 0;
      }
      socket?.close();
    },
    position: () => ({ stream, seq }),
  };
}

/** UTF-8 text as base64url (a subprotocol allows no '=', '/' or '+'). */
function base64url(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
