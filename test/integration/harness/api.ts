/** An agent's seat as `GET /api/agents/:id` gives it (the fields the tests read). */
export interface SeatState {
  type: string;
  reason?: string;
  interactionId?: string;
  until?: string;
  notReadyAfter?: string;
}

/** Small typed helpers for the service's HTTP API in integration tests. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Signs an agent in with its SIP password; returns its bearer token. */
  async signIn(agentId: string, password: string): Promise<string> {
    const { status, body } = await this.request<{ token: string }>('POST', `/api/agents/${agentId}/session`, {
      body: { password },
    });
    if (status !== 200)
      throw new Error(`sign-in of ${agentId} failed with ${status}: ${JSON.stringify(body)}`);
    return body.token;
  }

  /** The agent's seat now, read with `token` (a supervisor's or the agent's own); fails loudly if refused. */
  async agentState(agentId: string, token: string): Promise<SeatState> {
    const { status, body } = await this.request<{ state: SeatState }>('GET', `/api/agents/${agentId}`, {
      token,
    });
    if (status !== 200)
      throw new Error(`reading ${agentId}'s seat failed with ${status}: ${JSON.stringify(body)}`);
    return body.state;
  }

  /** POSTs a seat command and fails loudly if it is refused. */
  async seat(
    agentId: string,
    token: string,
    command: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const result = await this.request('POST', `/api/agents/${agentId}/${command}`, { token, body });
    if (result.status !== 200)
      throw new Error(`${command} for ${agentId} refused: ${JSON.stringify(result.body)}`);
    return result.body;
  }
}
