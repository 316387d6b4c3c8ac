/**
 * Transfer out of the IVR: dial `PJSIP/<number>@<trunk>` into the Stasis app (args `ivr-transfer,<interaction>`),
 * give the caller ringback, and once the far end answers bridge the two legs. Whichever leg hangs up
 * first ends the other. No answer, busy or a refused dial: the caller hears the apology and is hung up
 * with a `call.error`, never silence.
 */
import { randomUUID } from 'node:crypto';
import { isGone } from '../../telephony/ari/rest.js';
import type { Telephony, TelephonyEvent } from '../../telephony/telephony.js';
import type { CallSession } from '../call-session.js';
import { NumberPlan } from '../number-plan.js';

/** First Stasis argument of transfer legs; CallsService leaves these channels to this module. */
export const TRANSFER_LEG_KIND = 'ivr-transfer';

export interface TransferOptions {
  telephony: Pick<Telephony, 'ari' | 'originate' | 'on' | 'off'>;
  number: string;
  trunk: string;
  /** The numbering plan the number is dialled by (its `dialAs`); default: as given. */
  numbers?: NumberPlan;
  callerId: string;
  /** Plays the apology, writes `call.error` and hangs up. */
  apologize: (error: Error & { code: string }) => Promise<void>;
  /** Ring time before giving up, seconds. Default 30. */
  ringSeconds?: number;
  /**
   * A dialling the previous run of the service started (ivrTransferDiallingTakeover): no new dial; the
   * far end's leg is waited on for the ring time left since it was dialled.
   */
  resume?: { legId: string; dialledAt: number };
  /** Clock (ms), for the ring time left after a restart. Default Date.now. */
  now?: () => number;
}

type LegEvent = 'answered' | 'gone' | 'caller-gone' | 'timeout';

export async function transferCall(session: CallSession, o: TransferOptions): Promise<void> {
  const { telephony } = o;
  const legId = o.resume?.legId ?? `xfer-${randomUUID()}`;
  const bridgeId = `xfer-${session.interactionId}`;
  const ringSeconds = o.ringSeconds ?? 30;
  let wake: ((e: LegEvent) => void) | undefined;
  const pending: LegEvent[] = [];
  const signal = (e: LegEvent) => {
    if (wake) {
      const w = wake;
      wake = undefined;
      w(e);
    } else pending.push(e);
  };
  const next = (timeoutMs?: number) =>
    new Promise<LegEvent>((resolve) => {
      const queued = pending.shift();
      if (queued) return resolve(queued);
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => signal('timeout'), timeoutMs);
      wake = (e) => {
        if (timer) clearTimeout(timer);
        resolve(e);
      };
    });
  const listener = (e: TelephonyEvent) => {
    // The far end hung up while the link to Asterisk was down: the listing after the reconnect tells.
    if (legGone(e, legId)) return signal('gone');
    if (!('channelId' in e) || e.channelId !== legId) return;
    if (e.type === 'call.arrived') signal('answered');
    else if (e.type === 'channel.ended' || e.type === 'channel.left-app') signal('gone');
  };
  let legUp = false;
  const hangupLeg = () => telephony.ari.hangup(legId).catch(() => undefined);
  telephony.on('event', listener);
  session.onEnd(() => signal('caller-gone'));
  const fail = async (reason: string, code = 'TRANSFER_FAILED') => {
    await session.record({
      type: 'ivr.transfer',
      payload: { number: o.number, step: 'failed', channelId: legId, reason },
    });
    if (session.isLive)
      await o.apologize(Object.assign(new Error(`transfer to ${o.number} failed: ${reason}`), { code }));
  };
  try {
    if (!session.isLive) return;
    // Asterisk ends the leg itself once the ring time is up; this wait is the backstop.
    let waitMs = (ringSeconds + 5) * 1000;
    if (o.resume) {
      waitMs = Math.max(1000, waitMs - ((o.now ?? Date.now)() - o.resume.dialledAt));
      // It may have answered (and so entered this application) before this listener was on.
      const leg = await telephony.ari.getChannel(legId).catch((error: unknown) => {
        if (isGone(error)) signal('gone');
        return undefined; // any other failure: its events still tell
      });
      if (leg?.state === 'Up') signal('answered');
    } else {
      await session.record({
        type: 'ivr.transfer',
        payload: { number: o.number, step: 'dialing', channelId: legId, ringSeconds },
      });
      await telephony.ari.ring(session.channelId).catch(() => undefined);
      try {
        await telephony.originate({
          endpoint: (o.numbers ?? NumberPlan.asDelivered).trunkEndpoint(o.number, o.trunk),
          channelId: legId,
          appArgs: `${TRANSFER_LEG_KIND},${session.interactionId}`,
          callerId: o.callerId || 'unknown',
          timeout: ringSeconds,
        });
      } catch (error) {
        await fail(`dial refused: ${(error as Error).message}`);
        return;
      }
    }
    const first = await next(waitMs);
    if (first === 'caller-gone') {
      await hangupLeg();
      return;
    }
    if (first !== 'answered') {
      await hangupLeg();
      await fail(first === 'timeout' ? 'no answer' : 'no answer, busy or unreachable');
      return;
    }
    legUp = true;
    try {
      await telephony.ari.createBridge({ bridgeId, type: 'mixing', name: bridgeId });
      await telephony.ari.addToBridge(bridgeId, [session.channelId, legId]);
    } catch (error) {
      await hangupLeg();
      if (isGone(error) && !session.isLive) return;
      await fail(`bridge failed: ${(error as Error).message}`);
      return;
    }
    await session.record({
      type: 'ivr.transfer',
      payload: { number: o.number, step: 'connected', channelId: legId, bridgeId },
    });
    const end = await next();
    await endTransfer(session, { telephony, number: o.number, legId, bridgeId }, end === 'caller-gone');
  } finally {
    telephony.off('event', listener);
    if (legUp) await telephony.ari.destroyBridge(bridgeId).catch(() => undefined);
  }
}

interface ConnectedTransfer {
  telephony: Pick<Telephony, 'ari' | 'on' | 'off'>;
  number: string;
  legId: string;
  bridgeId: string;
}

/** Whichever leg hung up first ends the other; on the timeline as `ended`. */
async function endTransfer(session: CallSession, t: ConnectedTransfer, callerGone: boolean): Promise<void> {
  await session.record({
    type: 'ivr.transfer',
    payload: {
      number: t.number,
      step: 'ended',
      channelId: t.legId,
      bridgeId: t.bridgeId,
      reason: callerGone ? 'caller hung up' : 'far end hung up',
    },
  });
  if (callerGone) await t.telephony.ari.hangup(t.legId).catch(() => undefined);
  else if (session.isLive) await session.hangup();
}

/**
 * A transfer a previous run of the service had connected (ivrTransferTakeover), carried on by this run:
 * the caller and the far end talk on in their bridge until one of them hangs up, which ends the other
 * as the transfer would have. Never rejects.
 */
export async function carryOnTransfer(session: CallSession, t: ConnectedTransfer): Promise<void> {
  let listener: ((e: TelephonyEvent) => void) | undefined;
  // Settles with which side hung up first: true the caller, false the far end.
  const callerGone = new Promise<boolean>((resolve) => {
    listener = (e) => {
      if (
        legGone(e, t.legId) ||
        ('channelId' in e &&
          e.channelId === t.legId &&
          (e.type === 'channel.ended' || e.type === 'channel.left-app'))
      )
        resolve(false);
    };
    t.telephony.on('event', listener);
    session.onEnd(() => resolve(true));
    if (session.isEnded) resolve(true);
  });
  try {
    await endTransfer(session, t, await callerGone);
  } catch (error) {
    session.logger.warn({ err: error }, 'ending a transfer carried on after a restart failed');
  } finally {
    if (listener) t.telephony.off('event', listener);
    await t.telephony.ari.destroyBridge(t.bridgeId).catch(() => undefined);
  }
}

/** A channel listing after a reconnect without the far end's leg in it: it ended while nobody saw. */
function legGone(e: TelephonyEvent, legId: string): boolean {
  return e.type === 'resync' && !e.channels.some((c) => c.id === legId);
}
