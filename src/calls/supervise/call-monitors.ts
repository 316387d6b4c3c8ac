/**
 * Supervisor monitoring carried out on real calls: the supervisor's phone is rung (`monitor-leg`), and once
 * it answers it joins a private bridge with a snoop channel on the agent's leg (`monitor-snoop`) to listen
 * or whisper, or the call's own bridge to barge (src/supervision/monitor.ts says which). A mode change puts
 * the new connection in place before the old one goes, so the supervisor never drops out. The monitor ends
 * when the supervisor hangs up or is stopped, or when the agent's leg goes (Asterisk ends its snoops).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SupervisorRef } from '../../acd/router-types.js';
import type { AgentSeatState } from '../../agents/seat.js';
import type { EventHub } from '../../events/event-hub.js';
import type { ConferenceMember, InteractionEvent } from '../../interactions/events.js';
import {
  applyMonitorInput,
  type Monitor,
  type MonitorInput,
  type MonitorMedia,
  type MonitorMode,
  type MonitorRefusal,
  type MonitoredCall,
  bargeRefusal,
  monitorRefusal,
  type MonitorStepRecord,
  monitorsLeftOpen,
  phoneId,
  type SupervisorPhone,
  monitorLegId,
  monitorMedia,
  seatAvailabilityRefusal,
} from '../../supervision/monitor.js';
import type { Telephony, TelephonyEvent } from '../../telephony/telephony.js';
import { reportAudioRestored } from '../conference-audio.js';
import { refusedCallReason, unreachableReason } from '../phone-reach.js';
import { OutboundPolicy } from '../seat/outbound-policy.js';

/** First Stasis argument of the supervisor's leg and of the snoop channels; CallsService leaves them here. */
export const MONITOR_LEG_KIND = 'monitor-leg';
export const MONITOR_SNOOP_KIND = 'monitor-snoop';

/** A request the monitors refuse: an HTTP status, a searchable code, a sentence for the supervisor. */
export class MonitorRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CallMonitorsOptions {
  telephony: Pick<Telephony, 'ari' | 'originate' | 'snoop' | 'on' | 'off' | 'restoreConferenceMedia'>;
  hub: EventHub;
  logger: Logger;
  now?: () => number;
  /** The agent in conversation on the call and their connected leg (SeatCalls.agentInConversation). */
  agentInConversation: (interactionId: string) => MonitoredCall | undefined;
  seatState: (agentId: string) => AgentSeatState | undefined;
  /** The bridge the call's conversation is in (a barging supervisor joins it). */
  callBridge: (interactionId: string) => string | undefined;
  /** An agent's phone as dialled, e.g. PJSIP/ann. */
  endpointOf: (agentId: string) => string | undefined;
  /** Writes a timeline entry of the interaction (through its call's ordered writes when it is live). */
  record: (interactionId: string, event: InteractionEvent) => Promise<void>;
  /** Who a channel in the call's bridge is (the customer, an agent, a party), for the timeline. */
  conferenceMemberOf: (interactionId: string, channelId: string) => ConferenceMember;
  policy: OutboundPolicy;
  /** Trunk endpoint a supervisor's number is dialled on, e.g. `carrier`. */
  trunk: string;
  /** How long the supervisor's phone rings. Default 30 s. */
  ringSeconds?: number;
  /** How long a mode change waits for Asterisk's new snoop. Default 5 s. */
  switchTimeoutMs?: number;
}

interface LiveMonitor {
  monitor: Monitor;
  /** The supervisor's leg. */
  legId: string;
  bridgeId: string;
  /** The snoop the supervisor hears now, once in the bridge. */
  snoopId?: string;
  /** A snoop asked for (answer or mode change), until it enters the application. */
  pending?: { snoopId: string; done: (error?: Error) => void };
  agentChannelId: string;
  /** Barging: the call's bridge the supervisor's leg is in (else it is in its own bridge). */
  inCallBridge?: string;
  /** A mode change under way. */
  switching: boolean;
}

export class CallMonitors {
  private readonly live = new Map<string, LiveMonitor>();
  private readonly now: () => number;
  private readonly listener = (event: TelephonyEvent) => this.onEvent(event);

  constructor(private readonly o: CallMonitorsOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.o.telephony.on('event', this.listener);
  }

  /** Ends every monitor (the service is stopping): supervisors' phones are hung up, not left in silence. */
  async stop(): Promise<void> {
    this.o.telephony.off('event', this.listener);
    await Promise.all([...this.live.values()].map((m) => this.end(m, 'the service stopped')));
  }

  list(): Monitor[] {
    return [...this.live.values()].map((m) => m.monitor);
  }

  get(id: string): Monitor | undefined {
    return this.live.get(id)?.monitor;
  }

  /** The supervisor whose phone leg this channel is, as the timeline names them (undefined: none). */
  supervisorOn(channelId: string): ConferenceMember | undefined {
    for (const { legId, monitor } of this.live.values()) {
      if (legId !== channelId) continue;
      return { who: 'supervisor', ...(monitor.supervisor ? { id: monitor.supervisor.id } : {}), channelId };
    }
    return undefined;
  }

  /**
   * Puts on record the end of monitors a previous run of the service left (its phone and snoop legs are
   * hung up with the other leftovers at the first sync). `open` holds the calls still open on record, each
   * with its monitor steps in order; call before telephony starts.
   */
  async endLeftOver(open: { interactionId: string; steps: MonitorStepRecord[] }[]): Promise<number> {
    let ended = 0;
    for (const { interactionId, steps } of open) {
      for (const left of monitorsLeftOpen(steps)) {
        const { step: _last, reason: _why, ...monitor } = left;
        await this.o.record(interactionId, {
          type: 'supervisor.monitor',
          payload: { ...monitor, step: 'ended', reason: 'the service restarted' },
        });
        this.o.logger.info(
          { interactionId, agentId: left.agentId, monitorId: left.monitorId },
          'monitor left by a previous run ended',
        );
        ended++;
      }
    }
    return ended;
  }

  /** Why the agent's seat may not become available now (its phone is in a monitor), or undefined. */
  readonly availabilityRefusal = (agentId: string) => seatAvailabilityRefusal(agentId, this.list());

  /**
   * Rings the supervisor's phone; on answer they hear the agent's call in `mode`. `supervisor`: who, on the
   * record with every step, when they signed in as themselves.
   */
  async monitor(
    interactionId: string,
    mode: MonitorMode,
    rawPhone: SupervisorPhone,
    supervisor?: SupervisorRef,
  ): Promise<Monitor> {
    const { o } = this;
    const phone: SupervisorPhone =
      rawPhone.type === 'number'
        ? { type: 'number', number: OutboundPolicy.normalise(rawPhone.number) }
        : rawPhone;
    if (phone.type === 'number') {
      const why = o.policy.refusal(phone.number);
      if (why) throw new MonitorRefused(403, 'DESTINATION_NOT_ALLOWED', why);
    }
    const call = o.agentInConversation(interactionId);
    const refusal = monitorRefusal({
      interactionId,
      call,
      mode,
      phone,
      phoneSeat: phone.type === 'agent' ? o.seatState(phone.agentId) : undefined,
      live: this.list(),
    });
    if (refusal || !call) throw refused(refusal!);
    const endpoint =
      phone.type === 'agent' ? o.endpointOf(phone.agentId) : o.policy.trunkEndpoint(phone.number, o.trunk);
    if (!endpoint) throw new MonitorRefused(404, 'AGENT_NOT_FOUND', `no phone for ${phoneId(phone)}`);
    const id = randomUUID();
    const entry: LiveMonitor = {
      monitor: {
        id,
        interactionId,
        agentId: call.agentId,
        mode,
        phone,
        ...(supervisor ? { supervisor: { ...supervisor } } : {}),
        state: 'ringing',
        startedAt: this.now(),
      },
      legId: monitorLegId(id),
      bridgeId: monitorLegId(id),
      agentChannelId: call.channelId,
      switching: false,
    };
    // Known before the dial, so an answer arriving with the reply finds it.
    this.live.set(id, entry);
    const ringSeconds = o.ringSeconds ?? 30;
    try {
      await o.telephony.originate({
        endpoint,
        channelId: entry.legId,
        appArgs: `${MONITOR_LEG_KIND},${id}`,
        callerId: `"Monitor ${call.agentId}" <monitor>`,
        // No X-Interaction-Id: that header makes a softphone open the call's screen pop, not the monitor's.
        timeout: ringSeconds,
      });
    } catch (error) {
      this.live.delete(id);
      const why = refusedCallReason(endpoint, error) ?? (error as Error).message;
      throw new MonitorRefused(
        409,
        'SUPERVISOR_PHONE_UNREACHABLE',
        `${phoneId(phone)} could not be rung: ${why}`,
      );
    }
    this.step(entry, 'ringing');
    return entry.monitor;
  }

  /** Changes what the supervisor does: at once while active, at the answer while ringing. */
  async setMode(id: string, mode: MonitorMode): Promise<Monitor> {
    const entry = this.find(id);
    if (entry.switching) {
      throw new MonitorRefused(
        409,
        'MONITOR_SWITCHING',
        'the last change is still under way: try again in a moment',
      );
    }
    if (mode === 'barge') {
      const call = this.o.agentInConversation(entry.monitor.interactionId);
      const refusal = call && bargeRefusal(call);
      if (refusal) throw refused(refusal);
    }
    const before = entry.monitor.mode;
    const next = this.apply(entry, { type: 'mode', mode });
    if (!next.changed) return entry.monitor;
    if (entry.monitor.state === 'ringing') {
      this.step(entry, 'mode');
      return entry.monitor;
    }
    entry.switching = true;
    try {
      await this.connect(entry, mode);
    } catch (error) {
      if (this.live.get(id) === entry) entry.monitor = { ...entry.monitor, mode: before };
      throw new MonitorRefused(
        409,
        'MONITOR_SWITCH_FAILED',
        `could not switch to ${mode}: ${(error as Error).message}`,
      );
    } finally {
      entry.switching = false;
    }
    this.step(entry, 'mode');
    return entry.monitor;
  }

  /** The supervisor stops: their phone is hung up and the snoop taken down. */
  async stopMonitor(id: string): Promise<void> {
    await this.end(this.find(id), 'stopped by the supervisor');
  }

  private find(id: string): LiveMonitor {
    const entry = this.live.get(id);
    if (!entry) throw new MonitorRefused(404, 'MONITOR_NOT_FOUND', `no live monitor ${id}`);
    return entry;
  }

  private apply(entry: LiveMonitor, input: MonitorInput) {
    const result = applyMonitorInput(entry.monitor, input);
    if (!result.ok) throw refused(result.refusal);
    entry.monitor = result.monitor;
    return result;
  }

  private onEvent(event: TelephonyEvent): void {
    if (event.type === 'resync') {
      const alive = new Set(event.channels.map((c) => c.id));
      for (const entry of this.live.values()) {
        if (!alive.has(entry.legId) || !alive.has(entry.agentChannelId)) {
          void this.end(entry, 'gone while the link to Asterisk was down');
        }
      }
      return;
    }
    if (event.type === 'call.arrived') {
      if (event.kind === MONITOR_LEG_KIND) this.answered(event.args[0] ?? '', event.channelId);
      else if (event.kind === MONITOR_SNOOP_KIND) this.snoopArrived(event.args[0] ?? '', event.channelId);
      return;
    }
    if (event.type !== 'channel.ended' && event.type !== 'channel.left-app') return;
    for (const entry of this.live.values()) {
      if (event.channelId === entry.legId) {
        const reason =
          entry.monitor.state === 'active'
            ? 'the supervisor hung up'
            : (unreachableReason(event) ?? 'the supervisor did not answer');
        void this.end(entry, reason);
      } else if (event.channelId === entry.agentChannelId || event.channelId === entry.snoopId) {
        void this.end(entry, 'the agent left the call');
      }
    }
  }

  /** The supervisor picked up: their private bridge, then the snoop in the current mode. */
  private answered(id: string, channelId: string): void {
    const entry = this.live.get(id);
    if (!entry || channelId !== entry.legId) {
      void this.o.telephony.ari.hangup(channelId).catch(() => undefined);
      return;
    }
    this.apply(entry, { type: 'answered', at: this.now() });
    const { ari } = this.o.telephony;
    void (async () => {
      try {
        await ari.createBridge({ bridgeId: entry.bridgeId, type: 'mixing', name: entry.bridgeId });
        await ari.addToBridge(entry.bridgeId, entry.legId);
        await this.connect(entry, entry.monitor.mode);
      } catch (error) {
        if (this.live.get(id) !== entry) return;
        this.o.logger.warn(
          {
            err: error,
            interactionId: entry.monitor.interactionId,
            agentId: entry.monitor.agentId,
            monitorId: id,
          },
          'monitor could not attach to the call',
        );
        await this.end(entry, `could not attach to the call: ${(error as Error).message}`);
        return;
      }
      this.step(entry, 'active');
    })();
  }

  /**
   * Connects the supervisor's leg as `mode` asks (monitorMedia): into the call's bridge to barge, or back
   * in its own bridge with a snoop to listen or whisper. What it leaves (the old snoop, the call's bridge)
   * goes only once the new way is in place, so a failed change leaves the supervisor as they were.
   */
  private async connect(entry: LiveMonitor, mode: MonitorMode): Promise<void> {
    const media = monitorMedia(mode);
    const { ari } = this.o.telephony;
    if (media.via === 'call-bridge') {
      const callBridge = this.o.callBridge(entry.monitor.interactionId);
      if (!callBridge) throw new Error('the call has no conversation to join right now');
      if (entry.inCallBridge !== callBridge) {
        try {
          // A channel is in one bridge at a time: out of the private one, into the call's.
          await ari.removeFromBridge(entry.bridgeId, entry.legId);
          await ari.addToBridge(callBridge, entry.legId);
        } catch (error) {
          await ari.addToBridge(entry.bridgeId, entry.legId).catch(() => undefined);
          throw error;
        }
        entry.inCallBridge = callBridge;
        // A barge makes the call's bridge a conference: Asterisk now and then stops sending to a member.
        const { interactionId, agentId } = entry.monitor;
        void this.o.telephony
          .restoreConferenceMedia(callBridge, { interactionId })
          .then((outcome) =>
            reportAudioRestored(
              outcome,
              'barge',
              { interactionId, agentId },
              (channelId) =>
                this.supervisorOn(channelId) ?? this.o.conferenceMemberOf(interactionId, channelId),
              { record: (event) => this.o.record(interactionId, event), hub: this.o.hub },
            ),
          );
      }
      const old = entry.snoopId;
      entry.snoopId = undefined;
      if (old) await ari.hangup(old).catch(() => undefined);
      return;
    }
    const barging = entry.inCallBridge;
    if (barging) {
      await ari.removeFromBridge(barging, entry.legId);
      entry.inCallBridge = undefined;
      await ari.addToBridge(entry.bridgeId, entry.legId);
    }
    await this.snoop(entry, media);
  }

  /** Asks Asterisk for a snoop and waits until it is in the private bridge (the old one then goes). */
  private snoop(entry: LiveMonitor, media: Extract<MonitorMedia, { via: 'snoop' }>): Promise<void> {
    const snoopId = `snoop-${randomUUID()}`;
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error('Asterisk did not start the snoop in time')),
        this.o.switchTimeoutMs ?? 5000,
      );
      const finish = (error?: Error) => {
        clearTimeout(timer);
        if (entry.pending?.snoopId === snoopId) entry.pending = undefined;
        if (error) {
          void this.o.telephony.ari.hangup(snoopId).catch(() => undefined);
          reject(error);
        } else resolve();
      };
      entry.pending = { snoopId, done: finish };
    });
    const asked = this.o.telephony.snoop(entry.agentChannelId, {
      spy: media.spy,
      whisper: media.whisper,
      snoopId,
      appArgs: `${MONITOR_SNOOP_KIND},${entry.monitor.id}`,
    });
    asked.catch((error: Error) => entry.pending?.snoopId === snoopId && entry.pending.done(error));
    return joined;
  }

  private snoopArrived(id: string, channelId: string): void {
    const entry = this.live.get(id);
    const pending = entry?.pending;
    if (!entry || pending?.snoopId !== channelId) {
      void this.o.telephony.ari.hangup(channelId).catch(() => undefined);
      return;
    }
    const { ari } = this.o.telephony;
    ari
      .addToBridge(entry.bridgeId, channelId)
      .then(() => {
        const old = entry.snoopId;
        entry.snoopId = channelId;
        if (old) void ari.hangup(old).catch(() => undefined);
        pending.done();
      })
      .catch((error: Error) => pending.done(error));
  }

  private async end(entry: LiveMonitor, reason: string): Promise<void> {
    if (this.live.get(entry.monitor.id) !== entry) return;
    this.live.delete(entry.monitor.id);
    entry.pending?.done(new Error(`the monitor ended: ${reason}`));
    this.apply(entry, { type: 'end', at: this.now(), reason });
    this.step(entry, 'ended', reason);
    const { ari } = this.o.telephony;
    await Promise.all([
      ari.hangup(entry.legId).catch(() => undefined),
      entry.snoopId ? ari.hangup(entry.snoopId).catch(() => undefined) : undefined,
      ari.destroyBridge(entry.bridgeId).catch(() => undefined),
    ]);
  }

  /** On the interaction's timeline and the live stream (supervisors only, see the events plugin). */
  private step(entry: LiveMonitor, step: 'ringing' | 'active' | 'mode' | 'ended', reason?: string): void {
    const m = entry.monitor;
    this.o.logger.info(
      {
        interactionId: m.interactionId,
        agentId: m.agentId,
        monitorId: m.id,
        mode: m.mode,
        step,
        reason,
        supervisorId: m.supervisor?.id,
      },
      'monitor',
    );
    void this.o
      .record(m.interactionId, {
        type: 'supervisor.monitor',
        payload: {
          monitorId: m.id,
          agentId: m.agentId,
          phone: { type: m.phone.type, id: phoneId(m.phone) },
          mode: m.mode,
          step,
          reason,
          ...(m.supervisor ? { supervisor: { ...m.supervisor } } : {}),
        },
      })
      .catch((error) => this.o.logger.error({ err: error, monitorId: m.id }, 'monitor step not recorded'));
    this.o.hub.publish('monitor.changed', {
      interactionId: m.interactionId,
      monitor: monitorDto(m),
    });
  }
}

function refused(r: MonitorRefusal): MonitorRefused {
  return new MonitorRefused(r.status, r.code, r.reason);
}

/** A monitor as the API and the event stream show it. */
export function monitorDto(m: Monitor) {
  return {
    id: m.id,
    interactionId: m.interactionId,
    agentId: m.agentId,
    mode: m.mode,
    phone: m.phone,
    ...(m.supervisor ? { supervisor: { ...m.supervisor } } : {}),
    state: m.state,
    startedAt: new Date(m.startedAt).toISOString(),
    ...(m.answeredAt !== undefined ? { answeredAt: new Date(m.answeredAt).toISOString() } : {}),
    ...(m.endedAt !== undefined ? { endedAt: new Date(m.endedAt).toISOString() } : {}),
    ...(m.endedReason !== undefined ? { endedReason: m.endedReason } : {}),
  };
}
