/**
 * Agents asking a supervisor for help (a caller wants what the agent may not give, an angry caller, a
 * question nobody trained them for): one open request per agent, taken on by one supervisor, ended by the
 * agent (withdrawn), a supervisor (resolved), or the agent leaving. Pure: requests and the clock in,
 * decisions out.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { SupervisorRef } from '../acd/router-types.js';

/**
 * Why a request ended: the agent withdrew it, a supervisor saw to it, the agent logged out, or the service
 * stopped while it stood and the agent was gone after.
 */
export const HelpEndReasonSchema = Type.Union([
  Type.Literal('withdrawn'),
  Type.Literal('resolved'),
  Type.Literal('logged_out'),
  Type.Literal('service_restarted'),
]);
export type HelpEndReason = Static<typeof HelpEndReasonSchema>;

export const HELP_NOTE_MAX = 200;

export interface HelpRequest {
  id: string;
  agentId: string;
  /** The call the agent was on when asking; null: between calls. */
  interactionId: string | null;
  note: string | null;
  askedAt: number;
  /** A supervisor took it on ("I'm coming"): when, and who (absent on the supervisor token). */
  taken?: { at: number; by?: SupervisorRef };
  /** Nobody had taken it on by then (the site's `helpUnansweredSeconds` after it was asked): said once. */
  unansweredAt?: number;
}

export interface EndedHelpRequest extends HelpRequest {
  ended: { at: number; reason: HelpEndReason; by?: SupervisorRef };
}

export type HelpRefusal =
  | { code: 'NOT_LOGGED_IN'; reason: string }
  | { code: 'HELP_ALREADY_ASKED'; reason: string }
  | { code: 'HELP_NOT_ASKED'; reason: string }
  | { code: 'HELP_TAKEN'; reason: string };

const who = (by: SupervisorRef | undefined) => by?.name ?? 'a supervisor';

/** The requests standing now, one per agent at most. */
export class HelpRequestBoard {
  private readonly open = new Map<string, HelpRequest>();

  /** The agent's open request, if any. */
  of(agentId: string): HelpRequest | undefined {
    return this.open.get(agentId);
  }

  /** Every open request, the longest waiting first. */
  list(): HelpRequest[] {
    return [...this.open.values()].sort((a, b) => a.askedAt - b.askedAt || a.id.localeCompare(b.id));
  }

  /** Requests a previous run left open, for agents still signed in (see HelpDesk.restore). */
  restore(requests: readonly HelpRequest[]): void {
    for (const request of requests) this.open.set(request.agentId, request);
  }

  /**
   * The agent asks. Refused while logged out (no supervisor could reach them) or with a request open (one at
   * a time: asking again would only push them down the list).
   */
  ask(input: {
    id: string;
    agentId: string;
    loggedIn: boolean;
    interactionId: string | null;
    note: string | null;
    at: number;
  }): { request: HelpRequest } | { refused: HelpRefusal } {
    if (!input.loggedIn) {
      return { refused: { code: 'NOT_LOGGED_IN', reason: `${input.agentId} is logged out: log in first` } };
    }
    const standing = this.open.get(input.agentId);
    if (standing) {
      return {
        refused: {
          code: 'HELP_ALREADY_ASKED',
          reason: standing.taken
            ? `${input.agentId} asked for help already, and ${who(standing.taken.by)} is on it`
            : `${input.agentId} asked for help already (still waiting for a supervisor)`,
        },
      };
    }
    const note = input.note?.trim() ? input.note.trim() : null;
    const request: HelpRequest = {
      id: input.id,
      agentId: input.agentId,
      interactionId: input.interactionId,
      note,
      askedAt: input.at,
    };
    this.open.set(input.agentId, request);
    return { request };
  }

  /** A supervisor takes the agent's request on. Refused when there is none, or another has it already. */
  take(agentId: string, at: number, by?: SupervisorRef): { request: HelpRequest } | { refused: HelpRefusal } {
    const request = this.open.get(agentId);
    if (!request) return { refused: notAsked(agentId) };
    if (request.taken) {
      return {
        refused: {
          code: 'HELP_TAKEN',
          reason: `${who(request.taken.by)} is on ${agentId}'s request for help already`,
        },
      };
    }
    const taken: HelpRequest = { ...request, taken: { at, ...(by ? { by } : {}) } };
    this.open.set(agentId, taken);
    return { request: taken };
  }

  /**
   * When the agent's open request, not taken on yet, is to be said unanswered: `afterMs` after it was asked;
   * undefined once taken on or said (or with none open).
   */
  unansweredDue(agentId: string, afterMs: number): number | undefined {
    const request = this.open.get(agentId);
    if (!request || request.taken || request.unansweredAt !== undefined) return undefined;
    return request.askedAt + afterMs;
  }

  /**
   * Nobody has taken the agent's request on and its time is up at `at` (see unansweredDue): marked, once.
   * Undefined when taken on meanwhile, said already, ended, or not due yet.
   */
  unanswered(agentId: string, at: number, afterMs: number): HelpRequest | undefined {
    const due = this.unansweredDue(agentId, afterMs);
    const request = this.open.get(agentId);
    if (due === undefined || at < due || !request) return undefined;
    const marked: HelpRequest = { ...request, unansweredAt: at };
    this.open.set(agentId, marked);
    return marked;
  }

  /** The agent's request ends (see HelpEndReason). Refused when there is none. */
  end(
    agentId: string,
    at: number,
    reason: HelpEndReason,
    by?: SupervisorRef,
  ): { request: EndedHelpRequest } | { refused: HelpRefusal } {
    const request = this.open.get(agentId);
    if (!request) return { refused: notAsked(agentId) };
    this.open.delete(agentId);
    return { request: { ...request, ended: { at, reason, ...(by ? { by } : {}) } } };
  }
}

function notAsked(agentId: string): HelpRefusal {
  return { code: 'HELP_NOT_ASKED', reason: `${agentId} has no request for help open (it may have ended)` };
}
