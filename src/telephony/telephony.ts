import { RoundTripMeter } from './ari/round-trip-meter.js';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { AmiClient, type AmiEvent } from './ami/ami-client.js';
import { AriEventStream } from './ari/event-stream.js';
import { AriRest, isGone, type OriginateRequest } from './ari/rest.js';
import { AriWebSocketRequests } from './ari/websocket-requests.js';
import type { AriEvent } from './ari/types.js';
import { parseUnservedNote, UNSERVED_FAMILY, type UnservedCallNote } from './unserved-notes.js';
import { Backoff } from './backoff.js';
import {
  type ConferenceMediaOutcome,
  type ConferenceMediaPorts,
  restoreConferenceMedia,
} from './conference-media.js';

export interface TelephonyOptions {
  ari: {
    baseUrl: string;
    user: string;
    password: string;
    app: string;
    /**
     * WebSockets that carry the REST requests (Asterisk ≥ 22.4); 0 sends every request over HTTP, which also
     * carries them while no socket is up.
     */
    requestSockets?: number;
  };
  ami: { host: string; port: number; user: string; secret: string };
  logger: Logger;
  now?: () => number;
}

export interface TelephonyStatus {
  ari: 'up' | 'down';
  ami: 'up' | 'down';
  /** How ARI requests travel right now. */
  ariRequests: 'websocket' | 'http';
}

/** What Asterisk told us, in the service's words. Only `src/telephony` knows the ARI shapes behind them. */
export type TelephonyEvent =
  | {
      type: 'call.arrived';
      at: number;
      channelId: string;
      channelName: string;
      /** First Stasis argument set by the dialplan: 'inbound' for trunk calls. */
      kind: string;
      args: string[];
      callerNumber: string;
      callerName: string;
      exten: string;
    }
  /** The channel left the Stasis application: for the service, this leg is over. */
  | { type: 'channel.left-app'; at: number; channelId: string }
  | {
      type: 'channel.hangup-requested';
      at: number;
      channelId: string;
      cause?: number;
      /**
       * Asterisk itself is ending the channel (a soft hangup). Then `cause` is the soft hangup flag, not a
       * Q.850 cause: 1 (AST_SOFTHANGUP_DEV) is the channel driver giving up on the device, e.g. no RTP for
       * `rtp_timeout` seconds.
       */
      soft?: boolean;
    }
  | { type: 'channel.ended'; at: number; channelId: string; cause: number; causeText: string }
  | { type: 'channel.answered'; at: number; channelId: string }
  | { type: 'playback.started'; at: number; playbackId: string }
  | { type: 'playback.finished'; at: number; playbackId: string; failed: boolean }
  | { type: 'dtmf'; at: number; channelId: string; digit: string }
  /**
   * Talk detection (TALK_DETECT, set on the channel) saw the far end start talking, or stop: `talkMs`, how
   * long it talked, once the silence threshold passed after it.
   */
  | { type: 'channel.talk'; at: number; channelId: string; talking: boolean; talkMs?: number }
  | { type: 'bridge.entered'; at: number; channelId: string; bridgeId: string }
  | { type: 'bridge.left'; at: number; channelId: string; bridgeId: string }
  | { type: 'recording.finished'; at: number; name: string; failed: boolean; durationSeconds?: number }
  /** After every (re)connect of the event stream: the channels and bridges Asterisk has now. */
  | {
      /** A channel listing is being asked for, after a (re)connect (a `resync` with it follows, if it works). */
      type: 'resync.started';
      at: number;
    }
  | {
      type: 'resync';
      at: number;
      channels: { id: string; name: string; createdAt: number }[];
      bridges: { id: string; channelIds: string[] }[];
    };

/**
 * AST_SOFTHANGUP_DEV: the soft hangup flag a channel driver sets when it gives up on the device (pjsip:
 * no RTP for `rtp_timeout` seconds). A hang-up from the far end is a BYE: not soft, cause 16.
 */
const SOFT_HANGUP_DEVICE = 1;

/** Asterisk gave up on the phone or line behind this channel (no audio for `rtp_timeout`), not a hang-up. */
export const isDeviceLoss = (event: TelephonyEvent & { type: 'channel.hangup-requested' }): boolean =>
  event.soft === true && event.cause === SOFT_HANGUP_DEVICE;

/**
 * A password the phone server refused (AMI security events): a SIP REGISTER or INVITE with a wrong digest
 * for an endpoint, or for an endpoint that does not exist. `address` is the client's IP address.
 */
export interface SipAuthFailure {
  account: string;
  address: string;
  kind: 'wrong-password' | 'unknown-account';
}

/**
 * Whether Asterisk can ring a phone: a phone it asks whether it is there (a desk phone's qualify: SIP
 * OPTIONS) answered again or stopped answering; or, after each AMI (re)connect (news missed while AMI was
 * down) and when a registration is removed, how each endpoint stands. `endpoint` is the PJSIP endpoint,
 * named after the agent.
 */
export interface PhoneReach {
  endpoint: string;
  reachable: boolean;
}

interface TelephonyEvents {
  event: [event: TelephonyEvent];
  status: [status: TelephonyStatus];
  ami: [event: AmiEvent];
  sipAuthFailure: [failure: SipAuthFailure];
  phoneReach: [reach: PhoneReach];
}

/** The endpoint an AMI ContactStatus is about (its AOR when it names none); undefined for other events. */
const contactEndpointOf = (event: AmiEvent): string | undefined =>
  event.event === 'ContactStatus' ? event.endpointname || event.aor || undefined : undefined;

/**
 * AMI's ContactStatus, when it says a qualified contact became reachable or unreachable, as a PhoneReach;
 * undefined for any other event or status (a contact created, removed, updated, unqualified).
 */
export function phoneReachOf(event: AmiEvent): PhoneReach | undefined {
  const endpoint = contactEndpointOf(event);
  if (!endpoint) return undefined;
  if (event.contactstatus === 'Reachable') return { endpoint, reachable: true };
  if (event.contactstatus === 'Unreachable') return { endpoint, reachable: false };
  return undefined;
}

/**
 * An endpoint as AMI's PJSIPShowEndpoint details it (`events`, its list), as a PhoneReach: reachable when a
 * contact answered the last OPTIONS; not when every contact stopped answering, or when it has none (a phone
 * or softphone app that registers and is not registered). Undefined while no contact has been asked yet
 * (Asterisk just started: its first OPTIONS may be a minute away, and until then it does ring the phone).
 */
export function phoneReachOfDetail(endpoint: string, events: readonly AmiEvent[]): PhoneReach | undefined {
  const statuses = events.filter((e) => e.event === 'ContactStatusDetail').map((e) => e.status);
  if (statuses.includes('Reachable')) return { endpoint, reachable: true };
  if (statuses.every((status) => status === 'Unreachable')) return { endpoint, reachable: false };
  return undefined;
}

/** AMI's security events for a refused SIP password, as a SipAuthFailure; undefined for any other event. */
export function sipAuthFailureOf(event: AmiEvent): SipAuthFailure | undefined {
  const kind =
    event.event === 'ChallengeResponseFailed' || event.event === 'InvalidPassword'
      ? 'wrong-password'
      : event.event === 'InvalidAccountID'
        ? 'unknown-account'
        : undefined;
  if (!kind || (event.service !== undefined && event.service !== 'PJSIP')) return undefined;
  // RemoteAddress: "IPV4/UDP/10.0.0.9/5060", "IPV6/WS/::1/40312".
  const parts = (event.remoteaddress ?? '').split('/');
  const address = parts.length >= 4 ? parts.slice(2, -1).join('/') : '';
  const account = event.accountid ?? '';
  return address && account ? { account, address, kind } : undefined;
}

/**
 * The only door to Asterisk: ARI for call control and the Stasis event stream, AMI for the wider event
 * feed. Reconnects both on its own; after an ARI reconnect it lists channels and bridges and emits
 * `resync`, so the call layer can reconcile calls that ended while the link was down.
 */
export class Telephony extends EventEmitter<TelephonyEvents> {
  readonly ari: AriRest;
  private readonly stream: AriEventStream;
  private readonly requestSockets: AriWebSocketRequests | undefined;
  private readonly ami: AmiClient;
  private readonly roundTrips = new RoundTripMeter();
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(private readonly options: TelephonyOptions) {
    super();
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    const { baseUrl, user, password, app, requestSockets = 0 } = options.ari;
    this.requestSockets =
      requestSockets > 0
        ? new AriWebSocketRequests({
            baseUrl,
            user,
            password,
            app: `${app}-requests`,
            sockets: requestSockets,
            timeoutMs: 5000,
            logger: options.logger,
          })
        : undefined;
    this.ari = new AriRest({ baseUrl, user, password }, this.requestSockets, this.roundTrips);
    this.stream = new AriEventStream({ ...options.ari, logger: options.logger });
    this.ami = new AmiClient({ ...options.ami, logger: options.logger });

    this.stream.on('event', (event) => this.translate(event));
    this.stream.on('connected', () => {
      this.emitStatus();
      void this.filterEvents();
      void this.resync();
    });
    this.stream.on('disconnected', () => this.emitStatus());
    this.ami.on('connected', () => {
      this.emitStatus();
      void this.tellPhoneStates([...this.watchedPhones]);
    });
    this.ami.on('disconnected', () => this.emitStatus());
    this.ami.on('event', (event) => {
      const failure = sipAuthFailureOf(event);
      if (failure) this.emit('sipAuthFailure', failure);
      const reach = phoneReachOf(event);
      if (reach && this.watchedPhones.has(reach.endpoint)) this.emit('phoneReach', reach);
      // A registration gone (the phone or softphone app unregistered, or its registration ran out): whether
      // the endpoint can still be rung (another contact, a new registration already in) is Asterisk's to say.
      const endpoint = contactEndpointOf(event);
      if (endpoint && event.contactstatus === 'Removed' && this.watchedPhones.has(endpoint))
        void this.tellPhoneStates([endpoint]);
      this.emit('ami', event);
    });
  }

  get app(): string {
    return this.options.ari.app;
  }

  start(): void {
    this.requestSockets?.open();
    this.stream.open();
    this.ami.open();
  }

  stop(): void {
    clearTimeout(this.resyncRetry);
    this.stream.close();
    this.ami.close();
    this.requestSockets?.close();
    this.ari.close();
  }

  status(): TelephonyStatus {
    return {
      ari: this.stream.isConnected ? 'up' : 'down',
      ami: this.ami.isConnected ? 'up' : 'down',
      ariRequests: this.requestSockets?.isConnected ? 'websocket' : 'http',
    };
  }

  /** How long Asterisk has lately taken to answer an ARI request (median of the last 2-4 s, ms; 0 = too few). */
  ariRoundTripMs(): number {
    return this.roundTrips.recentMedianMs();
  }

  amiAction(action: Record<string, string>): Promise<Record<string, string>> {
    return this.ami.action(action);
  }

  /**
   * Records what the channel hears and says, mixed and in sync (MixMonitor, as app_queue records), into
   * Asterisk's recording spool as `<name>.<format>`, appending when that file exists. It runs until the
   * channel hangs up, through every bridge, hold and transfer on the way. Sent over AMI because ARI's
   * bridge recording adds a recorder channel that turns a two-party bridge into a softmix conference: in
   * the benchmark that cost Asterisk ~15 ms of CPU per call, more than half of its work per call.
   */
  async recordCall(channelId: string, name: string, format: string): Promise<void> {
    await this.ami.action({
      Action: 'MixMonitor',
      Channel: channelId, // Asterisk finds a channel by its unique id too: the ARI channel id
      // A relative file is under the monitor spool; the recording spool (the service reads it) is its sibling.
      File: `../recording/${name}.${format}`,
      Options: 'a',
    });
  }

  /**
   * Pauses (`muted`) or resumes the recording recordCall started on the channel. Asterisk writes silence
   * meanwhile rather than nothing, so the file keeps the call's own timing (a playback still lines up with
   * the timeline); both sides are silenced.
   */
  async muteRecording(channelId: string, muted: boolean): Promise<void> {
    await this.ami.action({
      Action: 'MixMonitorMute',
      Channel: channelId,
      Direction: 'both',
      State: muted ? '1' : '0',
    });
  }

  private watchedPhones: ReadonlySet<string> = new Set();

  /**
   * The phones (PJSIP endpoints) whose reachability is told as `phoneReach` news: what Asterisk's OPTIONS
   * find as they go, how each stands after every AMI connect (a phone that answered again, or went, while
   * AMI was down or before this run started sent its news to nobody), and when a registration is removed.
   */
  watchPhones(endpoints: Iterable<string>): void {
    this.watchedPhones = new Set(endpoints);
  }

  private async tellPhoneStates(endpoints: readonly string[]): Promise<void> {
    // One at a time: a connect asks after every desk phone, and calls go on meanwhile.
    for (const endpoint of endpoints) {
      try {
        const details = await this.ami.list(
          { Action: 'PJSIPShowEndpoint', Endpoint: endpoint },
          'EndpointDetailComplete',
        );
        const reach = phoneReachOfDetail(endpoint, details);
        if (reach) this.emit('phoneReach', reach);
      } catch (error) {
        this.logger.warn({ err: error, endpoint }, "could not read the phone's state");
      }
    }
  }

  /**
   * The notes Asterisk's dialplan left for calls it turned away while the service was not connected
   * (AstDB family `cc-unserved`, see unserved-notes.ts). Needs AMI; rejects while it is down.
   */
  async unservedCalls(): Promise<UnservedCallNote[]> {
    const entries = await this.ami.list(
      { Action: 'DBGetTree', Family: UNSERVED_FAMILY },
      'DBGetTreeComplete',
    );
    return entries.flatMap((entry) => {
      // The key as AstDB holds it is "/<family>/<channel id>"; the event names family and key apart.
      const key = (entry.key ?? '').replace(/^\/?[^/]*\//, '');
      return key ? [parseUnservedNote(key, entry.val ?? '')] : [];
    });
  }

  /** Deletes one call's note once the service has it on record. */
  async forgetUnservedCall(channelId: string): Promise<void> {
    await this.ami.action({ Action: 'DBDel', Family: UNSERVED_FAMILY, Key: channelId });
  }

  /**
   * Once a call's bridge has become a conference (a third channel joined it), checks that Asterisk sends
   * audio to every member and puts back in the bridge one it stopped sending to (conference-media.ts says
   * why), saying so in the log with `context` (the call's ids). Resolves with what it did; never rejects (a
   * bridge or channel gone meanwhile ends the check).
   */
  async restoreConferenceMedia(
    bridgeId: string,
    context: Record<string, string | undefined> = {},
  ): Promise<ConferenceMediaOutcome> {
    const ari = this.ari;
    const ports: ConferenceMediaPorts = {
      bridgeChannels: (id) =>
        ari.getBridge(id).then(
          (b) => b.channels,
          () => [],
        ),
      sentPackets: (channelId) =>
        ari.getVariable(channelId, 'CHANNEL(rtcp,txcount)').then(
          ({ value }) => (value !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined),
          () => undefined,
        ),
      leave: (id, channelId) => ari.removeFromBridge(id, channelId),
      join: (id, channelId) =>
        ari.addToBridge(id, channelId).then(
          () => true,
          (error: unknown) => {
            if (isGone(error)) return false;
            throw error;
          },
        ),
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    const outcome: ConferenceMediaOutcome = await restoreConferenceMedia(ports, bridgeId).catch(
      (error: unknown) => {
        this.logger.warn({ err: error, bridgeId, ...context }, 'checking the conference audio failed');
        return { rejoined: [], stillSilent: [] };
      },
    );
    const { rejoined, stillSilent, joinError } = outcome;
    if (joinError !== undefined) {
      this.logger.error(
        { err: joinError, ...context, bridgeId, rejoined, leftOut: stillSilent },
        'a conference member Asterisk stopped sending audio to could not be put back in the bridge',
      );
    } else if (rejoined.length > 0 || stillSilent.length > 0) {
      this.logger.warn(
        { ...context, bridgeId, rejoined, stillSilent },
        stillSilent.length > 0
          ? 'a conference member gets no audio from Asterisk, put back in the bridge or not: left as it is'
          : 'Asterisk stopped sending audio to a conference member: put it back in the bridge',
      );
    }
    return outcome;
  }

  originate(req: Omit<OriginateRequest, 'app'>) {
    return this.ari.originate({ ...req, app: this.app });
  }

  /** A snoop channel on `channelId` (spying and/or whispering), entering this application with `appArgs`. */
  snoop(channelId: string, opts: Omit<Parameters<AriRest['snoop']>[1], 'app'>) {
    return this.ari.snoop(channelId, { ...opts, app: this.app });
  }

  private emitStatus(): void {
    this.emit('status', this.status());
  }

  /**
   * Asks Asterisk to send only the event types the service translates: a call in Stasis otherwise also
   * produces dozens of ChannelVarset/ChannelDialplan events that would be parsed and thrown away.
   */
  private async filterEvents(): Promise<void> {
    try {
      await this.ari.request(
        'PUT',
        `/applications/${encodeURIComponent(this.app)}/eventFilter`,
        {},
        {
          allowed: TRANSLATED_EVENT_TYPES.map((type) => ({ type })),
        },
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'could not set the ARI event filter; all events will be delivered');
    }
  }

  private readonly resyncBackoff = new Backoff(500, 30_000);
  private resyncRetry: NodeJS.Timeout | undefined;

  private async resync(): Promise<void> {
    clearTimeout(this.resyncRetry);
    this.emit('event', { type: 'resync.started', at: this.now() });
    try {
      const [channels, bridges] = await Promise.all([this.ari.listChannels(), this.ari.listBridges()]);
      this.resyncBackoff.reset();
      this.emit('event', {
        type: 'resync',
        at: this.now(),
        channels: channels.map((c) => ({ id: c.id, name: c.name, createdAt: Date.parse(c.creationtime) })),
        bridges: bridges.map((b) => ({ id: b.id, channelIds: b.channels })),
      });
    } catch (error) {
      // Until a listing succeeds, calls that ended while the link was down would stay open: try again.
      const delay = this.resyncBackoff.next();
      this.logger.warn(
        { err: error, retryInMs: delay },
        'could not list channels after reconnect; will retry',
      );
      this.resyncRetry = setTimeout(() => {
        if (this.stream.isConnected) void this.resync();
      }, delay);
      this.resyncRetry.unref();
    }
  }

  private translate(event: AriEvent): void {
    const at = Date.parse(event.timestamp) || this.now();
    const out = toTelephonyEvent(event, at);
    if (out) this.emit('event', out);
  }
}

/** Every ARI event type toTelephonyEvent handles; the application's event filter lets only these through. */
export const TRANSLATED_EVENT_TYPES = [
  'StasisStart',
  'StasisEnd',
  'ChannelHangupRequest',
  'ChannelDestroyed',
  'ChannelStateChange',
  'PlaybackStarted',
  'PlaybackFinished',
  'ChannelDtmfReceived',
  'ChannelTalkingStarted',
  'ChannelTalkingFinished',
  'ChannelEnteredBridge',
  'ChannelLeftBridge',
  'RecordingFinished',
  'RecordingFailed',
] as const satisfies readonly AriEvent['type'][];

function toTelephonyEvent(event: AriEvent, at: number): TelephonyEvent | undefined {
  switch (event.type) {
    case 'StasisStart': {
      if (event.replace_channel) return undefined; // a masquerade, not a new call
      const [kind = 'unknown', ...args] = event.args;
      return {
        type: 'call.arrived',
        at,
        channelId: event.channel.id,
        channelName: event.channel.name,
        kind,
        args,
        callerNumber: event.channel.caller.number,
        callerName: event.channel.caller.name,
        exten: event.channel.dialplan.exten,
      };
    }
    case 'StasisEnd':
      return { type: 'channel.left-app', at, channelId: event.channel.id };
    case 'ChannelHangupRequest':
      return {
        type: 'channel.hangup-requested',
        at,
        channelId: event.channel.id,
        cause: event.cause,
        soft: event.soft,
      };
    case 'ChannelDestroyed':
      return {
        type: 'channel.ended',
        at,
        channelId: event.channel.id,
        cause: event.cause,
        causeText: event.cause_txt,
      };
    case 'ChannelStateChange':
      return event.channel.state === 'Up'
        ? { type: 'channel.answered', at, channelId: event.channel.id }
        : undefined;
    case 'PlaybackStarted':
      return { type: 'playback.started', at, playbackId: event.playback.id };
    case 'PlaybackFinished':
      return {
        type: 'playback.finished',
        at,
        playbackId: event.playback.id,
        failed: event.playback.state === 'failed',
      };
    case 'ChannelDtmfReceived':
      return { type: 'dtmf', at, channelId: event.channel.id, digit: event.digit };
    case 'ChannelTalkingStarted':
      return { type: 'channel.talk', at, channelId: event.channel.id, talking: true };
    case 'ChannelTalkingFinished':
      return {
        type: 'channel.talk',
        at,
        channelId: event.channel.id,
        talking: false,
        talkMs: Math.max(0, event.duration),
      };
    case 'ChannelEnteredBridge':
      return { type: 'bridge.entered', at, channelId: event.channel.id, bridgeId: event.bridge.id };
    case 'ChannelLeftBridge':
      return { type: 'bridge.left', at, channelId: event.channel.id, bridgeId: event.bridge.id };
    case 'RecordingFinished':
      return {
        type: 'recording.finished',
        at,
        name: event.recording.name,
        failed: false,
        durationSeconds: event.recording.duration,
      };
    case 'RecordingFailed':
      return { type: 'recording.finished', at, name: event.recording.name, failed: true };
    default:
      return undefined;
  }
}
