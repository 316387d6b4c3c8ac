import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

export type Principal = { role: 'supervisor' } | { role: 'agent'; agentId: string };

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Bearer tokens: supervisors use the configured supervisor token; an agent signs in with its SIP password
 * and gets a token bound to its id and password (an HMAC, so the service keeps no session table and
 * survives restarts; a new password ends the old tokens).
 */
export class ApiAuth {
  constructor(
    private readonly secret: string,
    private readonly supervisorToken: string,
    private readonly agentPasswords: ReadonlyMap<string, string>,
  ) {}

  signIn(agentId: string, password: string): string {
    const expected = this.agentPasswords.get(agentId);
    if (expected === undefined || !safeEqual(expected, password)) {
      throw new ApiError(401, 'SIGN_IN_FAILED', 'agent id or password is wrong');
    }
    return `${agentId}.${this.sign(agentId)}`;
  }

  principal(request: FastifyRequest): Principal | undefined {
    const token = tokenOf(request);
    if (!token) return undefined;
    if (safeEqual(token, this.supervisorToken)) return { role: 'supervisor' };
    const dot = token.lastIndexOf('.');
    const agentId = token.slice(0, dot);
    if (dot > 0 && this.agentPasswords.has(agentId) && safeEqual(token.slice(dot + 1), this.sign(agentId))) {
      return { role: 'agent', agentId };
    }
    return undefined;
  }

  /** Any signed-in caller, supervisor or agent (the route narrows what an agent may see or do itself). */
  signedIn(request: FastifyRequest): Principal {
    const principal = this.principal(request);
    if (!principal) throw unauthenticated(request);
    return principal;
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

  /**
   * Bound to the agent's password too: changing a departed or compromised agent's password (and
   * restarting) ends every token they were given, without signing the whole floor out.
   */
  private sign(agentId: string): string {
    const password = this.agentPasswords.get(agentId) ?? '';
    return createHmac('sha256', this.secret).update(`agent:${agentId}:${password}`).digest('base64url');
  }
}

/** The bearer token of a request: the Authorization header, or `?token=` (an <audio> element, a download). */
function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization ?? '';
  const query = (request.query as { token?: string } | undefined)?.token;
  return (header.startsWith('Bearer ') ? header.slice(7) : query) || undefined;
}

/**
 * Why a request has no principal: no token at all, or one this service does not recognise (a mistyped
 * supervisor token, an agent's token from before their password changed). Each says what to do.
 */
export function unauthenticated(request: FastifyRequest): ApiError {
  return tokenOf(request)
    ? new ApiError(
        401,
        'TOKEN_INVALID',
        'the token is not valid here: check the supervisor token, or sign in again (an agent token ends when their password changes)',
      )
    : new ApiError(401, 'UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <token>');
}
