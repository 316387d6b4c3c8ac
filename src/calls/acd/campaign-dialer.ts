import type { Logger } from 'pino';
import {
  type CampaignAction,
  callsToPlace,
  changeStatus,
  closedReasonOf,
  contactOutcome,
  isFinished,
  type StatusChange,
} from '../../acd/campaigns.js';
import { type Decision, isWithinWeeklyHours, nextOpening, type SupervisorRef } from '../../acd/index.js';
import type {
  AnsweringMachine,
  CampaignLog,
  CampaignRecord,
  ContactRecord,
} from '../../store/campaign-log.js';
import type { InteractionLog } from '../../store/interaction-log.js';
import type { AcdRuntime } from './acd-runtime.js';
import { timerDelay } from './timer-table.js';

/** What the dialer tells about a campaign each time its progress or status changes. */
export type CampaignPublisher = (campaign: CampaignRecord) => void;

interface Booked {
  campaignId: string;
  seq: number;
}

/**
 * Carries out outbound campaigns (src/acd/campaigns.ts): whenever the router has decided something (an agent
 * freed up, a call left a line, a callback request closed), it books the next contacts of each running
 * campaign, one per agent of its queue free with nothing in line to take them, as callback requests of
 * that queue; the router offers them after all inbound work and the callback runner calls them. When a
 * request closes, the contact gets its outcome. Event-driven; a timer only for calling hours to open.
 */
export class CampaignDialer {
  private readonly booked = new Map<string, Booked>();
  /** Calls being booked per queue (written, not yet in line): counted against its free agents. */
  private readonly booking = new Map<string, number>();
  /** Campaigns whose next contacts are being read and booked now: one at a time each. */
  private readonly placing = new Set<string>();
  /** Requests a campaign's stop cancelled: their contacts say so. */
  private readonly stopCancels = new Set<string>();
  /** Campaigns found with no contact left to call: not read again until one is given more (refresh). */
  private readonly exhausted = new Set<string>();
  private running: CampaignRecord[] = [];
  private checkQueued = false;
  /** Books nothing until started: the contacts booked before a restart are known by then. */
  private started = false;
  private hoursTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: {
      acd: AcdRuntime;
      log: Pick<InteractionLog, 'recordCallbackRequests' | 'record' | 'timeline' | 'afterQueuedWrites'>;
      store: CampaignLog;
      logger: Logger;
      publish: CampaignPublisher;
    },
  ) {}

  /**
   * Picks up where the last run left off, once the callback requests from before a restart are back in line:
   * a booked contact whose request closed meanwhile gets its outcome from the request's record.
   */
  async start(): Promise<void> {
    const { acd, store, log } = this.deps;
    // The restore's own closing notes (a request over while the service was down) are on record first.
    await log.afterQueuedWrites();
    for (const b of await store.booked()) this.booked.set(b.interactionId, b);
    for (const [interactionId, booked] of [...this.booked]) {
      if (!acd.router.callbackInLine(interactionId)) await this.settleFromRecord(interactionId, booked);
    }
    this.unsubscribe = acd.onDecisions((decisions) => this.onDecisions(decisions));
    this.started = true;
    await this.refresh();
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.hoursTimer) clearTimeout(this.hoursTimer);
  }

  /**
   * What the campaign of a booked call does about answering machines, as set now (undefined: not a
   * campaign's call). Read when its customer answers.
   */
  async answeringMachineOf(interactionId: string): Promise<AnsweringMachine | undefined> {
    const booked = this.booked.get(interactionId);
    return booked && (await this.deps.store.answeringMachineOf(booked.campaignId));
  }

  /** Reads the running campaigns again (one was made, changed or given contacts) and books at once. */
  async refresh(): Promise<void> {
    this.running = await this.deps.store.running();
    this.exhausted.clear();
    this.scheduleCheck();
  }

  /** Pause, resume or stop a campaign; a stop also cancels its requests not yet being dialled. */
  async changeStatus(
    campaign: CampaignRecord,
    action: CampaignAction,
    by: SupervisorRef | undefined,
  ): Promise<StatusChange> {
    const change = changeStatus(campaign.status, action);
    if ('refused' in change) return change;
    const { acd, store } = this.deps;
    await store.setStatus(campaign.id, change.status, acd.now());
    if (change.status === 'stopped') {
      for (const [interactionId, booked] of this.booked) {
        if (booked.campaignId !== campaign.id) continue;
        // One being dialled now is refused and ends as it ends (a person's request: logged as news).
        this.stopCancels.add(interactionId);
        acd.input(
          { type: 'cancelCallback', interactionId, cancelledBy: { supervisor: by ?? null } },
          'request',
        );
      }
    }
    await this.refresh();
    await this.tell(campaign.id);
    return change;
  }

  private onDecisions(decisions: readonly Decision[]): void {
    for (const d of decisions) {
      if (d.type !== 'callbackClosed') continue;
      const booked = this.booked.get(d.interactionId);
      if (!booked) continue;
      this.booked.delete(d.interactionId);
      const stopped = this.stopCancels.delete(d.interactionId) && d.reason === 'cancelled';
      void this.settle(
        booked,
        stopped
          ? { state: 'cancelled', reason: 'the campaign was stopped' }
          : contactOutcome(d.reason, d.detail),
      );
    }
    if (this.running.length > 0) this.scheduleCheck();
  }

  /** One check per turn of the event loop, however many inputs came in it (and never inside `input`). */
  private scheduleCheck(): void {
    if (this.checkQueued || !this.started) return;
    this.checkQueued = true;
    queueMicrotask(() => {
      this.checkQueued = false;
      this.check();
    });
  }

  private check(): void {
    const { acd } = this.deps;
    const now = acd.now();
    let opensAt: number | undefined;
    for (const campaign of this.running) {
      if (this.placing.has(campaign.id) || this.exhausted.has(campaign.id)) continue;
      const queue = acd.router.queue(campaign.queueId);
      if (!queue) continue;
      if (queue.callbackHours && !isWithinWeeklyHours(queue.callbackHours, now)) {
        const at = nextOpening(queue.callbackHours, now);
        if (at !== null) opensAt = Math.min(opensAt ?? at, at);
        continue;
      }
      const n = callsToPlace(acd.router.spareAgents(queue.id, now), this.booking.get(queue.id) ?? 0);
      if (n > 0) void this.place(campaign, n);
    }
    if (this.hoursTimer) clearTimeout(this.hoursTimer);
    this.hoursTimer = undefined;
    if (opensAt !== undefined) {
      // Calling hours open with agents sitting free and nothing else happening: wake then (past a month of
      // closed dates, at the longest a timer waits, to look again).
      const wait = timerDelay(Math.max(1_000, opensAt - now + 1_000));
      this.hoursTimer = setTimeout(() => this.scheduleCheck(), wait);
      this.hoursTimer.unref();
    }
  }

  private async place(campaign: CampaignRecord, n: number): Promise<void> {
    const { store, logger } = this.deps;
    const queueId = campaign.queueId;
    this.placing.add(campaign.id);
    this.booking.set(queueId, (this.booking.get(queueId) ?? 0) + n);
    let booked = 0;
    try {
      const contacts = await store.nextPending(campaign.id, n);
      for (const [i, contact] of contacts.entries()) await this.book(campaign, contact, i);
      booked = contacts.length;
      if (contacts.length < n) {
        this.exhausted.add(campaign.id);
        await this.tell(campaign.id);
      }
    } catch (error) {
      logger.error({ err: error, campaignId: campaign.id }, 'campaign calls not booked');
    } finally {
      this.placing.delete(campaign.id);
      this.booking.set(queueId, (this.booking.get(queueId) ?? n) - n);
      // Booked ones may have been skipped (a barred number), or this campaign had fewer to call than it
      // was given agents (another campaign of the queue may take them): look again for the agents still
      // free. An exhausted campaign is not read again, so this ends.
      if (booked > 0 || this.exhausted.has(campaign.id)) this.scheduleCheck();
    }
  }

  /** One contact in the queue's line as a callback request, or skipped with why. */
  private async book(campaign: CampaignRecord, contact: ContactRecord, i: number): Promise<void> {
    const { acd, log, store, logger } = this.deps;
    const now = acd.now();
    const refusal = acd.router.callbackNumberRefusal(contact.number);
    if (refusal) {
      await store.markClosed(campaign.id, contact.seq, { state: 'skipped', reason: refusal.reason }, now);
      await this.tell(campaign.id);
      return;
    }
    if (acd.router.callbacksFor(campaign.queueId, contact.number).length > 0) {
      const reason = `a callback for ${contact.number} is open in ${campaign.queueId} already`;
      await store.markClosed(campaign.id, contact.seq, { state: 'skipped', reason }, now);
      await this.tell(campaign.id);
      return;
    }
    const [interactionId] = await log.recordCallbackRequests(
      [{ callerNumber: contact.number, ...(contact.name ? { callerName: contact.name } : {}) }],
      now,
    );
    if (!interactionId) return;
    // Booked on the contact before it is in line: a restart in between finds the request never made (no
    // requested step on its record) and makes the contact pending again (settleFromRecord).
    await store.markBooked(campaign.id, contact.seq, interactionId, now);
    this.booked.set(interactionId, { campaignId: campaign.id, seq: contact.seq });
    const at = Math.max(acd.now(), now) + 100 + i; // in the list's order (the line breaks ties by id)
    const refused = acd.input({
      type: 'scheduleCallback',
      interactionId,
      queueId: campaign.queueId,
      callerNumber: contact.number,
      at,
      requestedBy: { campaign: { id: campaign.id, name: campaign.name } },
      note: contact.note ? `${campaign.name}: ${contact.note}` : campaign.name,
    })[0];
    logger.info(
      { interactionId, campaignId: campaign.id, contact: contact.seq, refused },
      refused ? 'campaign call not booked' : 'campaign call booked',
    );
    if (refused) {
      this.booked.delete(interactionId);
      await store.markClosed(campaign.id, contact.seq, { state: 'skipped', reason: refused.reason }, now);
      await log.record(interactionId, now, {
        type: 'acd.callback',
        payload: {
          queueId: campaign.queueId,
          step: 'closed',
          reason: `not booked: ${refused.reason}`,
          callerNumber: contact.number,
        },
      });
    }
    await this.tell(campaign.id);
  }

  private async settle(
    booked: Booked,
    outcome: { state: ContactRecord['state']; reason: string | null },
  ): Promise<void> {
    try {
      await this.deps.store.markClosed(booked.campaignId, booked.seq, outcome, this.deps.acd.now());
      await this.tell(booked.campaignId);
    } catch (error) {
      this.deps.logger.error(
        { err: error, campaignId: booked.campaignId, contact: booked.seq },
        'campaign contact outcome not written',
      );
    }
  }

  /** A booked contact whose request is not in line after a restart: its outcome as its record says. */
  private async settleFromRecord(interactionId: string, booked: Booked): Promise<void> {
    const { log, store, acd } = this.deps;
    this.booked.delete(interactionId);
    const steps = (await log.timeline(interactionId)).filter((e) => e.type === 'acd.callback');
    const closing = steps
      .map((e) => JSON.parse(e.payload) as { step?: string; reason?: string })
      .filter((p) => p.step === 'closed')
      .at(-1);
    const closed = closing?.reason ? closedReasonOf(closing.reason) : undefined;
    if (closed) await this.settle(booked, contactOutcome(closed.reason, closed.detail));
    else if (steps.length === 0) await store.unbook(booked.campaignId, booked.seq);
    else {
      await this.settle(booked, {
        state: 'cancelled',
        reason: `its callback request ended unrecorded (${closing?.reason ?? 'no closing step'})`,
      });
    }
    acd.logger.info(
      { interactionId, campaignId: booked.campaignId },
      'campaign contact settled after restart',
    );
  }

  /** Tells supervisors where a campaign stands, marking it finished once every contact is accounted for. */
  private async tell(campaignId: string): Promise<void> {
    const campaign = await this.deps.store.get(campaignId);
    if (!campaign) return;
    if (campaign.finishedAt === null && isFinished(campaign.counts)) {
      const at = this.deps.acd.now();
      await this.deps.store.setFinished(campaignId, at);
      this.deps.logger.info({ campaignId }, 'campaign finished: every contact accounted for');
      campaign.finishedAt = at;
    }
    this.deps.publish(campaign);
  }
}
