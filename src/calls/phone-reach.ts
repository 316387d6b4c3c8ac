/**
 * Whether a call to a phone failed because the phone could not be reached at all, as opposed to the phone (or
 * the person at it) turning the call down. An ACD offer, a transfer, a consultation and a conference all ask
 * this of the legs they dial: a phone that cannot be rung sets its agent not ready (phone_unreachable).
 */
import { AriRequestError } from '../telephony/ari/rest.js';
import type { TelephonyEvent } from '../telephony/telephony.js';

/**
 * Q.850 causes of an agent leg that ended before answering because the phone was never reached (Asterisk's
 * mapping of the SIP answer in parentheses): unallocated (404), no route, no user responding (408), subscriber
 * absent, destination out of order (502), no circuit, network out of order, temporary failure, congestion
 * (503), timer expiry (504). Busy (486), rejected (403/603) and no answer (480) are the agent's or the phone's
 * own answer and stay a plain decline.
 */
export const UNREACHABLE_CAUSES: ReadonlySet<number> = new Set([1, 3, 18, 20, 27, 34, 38, 41, 42, 102]);

/**
 * Asterisk answered an originate with an error (e.g. 500 "Allocation failed": the endpoint has no registered
 * contact), so the phone is the problem. A request that got no answer at all (status 0: Asterisk down or
 * restarting) says nothing about the phone.
 */
export const asteriskRefusedTheCall = (error: unknown): error is AriRequestError =>
  error instanceof AriRequestError && error.status > 0;

/** Why a call to `endpoint` never reached the phone, when Asterisk refused to place it; else undefined. */
export const refusedCallReason = (endpoint: string, error: unknown): string | undefined =>
  asteriskRefusedTheCall(error) ? `could not call ${endpoint}: ${error.message}` : undefined;

/**
 * Why a leg that ended before it was answered never reached its phone, or undefined when the phone was reached
 * and the call turned down or unanswered (busy, rejected, no answer, cancelled).
 */
export function unreachableReason(event: TelephonyEvent): string | undefined {
  if (event.type !== 'channel.ended' || !UNREACHABLE_CAUSES.has(event.cause)) return undefined;
  return `${event.causeText || 'failed'} (cause ${event.cause})`;
}
