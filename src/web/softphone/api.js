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

// ---- Call control through the service (not built yet). The page's buttons for these stay hidden and
// disabled until the service has the endpoints; each placeholder fails with a clear ApiError meanwhile.
const notYet = (what) => () =>
  Promise.reject(new ApiError(0, 'NOT_AVAILABLE_YET', `${what} is not available in this version.`));

export const callControl = {
  /** POST /api/calls/:id/hold (planned) */
  hold: notYet('Hold'),
  /** POST /api/calls/:id/transfer (planned) */
  transfer: notYet('Transfer'),
  /** POST /api/calls/:id/conference (planned) */
  conference: notYet('Conference'),
  /** PUT /api/agents/:id/state { state: 'ready' } (planned) */
  ready: notYet('Ready'),
  /** PUT /api/agents/:id/state { state: 'not-ready', reason } (planned) */
  notReady: notYet('Not ready'),
};
