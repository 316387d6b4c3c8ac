import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { SupervisorRef } from '../acd/router-types.js';
import {
  DEFAULT_SIGN_IN_LOCKS,
  type SignInAccount,
  type SignInLock,
  SignInLocks,
  lockedWho,
} from '../supervision/sign-in-locks.js';
import { ApiError } from './errors.js';

/**
 * Who a request is. A supervisor without `supervisor` came with the configured supervisor token (a tool or
 * script, or a page signed in with it): nobody in particular.
 */
export type Principal =
  | { role: 'supervisor'; supervisor?: SupervisorRef }
  | { role: 'agent'; agentId: string };

/** The named supervisor a request is, if any (none for an agent, or on the supervisor token). */
export const supervisorOf = (principal: Principal): SupervisorRef | undefined =>
  principal.role === 'supervisor' ? principal.supervisor : undefined;

/**
 * The named supervisor by id among `accounts` (config `supervisors`), as records and events name them: id and
 * name, never the password. For parts built before the API's auth (ApiAuth.supervisor is the same lookup).
 */
export const supervisorNamedIn =
  (accounts: readonly SupervisorRef[]) =>
  (id: string): SupervisorRef | undefined => {
    const account = accounts.find((a) => a.id === id);
    return account ? { id: account.id, name: account.name } : undefined;
  };

/** A named supervisor's account as the service checks it. */
export interface SupervisorAccount extends SupervisorRef {
  password: string;
}

/** A request's credentials as checked: who it is (and until when), or why it is refused. */
export type Authentication =
  | { principal: Principal; expiresAt?: number }
  | { principal?: undefined; refusal: ApiError };

/** How agents' tokens (and supervisors' sessions) live and end. */
export interface AgentTokenPolicy {
  /** How long a token is good for after sign-in. */
  ttlMs: number;
  /** How long a supervisor's session token is good for after sign-in (default `ttlMs`). */
  supervisorTtlMs?: number;
  now: () => number;
  /** Each agent's sign-out count as stored (a token is signed with the count it was issued under). */
  signOuts: ReadonlyMap<string, number>;
  /** Makes a sign-out durable, so a restart does not bring its tokens back. */
  persistSignOut: (agentId: string, generation: number, at: number) => Promise<void>;
}

/** For an ApiAuth that lives in memory only (tests, tools): 12 h tokens, sign-outs not kept. */
export const IN_MEMORY_TOKENS: AgentTokenPolicy = {
  ttlMs: 12 * 3600_000,
  now: Date.now,
  signOuts: new Map(),
  persistSignOut: async () => undefined,
};

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Who a supervisor's session token is signed for, and whose sign-outs end them (in the sign-out store):
 * `~` alone is every supervisor session (the configured token's, and every named supervisor's too), `~<id>`
 * one named supervisor's.
 */
export const SUPERVISOR_SESSIONS = '~';

/** The sign-out key (and a session token's `who`) of a named supervisor. */
export const supervisorSessions = (supervisorId: string): string => `${SUPERVISOR_SESSIONS}${supervisorId}`;

/**
 * Bearer tokens. An agent signs in with its SIP password and gets a token `<agentId>.<issued>.<hmac>`. The
 * HMAC binds the agent's id, password, sign-out count and the time of issue, so the service keeps no session
 * table and survives restarts: a token ends when it is older than the policy's lifetime, when the agent
 * signs out, or when their password changes. A named supervisor signs in with their id and password and
 * gets a session token `~<id>.<issued>.<hmac>` the same way (ended by their sign-out or password change); the
 * configured supervisor token gets `~.<issued>.<hmac>`. A page keeps the session token instead: it runs out,
 * and ending all supervisor sessions (or changing the supervisor token) ends every one. The configured
 * supervisor token itself stays good as a bearer for tools and scripts (an API key: kept in a config or
 * secret store, not in a browser).
 */
export class ApiAuth {
  private readonly generations: Map<string, number>;
  private readonly signOutListeners = new Set<(agentId: string) => void>();

  constructor(
    private readonly secret: string,
    private readonly supervisorToken: string,
    private readonly agentPasswords: ReadonlyMap<string, string>,
    private readonly tokens: AgentTokenPolicy = IN_MEMORY_TOKENS,
    supervisors: readonly SupervisorAccount[] = [],
    /** Wrong passwords counted and locked (shared with the SIP side's refusals); defaults apply without. */
    readonly locks: SignInLocks = new SignInLocks(DEFAULT_SIGN_IN_LOCKS, tokens.now),
  ) {
    this.generations = new Map(tokens.signOuts);
    this.supervisors = new Map(supervisors.map((s) => [s.id, s]));
  }

  /**
   * Checks a sign-in's password against the locks: refused (429) while one is in force, even when right;
   * a wrong one counted, refused as `wrong` says (401), or as locked when it was the one too many.
   */
  private guarded(account: SignInAccount, from: string, right: boolean, wrong: string): void {
    const lock = this.locks.inForce(account, from);
    if (lock) throw lockedRefusal(lock, this.tokens.now());
    if (right) {
      this.locks.succeeded(account, from);
      return;
    }
    const failure = this.locks.failed(account, from, 'api');
    const raised = failure.locked[0];
    if (raised) throw lockedRefusal(raised, this.tokens.now());
    const left =
      failure.triesLeft <= 2
        ? ` (${failure.triesLeft} more wrong ${failure.triesLeft === 1 ? 'try' : 'tries'} and sign-in is locked for a while)`
        : '';
    throw new ApiError(401, 'SIGN_IN_FAILED', `${wrong}${left}`);
  }

  private readonly supervisors: ReadonlyMap<string, SupervisorAccount>;

  /** A new token for the agent, and when it ends. */
  signIn(agentId: string, password: string, from = 'unknown'): { token: string; expiresAt: number } {
    const expected = this.agentPasswords.get(agentId);
    // An unknown id is counted as a wrong password is: the locks do not tell which ids exist either.
    const right = expected !== undefined && safeEqual(expected, password);
    this.guarded({ type: 'agent', agentId }, from, right, 'agent id or password is wrong');
    const issued = this.tokens.now();
    return {
      token: `${agentId}.${issued.toString(36)}.${this.sign(agentId, issued)}`,
      expiresAt: issued + this.tokens.ttlMs,
    };
  }

  /**
   * A supervisor's session token, and when it ends: for a named supervisor's id and password, or for the
   * configured supervisor token (nobody in particular).
   */
  supervisorSignIn(
    credentials: { supervisorToken: string } | { supervisorId: string; password: string },
    from = 'unknown',
  ): {
    token: string;
    expiresAt: number;
    supervisor?: SupervisorRef;
  } {
    let who = SUPERVISOR_SESSIONS;
    let supervisor: SupervisorRef | undefined;
    if ('supervisorToken' in credentials) {
      const right = safeEqual(credentials.supervisorToken, this.supervisorToken);
      this.guarded({ type: 'supervisor-token' }, from, right, 'the supervisor token is wrong');
    } else {
      const account = this.supervisors.get(credentials.supervisorId);
      const right = !!account?.password && safeEqual(account.password, credentials.password);
      this.guarded(
        { type: 'supervisor', supervisorId: credentials.supervisorId },
        from,
        right,
        'supervisor id or password is wrong',
      );
      if (!account) throw new ApiError(401, 'SIGN_IN_FAILED', 'supervisor id or password is wrong');
      who = supervisorSessions(account.id);
      supervisor = { id: account.id, name: account.name };
    }
    const issued = this.tokens.now();
    return {
      token: `${who}.${issued.toString(36)}.${this.signSupervisor(who, issued)}`,
      expiresAt: issued + this.supervisorTtlMs,
      ...(supervisor ? { supervisor } : {}),
    };
  }

  /** The named supervisor, or undefined when there is none by that id. */
  supervisor(supervisorId: string): SupervisorRef | undefined {
    const account = this.supervisors.get(supervisorId);
    return account ? { id: account.id, name: account.name } : undefined;
  }

  /**
   * Ends every token the agent was given (all their pages and tools sign in again); with
   * SUPERVISOR_SESSIONS, every supervisor's session (the configured supervisor token stays good); with
   * `supervisorSessions(id)`, that named supervisor's. Takes
   * effect at once; refused with a 503 when it could not be stored, as a restart would then bring the
   * tokens back.
   */
  async signOut(agentId: string): Promise<void> {
    const generation = (this.generations.get(agentId) ?? 0) + 1;
    this.generations.set(agentId, generation);
    for (const listener of this.signOutListeners) listener(agentId);
    try {
      await this.tokens.persistSignOut(agentId, generation, this.tokens.now());
    } catch {
      throw new ApiError(
        503,
        'SIGN_OUT_NOT_STORED',
        `${agentId}'s tokens are ended for now, but the sign-out could not be stored: a restart of the service would bring them back. Sign out again.`,
      );
    }
  }

  /** Tells `listener` of every sign-out (the event stream closes that agent's sockets). */
  onSignOut(listener: (agentId: string) => void): () => void {
    this.signOutListeners.add(listener);
    return () => this.signOutListeners.delete(listener);
  }

  authenticate(request: FastifyRequest): Authentication {
    const token = tokenOf(request);
    if (!token && tokenInUrl(request)) {
      return {
        refusal: new ApiError(
          401,
          'TOKEN_IN_URL',
          `a token in the URL (?token=) is not accepted: it would be kept in logs and browser history. Send Authorization: Bearer <token> (the event stream's WebSocket: subprotocols "${STREAM_PROTOCOL}" and "${BEARER_PROTOCOL_PREFIX}<token as base64url>"; recordings in a page: ?play= with a playback token)`,
        ),
      };
    }
    if (!token) {
      return {
        refusal: new ApiError(401, 'UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <token>'),
      };
    }
    if (safeEqual(token, this.supervisorToken)) return { principal: { role: 'supervisor' } };
    if (token.startsWith(DISPLAY_KEY_PREFIX)) {
      return {
        refusal: new ApiError(
          403,
          'DISPLAY_ONLY',
          "a wall display's link opens the wall display (/wall/) and nothing else: sign in as a supervisor or an agent for the rest",
        ),
      };
    }
    if (token.startsWith(SUPERVISOR_SESSIONS)) return this.supervisorSession(token);
    const agent = this.agentToken(token);
    if (agent === undefined) {
      return {
        refusal: new ApiError(
          401,
          'TOKEN_INVALID',
          'the token is not valid here: check the supervisor token, or sign in again (an agent token ends when the agent signs out or their password changes)',
        ),
      };
    }
    if (agent.expiresAt <= this.tokens.now()) {
      return {
        refusal: new ApiError(
          401,
          'TOKEN_EXPIRED',
          `${agent.agentId}'s token ran out at ${new Date(agent.expiresAt).toISOString()}: sign in again`,
        ),
      };
    }
    return { principal: { role: 'agent', agentId: agent.agentId }, expiresAt: agent.expiresAt };
  }

  /**
   * A wall display's key, `wall~<display id>.<signature>`: signed from the id alone, so a supervisor can
   * be shown the link again for a second screen; it opens the wall board only (every other route refuses
   * it), and only while the display stands, which its plugin checks. Not bound to anyone's sign-in: a
   * screen on the wall must not go dark when the supervisor who set it up signs out.
   */
  displayKey(displayId: string): string {
    return `${DISPLAY_KEY_PREFIX}${displayId}.${this.signDisplay(displayId)}`;
  }

  /** The display a request's key names (well signed; standing or not), or a refusal in words. */
  displayAsking(request: FastifyRequest): string {
    const token = tokenOf(request);
    const refusal = (message: string) => new ApiError(401, 'DISPLAY_KEY_INVALID', message);
    if (!token) {
      throw refusal(
        `open the wall display with its link (a supervisor makes one on the wallboard, Wall displays): it sends Authorization: Bearer <key> (the stream: subprotocols "${STREAM_PROTOCOL}" and "${BEARER_PROTOCOL_PREFIX}<key as base64url>")`,
      );
    }
    const dot = token.lastIndexOf('.');
    const id = token.slice(DISPLAY_KEY_PREFIX.length, dot);
    if (
      !token.startsWith(DISPLAY_KEY_PREFIX) ||
      dot < 0 ||
      !id ||
      !safeEqual(token.slice(dot + 1), this.signDisplay(id))
    ) {
      throw refusal(
        "this is not a wall display's key: open the display with the link a supervisor made for it (wallboard, Wall displays)",
      );
    }
    return id;
  }

  private signDisplay(displayId: string): string {
    return createHmac('sha256', this.secret).update(`wall:${displayId}`).digest('base64url');
  }

  /**
   * A token that only plays recordings, for an <audio> element's URL (`?play=`), which cannot carry the
   * Authorization header: the bearer token itself stays out of URLs. It ends with the token it was asked
   * with (a supervisor's after the agent token lifetime), and an agent's at sign-out too.
   */
  playbackToken(request: FastifyRequest): { token: string; expiresAt: number } {
    const checked = this.authenticate(request);
    if (checked.principal === undefined) throw checked.refusal;
    const expiresAt = checked.expiresAt ?? this.tokens.now() + this.tokens.ttlMs;
    const who = signerOf(checked.principal);
    return { token: `play.${who}.${expiresAt.toString(36)}.${this.signPlayback(who, expiresAt)}`, expiresAt };
  }

  /** Who a request for a recording is: its playback token (`?play=`), else its bearer token. */
  playback(request: FastifyRequest): Principal {
    const play = (request.query as { play?: string } | undefined)?.play;
    if (play === undefined) return this.signedIn(request);
    const parts = play.startsWith('play.') ? signedParts(play.slice(5)) : undefined;
    const who = parts?.who ?? '';
    const principal = parts ? this.principalOf(who) : undefined;
    if (!parts || !principal || !safeEqual(parts.sig, this.signPlayback(who, parts.time))) {
      throw new ApiError(401, 'TOKEN_INVALID', 'the playback token is not valid here: ask for a new one');
    }
    if (parts.time <= this.tokens.now()) {
      throw new ApiError(401, 'TOKEN_EXPIRED', 'the playback token ran out: ask for a new one');
    }
    return principal;
  }

  /** Whom a token's `who` names, if anybody known: `~`, `~<supervisor id>` or an agent id. */
  private principalOf(who: string): Principal | undefined {
    if (who === SUPERVISOR_SESSIONS) return { role: 'supervisor' };
    if (who.startsWith(SUPERVISOR_SESSIONS)) {
      const supervisor = this.supervisor(who.slice(SUPERVISOR_SESSIONS.length));
      return supervisor ? { role: 'supervisor', supervisor } : undefined;
    }
    return this.agentPasswords.has(who) ? { role: 'agent', agentId: who } : undefined;
  }

  principal(request: FastifyRequest): Principal | undefined {
    return this.authenticate(request).principal;
  }

  /** Any signed-in caller, supervisor or agent (the route narrows what an agent may see or do itself). */
  signedIn(request: FastifyRequest): Principal {
    const checked = this.authenticate(request);
    if (checked.principal === undefined) throw checked.refusal;
    return checked.principal;
  }

  /** The supervisor asking, and when their session token ends (none for the supervisor token), read once. */
  supervisorAsking(request: FastifyRequest): { principal: Principal; expiresAt?: number } {
    const checked = this.authenticate(request);
    if (checked.principal === undefined) throw checked.refusal;
    if (checked.principal.role !== 'supervisor') throw new ApiError(403, 'FORBIDDEN', 'supervisors only');
    return checked.expiresAt === undefined
      ? { principal: checked.principal }
      : { principal: checked.principal, expiresAt: checked.expiresAt };
  }

  /** The caller must be a supervisor, or the agent named (when `agentId` is given). */
  require(request: FastifyRequest, agentId?: string): Principal {
    const principal = this.signedIn(request);
    if (principal.role === 'supervisor') return principal;
    if (agentId !== undefined && principal.agentId === agentId) return principal;
    throw new ApiError(
      403,
      'FORBIDDEN',
      agentId ? `only ${agentId} or a supervisor may do this` : 'supervisors only',
    );
  }

  private get supervisorTtlMs(): number {
    return this.tokens.supervisorTtlMs ?? this.tokens.ttlMs;
  }

  /** A supervisor's session token checked: signed by us for the current sign-out counts, and not run out. */
  private supervisorSession(token: string): Authentication {
    const parts = signedParts(token);
    const principal = parts ? this.principalOf(parts.who) : undefined;
    if (
      !parts ||
      principal?.role !== 'supervisor' ||
      !safeEqual(parts.sig, this.signSupervisor(parts.who, parts.time))
    ) {
      return {
        refusal: new ApiError(
          401,
          'TOKEN_INVALID',
          'the supervisor session is not valid here (it was signed out, all supervisor sessions were ended, or the password or supervisor token changed): sign in again',
        ),
      };
    }
    const expiresAt = parts.time + this.supervisorTtlMs;
    if (expiresAt <= this.tokens.now()) {
      return {
        refusal: new ApiError(
          401,
          'TOKEN_EXPIRED',
          `the supervisor session ran out at ${new Date(expiresAt).toISOString()}: sign in again`,
        ),
      };
    }
    return { principal, expiresAt };
  }

  /**
   * Bound to the supervisors' sign-out count and the supervisor token (`~`), or to the named supervisor's
   * password and own sign-out count as well (`~<id>`), like an agent's to theirs.
   */
  private signSupervisor(who: string, issued: number): string {
    return createHmac('sha256', this.secret)
      .update(`supervisor:${this.supervisorBinding(who)}:${issued}`)
      .digest('base64url');
  }

  /** What a supervisor's session or playback token is bound to: ending all sessions ends both kinds. */
  private supervisorBinding(who: string): string {
    const all = `${this.supervisorToken}:${this.generations.get(SUPERVISOR_SESSIONS) ?? 0}`;
    if (who === SUPERVISOR_SESSIONS) return all;
    const account = this.supervisors.get(who.slice(SUPERVISOR_SESSIONS.length));
    return `${all}:${who}:${account?.password ?? ''}:${this.generations.get(who) ?? 0}`;
  }

  /** The agent a well-signed token names, and when it ends (expired or not); undefined for any other. */
  private agentToken(token: string): { agentId: string; expiresAt: number } | undefined {
    const parts = signedParts(token);
    if (!parts || !this.agentPasswords.has(parts.who)) return undefined;
    if (!safeEqual(parts.sig, this.sign(parts.who, parts.time))) return undefined;
    return { agentId: parts.who, expiresAt: parts.time + this.tokens.ttlMs };
  }

  /** Bound like an agent's token (password, sign-outs) for an agent; like a supervisor session's for `~`. */
  private signPlayback(who: string, expiresAt: number): string {
    // A supervisor's end when every supervisor session is ended (DELETE /api/supervisor/session) too.
    const bound = who.startsWith(SUPERVISOR_SESSIONS)
      ? this.supervisorBinding(who)
      : `${this.agentPasswords.get(who) ?? ''}:${this.generations.get(who) ?? 0}`;
    return createHmac('sha256', this.secret).update(`play:${who}:${bound}:${expiresAt}`).digest('base64url');
  }

  /**
   * Bound to the agent's password too: changing a departed or compromised agent's password (and
   * restarting) ends every token they were given, without signing the whole floor out.
   */
  private sign(agentId: string, issued: number): string {
    const password = this.agentPasswords.get(agentId) ?? '';
    const generation = this.generations.get(agentId) ?? 0;
    return createHmac('sha256', this.secret)
      .update(`agent:${agentId}:${password}:${generation}:${issued}`)
      .digest('base64url');
  }
}

/** A sign-in refused by a lock: when it ends, and that a supervisor may lift it sooner. */
export function lockedRefusal(lock: SignInLock, now: number): ApiError {
  const minutes = Math.max(1, Math.ceil((lock.until - now) / 60_000));
  return new ApiError(
    429,
    'SIGN_IN_LOCKED',
    `too many wrong passwords: sign-in for ${lockedWho(lock)} is locked until ${new Date(lock.until).toISOString()} (${minutes} min). A supervisor can lift the lock sooner (wallboard, Sign-in locks).`,
    { 'retry-after': String(Math.max(1, Math.ceil((lock.until - now) / 1000))) },
  );
}

/** What a principal's tokens are signed for: an agent id, `~<supervisor id>`, or `~` for the supervisor token. */
function signerOf(principal: Principal): string {
  if (principal.role === 'agent') return principal.agentId;
  return principal.supervisor ? supervisorSessions(principal.supervisor.id) : SUPERVISOR_SESSIONS;
}

/** `<who>.<time, base 36>.<signature>` taken apart (who may hold dots); undefined when it is not that shape. */
function signedParts(token: string): { who: string; time: number; sig: string } | undefined {
  const sigAt = token.lastIndexOf('.');
  const timeAt = token.lastIndexOf('.', sigAt - 1);
  if (timeAt <= 0) return undefined;
  const timeText = token.slice(timeAt + 1, sigAt);
  const time = Number.parseInt(timeText, 36);
  if (!/^[0-9a-z]{1,12}$/.test(timeText) || !Number.isSafeInteger(time)) return undefined;
  return { who: token.slice(0, timeAt), time, sig: token.slice(sigAt + 1) };
}

/** What a wall display's key starts with: `~` is no agent id's, so no agent token can be taken for one. */
export const DISPLAY_KEY_PREFIX = 'wall~';

/**
 * The live stream's WebSocket subprotocol, and the prefix of the one that carries the bearer token: a
 * browser's WebSocket cannot send an Authorization header, and a token in the URL would end up in proxies'
 * logs and the browser's history. The page offers both; the server picks `STREAM_PROTOCOL`.
 */
export const STREAM_PROTOCOL = 'cc-events';
export const BEARER_PROTOCOL_PREFIX = 'bearer.';

/**
 * The bearer token of a request: the Authorization header, or on a WebSocket upgrade the subprotocol
 * `bearer.<token as base64url>`. Never from the URL (`?token=` is refused with a reason: see authenticate).
 */
function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice(7) || undefined;
  const offered = request.headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return undefined;
  const bearer = offered
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
  if (!bearer) return undefined;
  return Buffer.from(bearer.slice(BEARER_PROTOCOL_PREFIX.length), 'base64url').toString('utf8') || undefined;
}

/** Whether the request tried to sign with a token in its URL, which is not accepted (see tokenOf). */
function tokenInUrl(request: FastifyRequest): boolean {
  return (request.query as { token?: unknown } | undefined)?.token !== undefined;
}
