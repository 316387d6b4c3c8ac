// The agent softphone: SIP over WebSocket to Asterisk with SIP.js (served as ES modules, no bundler),
// audio over WebRTC. The seat (log in, ready / not ready, wrap-up) and call control that changes bridges
// (hold, transfer) go through the service API (api.js): the page asks, the server acts, the page shows it.
import {
  changedByName,
  notReadyLimit,
  SEAT_LABELS,
  seatReasonText,
  serverClock,
} from '../common/seat-view.js';
import { Registerer, RegistererState, SessionState, UserAgent } from '/vendor/sip.js/index.js';
import {
  ApiError,
  callControl,
  openEventStream,
  recordingUrl,
  refreshPlaybackToken,
  seatApi,
  setToken,
  setTokenRenewal,
  softphoneConfig,
} from './api.js';
import { MediaPathWatch } from './media-path.js';
import {
  answeredByText,
  CallEnd,
  LEFT_CONFERENCE,
  RANG_OUT,
  transferredText,
  UNANSWERED,
  YOU_HUNG_UP,
} from './call-end.js';
import { initSwitchesNotice } from './switches-notice.js';
import { initHelpRequest } from './help-request.js';
import { flagReasonText, initCallerFlag, namesACaller } from './caller-flag.js';
import { initSupervisorMessages } from './supervisor-messages.js';
import { callbackDueText, callbackRequestText } from '../common/callback-time.js';
import { machineNoteText } from '../common/machine-text.js';
import { callerDataRows } from '../common/caller-data-text.js';
import { dayAfter, localDay } from '../common/calendar.js';
import {
  adherenceText,
  breaksText,
  nextPlanChange,
  offRosterText,
  plannedNow,
  scheduleLines,
  shiftTime,
} from '../common/shift-text.js';
import { cancelButton, createCallbackPanel } from './callbacks.js';
import { createVoicemailPanel } from './voicemails.js';
import { createMyCallsPanel } from './my-calls.js';
import { myCallLine } from './my-calls-text.js';
import { createEvaluationsPanel } from './evaluations.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const params = new URLSearchParams(location.search);

const ui = {
  myWeek: /** @type {HTMLDetailsElement} */ ($('my-week')),
  queueWaiting: $('queue-waiting'),
  queueAlerts: $('queue-alerts'),
  switchesOn: $('switches-on'),
  error: $('error'),
  errorText: $('error-text'),
  errorClose: $('error-close'),
  registration: $('registration'),
  agentLabel: $('agent-label'),
  signOut: $('sign-out'),
  signInSection: $('sign-in'),
  form: /** @type {HTMLFormElement} */ ($('sign-in-form')),
  agentId: /** @type {HTMLInputElement} */ ($('agent-id')),
  password: /** @type {HTMLInputElement} */ ($('password')),
  signInButton: /** @type {HTMLButtonElement} */ ($('sign-in-button')),
  serverHint: $('server-hint'),
  phone: $('phone'),
  callState: $('call-state'),
  callerName: $('caller-name'),
  callerNumber: $('caller-number'),
  timer: $('timer'),
  answer: /** @type {HTMLButtonElement} */ ($('answer')),
  reject: /** @type {HTMLButtonElement} */ ($('reject')),
  rejoin: /** @type {HTMLButtonElement} */ ($('rejoin')),
  hangup: /** @type {HTMLButtonElement} */ ($('hangup')),
  mute: /** @type {HTMLButtonElement} */ ($('mute')),
  autoAnswer: /** @type {HTMLInputElement} */ ($('auto-answer')),
  shortcuts: /** @type {HTMLInputElement} */ ($('shortcuts')),
  keypad: $('keypad'),
  dtmfSent: $('dtmf-sent'),
  audio: /** @type {HTMLAudioElement} */ ($('remote-audio')),
  seat: $('seat'),
  streamStatus: $('stream-status'),
  seatState: $('seat-state'),
  seatReason: $('seat-reason'),
  seatTime: $('seat-time'),
  seatLogin: /** @type {HTMLButtonElement} */ ($('seat-login')),
  seatReady: /** @type {HTMLButtonElement} */ ($('seat-ready')),
  seatNotReady: /** @type {HTMLButtonElement} */ ($('seat-not-ready')),
  seatLogout: /** @type {HTMLButtonElement} */ ($('seat-logout')),
  reasonSelect: /** @type {HTMLSelectElement} */ ($('seat-reason-select')),
  hold: /** @type {HTMLButtonElement} */ ($('hold')),
  recordPause: /** @type {HTMLButtonElement} */ ($('record-pause')),
  transferForm: /** @type {HTMLFormElement} */ ($('transfer-form')),
  transferTarget: /** @type {HTMLSelectElement} */ ($('transfer-target')),
  transferNumber: /** @type {HTMLInputElement} */ ($('transfer-number')),
  transferNote: /** @type {HTMLInputElement} */ ($('transfer-note')),
  transfer: /** @type {HTMLButtonElement} */ ($('transfer')),
  dialForm: /** @type {HTMLFormElement} */ ($('dial-form')),
  dialNumber: /** @type {HTMLInputElement} */ ($('dial-number')),
  dial: /** @type {HTMLButtonElement} */ ($('dial')),
  consult: /** @type {HTMLButtonElement} */ ($('consult')),
  conference: /** @type {HTMLButtonElement} */ ($('conference')),
  consultBar: $('consult-bar'),
  consultText: $('consult-text'),
  consultComplete: /** @type {HTMLButtonElement} */ ($('consult-complete')),
  consultCancel: /** @type {HTMLButtonElement} */ ($('consult-cancel')),
  conferenceBar: $('conference-bar'),
  parties: $('parties'),
  leave: /** @type {HTMLButtonElement} */ ($('leave')),
  popCall: /** @type {HTMLButtonElement} */ ($('pop-call')),
  pop: $('screen-pop'),
  popName: $('pop-name'),
  popNumber: $('pop-number'),
  popNotes: $('pop-notes'),
  popHandoff: $('pop-handoff'),
  popCrm: $('pop-crm'),
  popFlags: $('pop-flags'),
  popDnc: $('pop-dnc'),
  dncSend: /** @type {HTMLButtonElement} */ ($('dnc-send')),
  dncStatus: $('dnc-status'),
  popCallbacks: $('pop-callbacks'),
  popData: $('pop-data'),
  popPath: $('pop-path'),
  machineStatus: $('machine-status'),
  popScript: $('pop-script'),
  popScriptText: $('pop-script-text'),
  popRecent: $('pop-recent'),
  wrap: $('wrap-up'),
  wrapForm: /** @type {HTMLFormElement} */ ($('wrap-form')),
  wrapCode: /** @type {HTMLSelectElement} */ ($('wrap-code')),
  wrapNotes: /** @type {HTMLTextAreaElement} */ ($('wrap-notes')),
  wrapDone: /** @type {HTMLButtonElement} */ ($('wrap-done')),
  wrapExtend: /** @type {HTMLButtonElement} */ ($('wrap-extend')),
  wrapSaved: $('wrap-saved'),
  wrapTimer: $('wrap-timer'),
  wrapTitle: $('wrap-title'),
  wrapEnded: $('wrap-ended'),
  keypadCard: $('keypad-card'),
  autoAnswerChoice: $('auto-answer-choice'),
  wrapDismiss: /** @type {HTMLButtonElement} */ ($('wrap-dismiss')),
};

/** Everything the page shows is derived from this. */
const model = {
  /** @type {{ sipWsUrl: string, sipDomain: string, iceServers: RTCIceServer[] } | null} */
  config: null,
  agentId: '',
  /** Who set the seat's current state for the agent ("Sam Super", "a supervisor"; from the live stream); else ''. */
  seatBy: '',
  /** Who took this agent's overstay on ("I'm on it"), while it stands: they are coming over. */
  overstayTakenBy: '',
  /**
   * The page's phone: registered with the phone server, or (`desk`) signed in to the service only, the
   * agent's calls ringing a SIP desk phone.
   * @type {'unregistered' | 'registering' | 'registered' | 'reconnecting' | 'failed' | 'desk'}
   */
  registration: 'unregistered',
  /** @type {'idle' | 'ringing' | 'connecting' | 'connected' | 'ended'} */
  call: 'idle',
  /** @type {{ number: string, name: string } | null} */
  caller: null,
  muted: false,
  /** @type {number | null} */
  connectedAt: null,
  /** @type {string | null} */
  error: null,
  /** The current (or last) call was one this agent placed: the far end is who they called. */
  callOut: false,
  /** API bearer token (empty: the seat part of the page is off). */
  token: '',
  /** The seat as the server says: state type, reason, interaction, wrap-up end, since (epoch ms). */
  seat: { type: 'logged_out', reason: '', interactionId: '', until: 0, since: Date.now() },
  streamUp: false,
  /** @type {{ code: string, label: string, selectable: boolean }[]} */
  reasonCodes: [],
  /** @type {{ code: string, label: string }[]} */
  wrapUpCodes: [],
  /** The interaction of the call on screen (SIP header X-Interaction-Id, or the seat's state). */
  interactionId: '',
  /** @type {any} screen pop of `interactionId` */
  pop: null,
  /** @type {any} */
  stats: null,
  /** The agent's own seat off their roster past the grace period (shift.adherence), or null. */
  offRoster: null,
  /** What answering-machine detection says of this agent's campaign call (acd.answering-machine), or ''. */
  machineNote: '',
  /** Today's shifts on the roster for this agent (GET /api/shifts), with how each has gone so far. */
  /** @type {{ start: string, end: string, note: string | null, adherence?: { elapsedSeconds: number, staffedSeconds: number, percent: number | null } }[]} */
  shifts: [],
  /** The queues this agent serves, and callers waiting in each (from the live stream). */
  /** @type {string[]} */
  myQueues: [],
  /** @type {Record<string, number>} */
  queueWaiting: {},
  /** Each colleague's name (the snapshot; names change only with the config); their id until told. */
  /** @type {Record<string, string>} */
  agentNames: {},
  /** Each queue's name, as people know it (the snapshot, then `queue.defined`); its id until told. */
  /** @type {Record<string, string>} */
  queueNames: {},
  /** Each queue's alerts standing now (from the live stream): an agent's queues' are shown. */
  /** @type {Record<string, { kind: string, message: string, acknowledged?: { by?: { name: string } } }[]>} */
  queueAlerts: {},
  /** Interaction whose wrap-up was saved (shown as saved). */
  wrapSavedFor: '',
  /** The seat above came from the server (and its `since` is the server's). */
  seatKnown: false,
  /** When (server clock) `stats` were read: the current state's figure ticks on from there. */
  statsAt: 0,
  /** Interaction the wrap-up form was last cleared for: each call's wrap-up starts empty. */
  wrapFormFor: '',
  /** The agent changed the form since it was cleared or saved. */
  wrapDirty: false,
  /**
   * The form stays on screen after the seat left wrap-up (or the call had none): notes not saved yet, or a
   * call with no wrap-up time whose disposition the agent may still give. Saved or dismissed, it goes.
   */
  wrapLeftOpen: false,
  /** A rejoin was asked for this interaction: its INVITE is answered on its own. */
  rejoining: '',
  busy: false,
  /** Times the phone server's socket came back after a drop (diagnosis and tests). */
  sipReconnects: 0,
  /** The current call's audio path: up, being restored (ICE restart), or lost after every try. */
  /** @type {'ok' | 'restoring' | 'lost'} */
  mediaPath: 'ok',
  /** X-Interaction-Id of the last INVITE (diagnosis: the header path works). */
  sipInteractionId: '',
  /** The number this page asked the server to call: its own phone rings first and is answered on its own. */
  placing: '',
  /** The consultation on the current call: who, and whether they answered. */
  /** @type {{ target: string, state: 'dialing' | 'connected' } | null} */
  consult: null,
  /** Conference parties besides the caller and this agent. */
  /** @type {{ channelId: string, type: string, id: string, state: string }[]} */
  parties: [],
  /** The current call's recording is paused (silence recorded), as the server last said. */
  recordingPaused: false,
};

/** @type {ReturnType<typeof openEventStream> | null} */
let events = null;
/** Which seat actions the current state allows (set by render, read by the keyboard shortcuts). */
const legal = { hold: false, ready: false, notReady: false };
let seatTimerHandle = 0;
let statsTimerHandle = 0;

/** @type {UserAgent | null} */
let userAgent = null;
/** @type {Registerer | null} */
let registerer = null;
/** Why this page's calls ended, as the agent is told. */
const callEnd = new CallEnd();
/** @type {import('/vendor/sip.js/index.js').Session | null} */
let session = null;
/** @type {MediaPathWatch | null} */
let mediaWatch = null;
let timerHandle = 0;
let signingOut = false;

// ---------------------------------------------------------------- rendering

function render() {
  // Connected to the phone server (registered, registering, or lost its registration), or at a desk phone.
  const desk = atDeskPhone();
  const signedIn = userAgent !== null || desk;
  const labels = {
    unregistered: 'Signed out',
    registering: 'Registering…',
    registered: 'Registered',
    reconnecting: 'Reconnecting…',
    failed: 'Not registered',
    desk: 'Desk phone',
  };
  ui.registration.textContent = labels[model.registration];
  ui.registration.dataset.state = model.registration;
  ui.signInSection.hidden = ['registered', 'registering', 'reconnecting', 'desk'].includes(
    model.registration,
  );
  ui.signInButton.disabled = model.registration === 'registering' || !model.config;
  ui.phone.hidden = !(
    ['registered', 'reconnecting', 'desk'].includes(model.registration) || session !== null
  );
  ui.signOut.hidden = !signedIn;
  ui.agentLabel.hidden = !signedIn;
  ui.agentLabel.textContent = model.agentId;

  ui.error.hidden = !model.error;
  ui.errorText.textContent = model.error ?? '';

  const callLabels = {
    idle: 'Idle',
    ringing: 'Ringing',
    connecting: 'Connecting…',
    connected: 'Connected',
    ended: 'Ended',
  };
  const pathLabels = { ok: '', restoring: ' · restoring audio…', lost: ' · audio lost' };
  const call = desk ? deskCall() : model.call;
  ui.callState.textContent = desk
    ? DESK_CALL_LABELS[model.seat.type] || callLabels[call]
    : `${callLabels[call]}${call === 'connected' ? pathLabels[model.mediaPath] : ''}`;
  ui.callState.dataset.state = call;
  ui.callState.dataset.media = model.mediaPath;
  ui.machineStatus.textContent = model.machineNote;
  ui.machineStatus.hidden = model.machineNote === '';
  // The server has this agent on a call that this page's phone is not on (a reload whose rejoin did not ring
  // through, a restart of the service meanwhile): the caller is still there, and Rejoin rings the page again.
  // (Not while a call this page just ended shows: the seat's news of that end is on its way.)
  const rejoinable =
    !desk &&
    ['talking', 'on_hold'].includes(model.seat.type) &&
    session === null &&
    model.call === 'idle' &&
    model.rejoining === '';
  ui.rejoin.hidden = !rejoinable;
  if (desk) {
    renderDeskCall(call);
  } else if (model.caller) {
    ui.callerName.textContent = model.caller.name || model.caller.number || 'Unknown caller';
    ui.callerNumber.textContent =
      model.call === 'ended' ? callEnd.text() : model.caller.name ? model.caller.number : '';
  } else if (rejoinable) {
    ui.callerName.textContent = 'Call in progress';
    ui.callerNumber.textContent = 'This page is not on it: Rejoin call rings it again';
  } else {
    ui.callerName.textContent = 'No call';
    ui.callerNumber.textContent = model.registration === 'registered' ? 'Waiting for a call' : '';
  }
  // At a desk phone the phone answers, hangs up, mutes and sends digits; the page does the rest.
  for (const phoneKey of [ui.answer, ui.reject, ui.hangup, ui.mute]) {
    phoneKey.hidden = desk;
  }
  ui.keypadCard.hidden = desk;
  ui.autoAnswerChoice.hidden = desk;
  ui.answer.disabled = model.call !== 'ringing';
  ui.reject.disabled = model.call !== 'ringing';
  ui.hangup.disabled = model.call !== 'connected' && model.call !== 'connecting';
  ui.mute.disabled = model.call !== 'connected';
  ui.mute.setAttribute('aria-pressed', String(model.muted));
  ui.mute.firstChild.textContent = model.muted ? 'Unmute ' : 'Mute ';
  for (const key of ui.keypad.querySelectorAll('button')) key.disabled = model.call !== 'connected';
  renderTimer();
  renderSeat();
}

/** Signed in at a SIP desk phone: this page does not register; the seat says where the call is. */
const atDeskPhone = () => model.registration === 'desk';

/** At a desk phone, what the call panel's badge says for the seat's state (none: Idle). */
const DESK_CALL_LABELS = {
  offered: 'Ringing on your phone',
  talking: 'On your phone',
  on_hold: 'Caller on hold',
};

/** At a desk phone the call is the seat's: ringing (offered), on it (talking, on hold), or none. */
function deskCall() {
  const type = model.seat.type;
  return type === 'offered' ? 'ringing' : type === 'talking' || type === 'on_hold' ? 'connected' : 'idle';
}

/** At a desk phone, the call panel names the seat's caller (the caller's card's) and why the last one ended. */
function renderDeskCall(call) {
  const i = model.pop && model.pop.interaction.id === model.seat.interactionId ? model.pop.interaction : null;
  const name = model.pop?.contact?.name || i?.callerName || '';
  const number = i?.callerNumber ?? '';
  if (call !== 'idle') {
    ui.callerName.textContent = name || number || (call === 'ringing' ? 'Incoming call' : 'Call');
    ui.callerNumber.textContent = [name ? number : '', 'answer and hang up on your desk phone']
      .filter((part) => part)
      .join(' · ');
  } else if (callEnd.text()) {
    ui.callerName.textContent = 'No call';
    ui.callerNumber.textContent = `Last call: ${callEnd.text()}`;
  } else {
    ui.callerName.textContent = 'No call';
    ui.callerNumber.textContent = 'Waiting for a call (your desk phone rings)';
  }
}

const clock = (seconds) => {
  const s = Math.max(0, Math.floor(seconds));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
};

function renderSeat() {
  helpRequest.render(); // Ask for help needs a logged-in seat
  const on = model.token !== '';
  ui.seat.hidden = !on;
  if (!on) {
    ui.pop.hidden = true;
    ui.wrap.hidden = true;
    return;
  }
  const seat = model.seat;
  ui.streamStatus.textContent = model.streamUp ? 'Live' : 'Reconnecting…';
  ui.streamStatus.dataset.up = String(model.streamUp);
  ui.seatState.textContent = SEAT_LABELS[seat.type] ?? seat.type;
  ui.seatState.dataset.state = seat.type;
  renderSeatReason(serverClock.now());
  const loggedIn = seat.type !== 'logged_out';
  const onCall = seat.type === 'talking' || seat.type === 'on_hold';
  ui.seatLogin.hidden = loggedIn;
  ui.seatLogout.hidden = !loggedIn;
  ui.seatLogout.disabled = model.busy || onCall || seat.type === 'offered';
  // Ready in wrap-up finishes it and makes the agent available (even after a not ready chosen during the
  // call); during a call it drops that choice. Not ready again changes the reason; during a call it takes
  // effect when the call (and its wrap-up) is over, instead of the next caller at once.
  legal.ready = ['not_ready', 'wrap_up'].includes(seat.type) || (onCall && Boolean(seat.notReadyAfter));
  legal.notReady = ['available', 'not_ready', 'talking', 'on_hold', 'wrap_up'].includes(seat.type);
  ui.seatReady.disabled = model.busy || !legal.ready;
  ui.seatNotReady.disabled = model.busy || !legal.notReady;
  ui.reasonSelect.disabled = ui.seatNotReady.disabled;
  const consulting = model.consult !== null;
  const conferencing = model.parties.length > 0;
  // During a consultation the caller stays on hold until it is completed or cancelled (Back to caller);
  // during a conference hold music would play over the caller and the party (drop or leave first).
  legal.hold = onCall && !consulting && !conferencing;
  ui.hold.disabled = model.busy || !legal.hold;
  ui.hold.firstChild.textContent = seat.type === 'on_hold' ? 'Resume ' : 'Hold ';
  ui.hold.setAttribute('aria-pressed', String(seat.type === 'on_hold'));
  // Pausing the recording (card details) is for the agent on the call; a call not recorded is refused
  // with the server's reason.
  ui.recordPause.disabled = model.busy || !onCall;
  ui.recordPause.firstChild.textContent = model.recordingPaused ? 'Resume recording ' : 'Pause recording ';
  ui.recordPause.setAttribute('aria-pressed', String(model.recordingPaused));
  const canTransfer = !model.busy && seat.type === 'talking' && !consulting;
  ui.transfer.disabled = !canTransfer || conferencing;
  ui.transferTarget.disabled = !canTransfer;
  ui.transferNumber.disabled = !canTransfer;
  ui.transferNote.disabled = !canTransfer;
  ui.consult.disabled = !canTransfer || conferencing;
  ui.conference.disabled = !canTransfer || conferencing;
  ui.consultBar.hidden = !consulting;
  if (consulting) {
    ui.consultText.textContent =
      model.consult.state === 'connected'
        ? `Talking privately with ${partyName(model.consult.target)} · caller on hold`
        : `Calling ${partyName(model.consult.target)}… · caller on hold`;
  }
  ui.consultComplete.disabled = model.busy || model.consult?.state !== 'connected';
  ui.consultCancel.disabled = model.busy || !consulting;
  ui.conferenceBar.hidden = !conferencing;
  renderParties();
  ui.leave.disabled = model.busy || !model.parties.some((p) => p.state === 'joined');
  // The server rings this page's own phone first: no registration, no call.
  const canDial =
    !model.busy &&
    !session &&
    !model.placing &&
    (model.registration === 'registered' || atDeskPhone()) &&
    ['available', 'not_ready'].includes(seat.type);
  ui.dial.disabled = !canDial;
  ui.dialNumber.disabled = !canDial;
  // The customer asked not to be called: the service would refuse it; say so on the button.
  const asked = model.pop?.doNotCall;
  ui.popCall.disabled = !canDial || Boolean(asked);
  ui.popCall.title = asked
    ? `The customer asked not to be called (${asked.text})`
    : seat.type === 'wrap_up'
      ? 'Finish wrap-up first (D), then call'
      : canDial
        ? 'Call this number'
        : 'Busy';
  renderPop();
  const wrapping = seat.type === 'wrap_up';
  const lastCallOpen = !wrapping && model.wrapLeftOpen && Boolean(model.wrapFormFor);
  ui.wrap.hidden = !wrapping && !lastCallOpen;
  ui.wrapTitle.textContent = wrapping ? 'Wrap-up' : 'Last call';
  ui.wrapEnded.textContent = callEnd.textFor(wrapTarget());
  ui.wrapEnded.hidden = ui.wrapEnded.textContent === '';
  if (wrapping || lastCallOpen) callbacks.prepare(wrapTarget());
  ui.wrapTimer.hidden = !wrapping;
  ui.wrapDone.hidden = !wrapping;
  ui.wrapExtend.hidden = !wrapping;
  ui.wrapDismiss.hidden = wrapping;
  ui.wrapDone.disabled = model.busy || !wrapping;
  ui.wrapExtend.disabled = model.busy || !wrapping;
  ui.wrapSaved.textContent =
    model.wrapSavedFor && model.wrapSavedFor === wrapTarget()
      ? 'Saved.'
      : lastCallOpen && model.wrapDirty && !ui.wrapCode.value
        ? 'Not saved yet: choose a disposition, then Save.'
        : '';
  const stats = model.stats;
  if (stats) {
    const secs = stats.secondsInState;
    $('stat-handled').textContent = String(stats.handled);
    $('stat-aht').textContent = stats.averageHandleSeconds === null ? '–' : clock(stats.averageHandleSeconds);
    $('stat-ready').textContent = clock(secs.available ?? 0);
    $('stat-talking').textContent = clock((secs.talking ?? 0) + (secs.on_hold ?? 0));
    $('stat-not-ready').textContent = clock(secs.not_ready ?? 0);
    $('stat-wrap').textContent = clock(secs.wrap_up ?? 0);
  }
  const today = localDay();
  $('my-shift').hidden = model.shifts.length === 0;
  $('my-shift').textContent = model.shifts.map((s) => myShiftText(s, today)).join('; ');
  // Off their roster past the grace period (real-time adherence): the agent is told, as their supervisors are.
  const offRoster = model.offRoster ? offRosterText(model.offRoster, (s) => SEAT_LABELS[s] ?? s) : '';
  $('off-roster').textContent = offRoster;
  $('off-roster').hidden = offRoster === '';
  renderSeatTime();
}

/**
 * The agent's shift in a line: "Shift 09:00–17:00 (late) · breaks 12:00–12:30 Lunch · on your break until
 * 12:30 · there 3h of 3h at work…" (the break now, as the shift plans it when the figures were written).
 */
function myShiftText(s, today) {
  const breaks = breaksText(s.breaks ?? [], today);
  const planned = plannedNow({ ...s, breaks: s.breaks ?? [] }, Date.now());
  return `Shift ${shiftTime(s.start, today)}–${shiftTime(s.end, today)}${s.note ? ` (${s.note})` : ''}${
    breaks ? ` · break${s.breaks.length > 1 ? 's' : ''} ${breaks}` : ''
  }${planned?.activity === 'break' ? ` · on your break until ${shiftTime(planned.until, today)}` : ''}${
    s.adherence ? ` · there ${adherenceText(s.adherence)}` : ''
  }`;
}

function renderParties() {
  const key = JSON.stringify(model.parties);
  if (ui.parties.dataset.key === key) return;
  ui.parties.dataset.key = key;
  ui.parties.replaceChildren(
    ...model.parties.map((p) => {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = `${p.id} · ${p.state === 'joined' ? 'in the call' : 'ringing…'}`;
      const drop = document.createElement('button');
      drop.type = 'button';
      drop.className = 'btn btn-reject';
      drop.textContent = 'Drop';
      drop.dataset.channel = p.channelId;
      drop.setAttribute('aria-label', `Drop ${p.id}`);
      li.append(label, drop);
      return li;
    }),
  );
}

/** Which figure of today's stats the current state adds to. */
const STAT_FIELDS = {
  available: 'stat-ready',
  talking: 'stat-talking',
  on_hold: 'stat-talking',
  not_ready: 'stat-not-ready',
  wrap_up: 'stat-wrap',
};

/**
 * The reason beside the seat's state: the not-ready reason with its time limit ("back by 10:15", then how
 * far over), a not ready chosen for after the call, and who set it when a supervisor did.
 */
function renderSeatReason(now) {
  const seat = model.seat;
  const label = (code) => model.reasonCodes.find((r) => r.code === code)?.label ?? code;
  const reason = seatReasonText(seat, label);
  const limit = notReadyLimit(seat, seat.since, model.reasonCodes, now);
  const limitText = !limit
    ? ''
    : limit.overSeconds > 0
      ? `over its ${limit.maxMinutes} min by ${clock(limit.overSeconds)}${model.overstayTakenBy ? ` · ${model.overstayTakenBy} is on it` : ''}`
      : `back by ${new Date(limit.until - serverClock.offset).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
  ui.seatReason.dataset.overLimit = String((limit?.overSeconds ?? 0) > 0);
  // A state a supervisor set (logged out, not ready, ready) says so: the agent did not choose it.
  const said = [reason, limitText].filter(Boolean).join(' · ');
  ui.seatReason.textContent = model.seatBy ? `${said ? `${said} · ` : ''}set by ${model.seatBy}` : said;
}

function renderSeatTime() {
  const now = serverClock.now();
  renderSeatReason(now); // a break running past its limit says so as it happens
  supervisorMessages.render(); // one that ran out goes (a membership changed: the queue's come or go)
  ui.seatTime.textContent = clock((now - model.seat.since) / 1000);
  if (model.seat.type === 'wrap_up') ui.wrapTimer.textContent = clock((model.seat.until - now) / 1000);
  // Today's figures tick on for the state the agent is in (they were read when it began).
  const stats = model.stats;
  const field = STAT_FIELDS[model.seat.type];
  if (stats && field) {
    const secs = stats.secondsInState;
    const base =
      model.seat.type === 'talking' || model.seat.type === 'on_hold'
        ? (secs.talking ?? 0) + (secs.on_hold ?? 0)
        : (secs[model.seat.type] ?? 0);
    $(field).textContent = clock(base + Math.max(0, now - model.statsAt) / 1000);
  }
}

function renderPop() {
  const pop = model.pop;
  ui.pop.hidden = !pop;
  if (!pop) return;
  const i = pop.interaction;
  ui.popCall.hidden = !i.callerNumber;
  ui.popName.textContent = pop.contact?.name || i.callerName || 'Unknown caller';
  ui.popNumber.textContent = i.callerNumber ?? 'Number withheld';
  ui.popNotes.textContent = pop.contact?.notes ?? '';
  // The caller in the company's CRM (config crmLink), filled in by the service for this call.
  ui.popCrm.hidden = !pop.crmLink;
  if (pop.crmLink) {
    ui.popCrm.href = pop.crmLink.url;
    ui.popCrm.textContent = pop.crmLink.label;
  }
  // A colleague passed the call on (not this agent's own transfer coming back): who, and their note.
  const handoff = pop.handoff && pop.handoff.agentId !== model.agentId ? pop.handoff : null;
  ui.popHandoff.hidden = !handoff;
  ui.popHandoff.textContent = handoff
    ? `Transferred by ${handoff.agentName}${handoff.note ? `: “${handoff.note}”` : ''}`
    : '';
  // Colleagues flagged this caller (abusive, spam, a prank) and a supervisor has not decided yet: forewarned.
  const others = (pop.flags ?? []).filter((f) => f.interactionId !== i.id);
  ui.popFlags.hidden = others.length === 0;
  ui.popFlags.textContent = others.length
    ? `Flagged for blocking: ${others.map((f) => `${f.agentName}, ${flagReasonText(f.reason)}, ${new Date(f.flaggedAt).toLocaleDateString()}${f.note ? ` ("${f.note}")` : ''}`).join('; ')}. Waiting for a supervisor.`
    : '';
  callerFlag.known(pop.flags ?? []);
  renderDoNotCall(pop);
  renderPopCallbacks(pop);
  ui.popData.replaceChildren(
    ...callerDataRows(i.callerData).flatMap(({ label, value }) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  callerFlag.render();
  // A callback says what it is for (an outbound campaign's call, who booked it, the note) first.
  ui.popPath.textContent = pop.request
    ? callbackRequestText(pop.request)
    : i.ivrPath?.length
      ? `IVR: ${i.ivrPath.join(' → ')}`
      : i.queueId
        ? `Queue: ${queueName(i.queueId)}`
        : '';
  // An outbound campaign's call: what to say, as the supervisor wrote it (line breaks kept).
  ui.popScript.hidden = !pop.request?.script;
  ui.popScriptText.textContent = pop.request?.script ?? '';
  ui.popRecent.replaceChildren(
    ...(pop.recent.length
      ? pop.recent.map((r) => {
          const li = document.createElement('li');
          const when = new Date(r.startedAt).toLocaleString();
          li.textContent = `${when} · ${r.disposition ?? r.state}${r.agentId ? ` · ${r.agentName ?? r.agentId}` : ''}${
            r.wrapUpCode ? ` · ${r.wrapUpCode}` : ''
          }${r.notes ? ` · “${r.notes}”` : ''}`;
          return li;
        })
      : [Object.assign(document.createElement('li'), { textContent: 'First contact', className: 'none' })]),
  );
}

/**
 * Callbacks booked for the number on the line: the customer got through meanwhile, so the agent may cancel
 * one (or keep it, if it is about something else). Rebuilt only when they change, so a click lands.
 */
function renderPopCallbacks(pop) {
  const items = pop.callbacks ?? [];
  const key = JSON.stringify(items.map((c) => [c.interactionId, c.callback.notBefore]));
  showList(ui.popCallbacks, key, items, (c) => {
    const li = document.createElement('li');
    li.dataset.id = c.interactionId;
    const keptFor = c.callback.reservedFor?.agentId;
    const kept = keptFor
      ? `, kept for ${keptFor === model.agentId ? 'you' : (model.agentNames[keptFor] ?? keptFor)}`
      : '';
    // The queue's own for a caller who gave up waiting: this call reaching an agent is what it was for.
    const gaveUp = c.callback.abandoned ? ': they gave up waiting earlier; answered, it is cancelled' : '';
    const text = document.createElement('span');
    text.textContent = `Callback ${callbackDueText(c)} (${queueName(c.queueId)}${kept})${gaveUp}`;
    const cancel = cancelButton(
      c,
      'Cancel callback',
      () => {
        if (model.pop === pop) pop.callbacks = items.filter((x) => x !== c);
        render();
      },
      (error) => showError(`Cannot cancel the callback: ${describe(error)}`),
    );
    li.append(text, ' ', cancel);
    return li;
  });
}

function renderTimer() {
  const seconds = model.connectedAt === null ? 0 : Math.floor((Date.now() - model.connectedAt) / 1000);
  const mm = String(Math.floor(seconds / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  ui.timer.textContent =
    seconds >= 3600 ? `${Math.floor(seconds / 3600)}:${mm.slice(-2)}:${ss}` : `${mm}:${ss}`;
}

function showError(message) {
  model.error = message;
  render();
}

function clearError() {
  model.error = null;
  render();
}

// ---------------------------------------------------------------- registration

async function loadConfig() {
  try {
    model.config = await softphoneConfig();
    ui.serverHint.textContent = `Phone server: ${model.config.sipWsUrl}`;
  } catch (error) {
    const message = error instanceof ApiError ? `${error.message} (${error.code})` : String(error);
    ui.serverHint.textContent = 'No phone server configured.';
    showError(`Cannot load the softphone configuration: ${message}`);
  }
  render();
}

/**
 * Signs in: connects the SIP WebSocket and registers. Resolves when registered; rejects with the
 * message the page shows when that fails.
 */
async function signIn(agentId, password) {
  if (!model.config) throw new Error('The softphone configuration is not loaded.');
  // An agent at a desk phone: this page must not register (it would take the phone's place).
  const { phone } = await softphoneConfig(agentId).catch(() => ({ phone: 'softphone' }));
  if (phone === 'desk') return signInAtDesk(agentId, password);
  // Browsers hand a page its microphone only when it is secure (https, or this machine's own address):
  // signed in anyway, every call offered would ring and then fail, so say it now.
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    return failRegistration(
      `This page is not secure (${location.origin}), so the browser will not give it your microphone. Open it over https, or on the service's own machine at http://127.0.0.1. Administrators: set http.tls (README, "Agents on other machines").`,
    );
  }
  await beginSignIn(agentId);

  const { sipWsUrl, sipDomain, iceServers } = model.config;
  const uri = UserAgent.makeURI(`sip:${agentId}@${sipDomain}`);
  if (!uri) return failRegistration(`"${agentId}" is not a valid agent id.`);
  const ua = new UserAgent({
    uri,
    authorizationUsername: agentId,
    authorizationPassword: password,
    displayName: agentId,
    userAgentString: 'contact-center-softphone',
    logLevel: params.get('debug') === '1' ? 'debug' : 'warn',
    transportOptions: { server: sipWsUrl, connectionTimeout: 5 },
    sessionDescriptionHandlerFactoryOptions: {
      peerConnectionConfiguration: { iceServers },
      iceGatheringTimeout: 1000,
    },
    delegate: {
      onInvite: (invitation) => onInvite(invitation),
      onDisconnect: (error) => {
        // A network blip: reconnect and register again; the call in progress keeps its media path.
        if (error && !signingOut) reconnectSip(ua, sipWsUrl);
      },
    },
  });
  userAgent = ua;
  try {
    await ua.start();
  } catch (error) {
    return failRegistration(
      `Cannot connect to the phone server at ${sipWsUrl}: ${error?.message ?? error}. Is Asterisk running?`,
    );
  }

  const reg = new Registerer(ua, { expires: 300 });
  registerer = reg;
  const outcome = new Promise((resolve, reject) => {
    reg.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) {
        model.registration = 'registered';
        render();
        resolve(undefined);
      } else if (
        state === RegistererState.Unregistered &&
        model.registration === 'registered' &&
        !signingOut &&
        // Not one this page ended itself (failRegistration lets go of it first).
        registerer === reg
      ) {
        model.registration = 'failed';
        showError('The phone server dropped the registration. Sign in again.');
      }
    });
    reg
      .register({
        requestDelegate: {
          onReject: (response) => {
            const { statusCode, reasonPhrase } = response.message;
            const why =
              statusCode === 401 || statusCode === 403 || statusCode === 407
                ? 'wrong agent id or SIP password'
                : statusCode === 404
                  ? 'unknown agent id'
                  : 'refused by the phone server';
            reject(new Error(`Sign-in failed: ${why} (${statusCode} ${reasonPhrase}).`));
          },
        },
      })
      .catch(reject);
  });
  try {
    await outcome;
  } catch (error) {
    return failRegistration(error.message);
  }
  try {
    await startSeat(await signInToService(agentId, password));
  } catch (error) {
    // Too many wrong passwords from here (the phone server's count too): the sign-in failed, whatever SIP
    // said, so the phone does not stay registered without a seat.
    if (error instanceof ApiError && error.code === 'SIGN_IN_LOCKED') {
      return failRegistration(`Sign-in failed: ${error.message}`);
    }
    showError(`Registered, but the seat is unavailable: ${describe(error)}`);
  }
}

// ---------------------------------------------------------------- the API token
// A token runs out after the service's http.agentTokenHours and ends when the agent signs out on any page.
// The page holds the SIP password for the tab's life anyway (to register again after a reload), so it
// signs in again: a little before the end, and at once when the service refuses the token.

/** @type {Promise<void> | null} */
let renewal = null;
let renewalTimer = 0;

function renewToken() {
  renewal ??= (async () => {
    const saved = JSON.parse(sessionStorage.getItem('softphone.session') ?? 'null');
    if (!saved || !model.token) throw new Error('signed out');
    const { token, expiresAt } = await seatApi.signIn(saved.agentId, saved.password);
    if (!model.token) return; // signed out meanwhile
    model.token = token;
    setToken(token);
    sessionStorage.setItem('softphone.session', JSON.stringify({ ...saved, token }));
    scheduleTokenRenewal(expiresAt);
    await refreshPlaybackToken().catch(() => undefined);
  })().finally(() => {
    renewal = null;
  });
  return renewal;
}
setTokenRenewal(renewToken);

function scheduleTokenRenewal(expiresAt) {
  clearTimeout(renewalTimer);
  // On the service's clock (the page's may be off); at least a minute apart.
  const left = Date.parse(expiresAt) - serverClock.now();
  renewalTimer = setTimeout(() => renewToken().catch(() => undefined), Math.max(60_000, left - 5 * 60_000));
}

/**
 * The caller card's do-not-call line: the customer asked not to be called (before, or on this call), so the
 * agent talks to them now but does not call back; else the button that notes it.
 */
function renderDoNotCall(pop) {
  const asked = pop.doNotCall;
  const number = pop.interaction.callerNumber;
  const onThisCall = asked?.interactionId === pop.interaction.id;
  ui.popDnc.hidden = !asked || onThisCall;
  ui.popDnc.textContent =
    asked && !onThisCall ? `Asked not to be called (${asked.text}): no calls back.` : '';
  ui.dncStatus.hidden = !onThisCall;
  ui.dncStatus.textContent = onThisCall
    ? `On the do-not-call list (${asked.text}): nobody here will call this number.`
    : '';
  ui.dncSend.hidden = Boolean(asked) || !namesACaller(number);
  ui.dncSend.disabled = false;
}

const describe = (error) =>
  error instanceof ApiError ? `${error.message} (${error.code})` : String(error?.message ?? error);

const evaluations = createEvaluationsPanel({
  card: $('my-evaluations'),
  list: $('evaluation-list'),
  count: $('evaluation-count'),
  showError,
  describe,
});
/**
 * A Call back: the number goes to the dial box, selected: the agent checks it and presses Enter (or C,
 * then Enter).
 * @param {string} number
 */
function toDialBox(number) {
  ui.dialNumber.value = number;
  ui.dialNumber.focus();
  ui.dialNumber.select();
}

const voicemails = createVoicemailPanel({
  card: $('voicemails'),
  list: $('voicemail-list'),
  count: $('voicemail-count'),
  codes: () => model.wrapUpCodes,
  callBack: toDialBox,
  showError,
  describe,
});
const myCalls = createMyCallsPanel({
  details: /** @type {HTMLDetailsElement} */ ($('my-calls')),
  list: $('my-calls-list'),
  count: $('my-calls-count'),
  note: $('my-calls-note'),
  read: (from, limit) => seatApi.myCalls(from, limit),
  line: (call) =>
    myCallLine(call, {
      me: model.agentId,
      codeLabels: Object.fromEntries(model.wrapUpCodes.map((c) => [c.code, c.label])),
      agentName: partyName,
    }),
  callBack: toDialBox,
  // Their own calls (they had it last); the service lets an agent play a call they took part in.
  mine: (call) => call.agentId === model.agentId,
  recordingUrl,
  describe,
});
const callbacks = createCallbackPanel({
  form: /** @type {HTMLFormElement} */ ($('callback-form')),
  when: /** @type {HTMLInputElement} */ ($('callback-when')),
  mine: /** @type {HTMLInputElement} */ ($('callback-mine')),
  note: /** @type {HTMLInputElement} */ ($('callback-note')),
  queue: /** @type {HTMLSelectElement} */ ($('callback-queue')),
  queues: () => model.myQueues,
  booked: $('callback-booked'),
  details: /** @type {HTMLDetailsElement} */ ($('callback-book')),
  card: $('my-callbacks'),
  list: $('callback-list'),
  count: $('callback-count'),
  // The call the wrap-up (or Last call) card is for.
  target: () => wrapTarget(),
  agentId: () => model.agentId,
  showError,
  describe,
});
const switchesNotice = initSwitchesNotice({ element: ui.switchesOn, read: seatApi.switches });
const supervisorMessages = initSupervisorMessages({
  list: $('supervisor-messages'),
  read: seatApi.messages,
  agentId: () => model.agentId,
  queues: () => model.myQueues,
  now: () => serverClock.now(),
  markRead: seatApi.readMessage,
  reply: seatApi.replyToMessage,
  replyNote: $('supervisor-reply-note'),
  showError,
});
const helpRequest = initHelpRequest({
  form: /** @type {HTMLFormElement} */ ($('help-form')),
  note: /** @type {HTMLInputElement} */ ($('help-note')),
  ask: /** @type {HTMLButtonElement} */ ($('help-ask')),
  status: $('help-status'),
  withdraw: /** @type {HTMLButtonElement} */ ($('help-withdraw')),
  agentId: () => model.agentId,
  loggedIn: () => model.seat.type !== 'logged_out',
  send: { ask: seatApi.askHelp, withdraw: seatApi.withdrawHelp },
  showError,
});

const callerFlag = initCallerFlag({
  form: /** @type {HTMLFormElement} */ ($('flag-form')),
  reason: /** @type {HTMLSelectElement} */ ($('flag-reason')),
  note: /** @type {HTMLInputElement} */ ($('flag-note')),
  send: /** @type {HTMLButtonElement} */ ($('flag-send')),
  status: $('flag-status'),
  interactionId: () => model.pop?.interaction?.id ?? '',
  callerNumber: () => model.pop?.interaction?.callerNumber ?? null,
  flag: seatApi.flagCaller,
  showError,
});

// ---------------------------------------------------------------- the seat (service API)

async function startSeat(token) {
  model.token = token;
  setToken(token);
  const [reasons, codes] = await Promise.all([seatApi.reasonCodes(), seatApi.wrapUpCodes()]);
  // All codes name the seat's reason (the system's own too: missed, connection_lost); agents pick selectable ones.
  model.reasonCodes = reasons;
  model.wrapUpCodes = codes;
  ui.reasonSelect.replaceChildren(
    ...model.reasonCodes.filter((r) => r.selectable).map((r) => new Option(r.label, r.code)),
  );
  ui.wrapCode.replaceChildren(new Option('Choose…', ''), ...codes.map((c) => new Option(c.label, c.code)));
  await refreshSeat();
  await refreshPlaybackToken().catch(() => undefined); // the messages' players; without, they say so
  voicemails.refresh();
  callbacks.refresh();
  switchesNotice.load().catch(() => undefined); // a notice only: the seat works without it
  supervisorMessages.load().catch(() => undefined);
  evaluations.refresh();
  events?.close();
  /** @type {() => void} */
  let streamUp = () => undefined;
  const snapshotSeen = new Promise((resolve) => {
    streamUp = () => resolve(undefined);
  });
  events = openEventStream({
    renewToken,
    onSnapshot: (snapshot) => {
      streamUp();
      const me = snapshot.agents?.find((a) => a.id === model.agentId);
      for (const a of snapshot.agents ?? []) {
        model.agentNames[a.id] = a.name;
        colleagueState(a.id, a.seat?.state.type ?? 'logged_out');
      }
      const mine = me?.seat;
      if (mine) {
        seatNews++;
        applySeat(mine.state, mine.stateSince);
      }
      helpRequest.fromSnapshot(me?.help ?? null);
      // An overstay of theirs standing now: who took it on, if anyone (after a reload too).
      const taken = me?.overstay?.acknowledged;
      model.overstayTakenBy = taken ? (taken.by?.name ?? 'A supervisor') : '';
      for (const q of snapshot.queues ?? []) {
        model.queueWaiting[q.id] = q.waiting;
        model.queueNames[q.id] = q.name;
        model.queueAlerts[q.id] = q.alerts ?? [];
      }
      voicemails.refresh(); // messages left or worked while the stream was away
      callbacks.refresh();
      switchesNotice.load().catch(() => undefined);
      supervisorMessages.load().catch(() => undefined); // sent or withdrawn while the stream was away
      evaluations.refresh(); // scored or withdrawn while the stream was away
      renderQueueWaiting();
      loadCallControl().catch(() => undefined);
    },
    onEvent: (event) => {
      serverClock.observe(Date.parse(event.at));
      if (event.type.startsWith('voicemail.')) voicemails.onEvent(event);
      else if (event.type === 'acd.callback')
        callbacks.refresh(); // booked, due, called back or cancelled
      else if (event.type === 'acd.answering-machine') {
        // Their campaign call listened to: while it is, what was heard, and that they are free after a machine.
        const note = event.data.agentId === model.agentId ? machineNoteText(event.data) : '';
        if (note) {
          model.machineNote = note;
          render();
        }
      } else if (event.type === 'switch.changed') switchesNotice.changed(event.data);
      else if (event.type === 'agent.help') helpRequest.onEvent(event.data);
      else if (event.type === 'agent.overstay' && event.data.agentId === model.agentId) {
        // The stream tells an agent only their own: a supervisor took it on, or it ended.
        const taken = event.data.state === 'acknowledged' ? event.data.overstay?.acknowledged : undefined;
        model.overstayTakenBy = taken ? (taken.by?.name ?? 'A supervisor') : '';
        render();
      } else if (event.type.startsWith('message.')) supervisorMessages.onEvent(event);
      else if (event.type.startsWith('evaluation.')) evaluations.onEvent();
      else if (event.type === 'shift.adherence') {
        model.offRoster = event.data.inAdherence ? null : event.data.exception;
        render();
      } else if (event.type === 'shift.changed') {
        loadStats(); // their shifts today, read with the figures
        if (ui.myWeek.open) void loadMyWeek();
      } else if (event.type === 'queue.waiting') {
        model.queueWaiting[event.data.queueId] = event.data.waiting;
        renderQueueWaiting();
      } else if (event.type === 'queue.defined') {
        // A supervisor made, renamed or deleted a queue: the callers-waiting line and the transfer list
        // name it as they do now.
        if (event.data.name !== undefined) model.queueNames[event.data.queueId] = event.data.name;
        renderQueueWaiting();
        queueOnTransferList(event.data);
      } else if (event.type === 'queue.alert') {
        // Raised, taken on by a supervisor, or cleared: the line under the waiting counts follows.
        const { queueId, kind, state } = event.data;
        const others = (model.queueAlerts[queueId] ?? []).filter((a) => a.kind !== kind);
        model.queueAlerts[queueId] = state === 'cleared' ? others : [...others, event.data];
        renderQueueWaiting();
      } else if (event.type === 'day.started') {
        loadStats(); // today's personal figures start again at midnight
      } else if (event.type === 'queue.members') {
        // A supervisor added this agent to a queue or took them out: the callers-waiting line follows.
        const { queueId, members } = event.data;
        const member = members.some((m) => m.agentId === model.agentId);
        const listed = model.myQueues.includes(queueId);
        if (member && !listed) model.myQueues = [...model.myQueues, queueId];
        if (!member && listed) model.myQueues = model.myQueues.filter((id) => id !== queueId);
        renderQueueWaiting();
      } else if (event.type === 'agent.state' && event.data.agentId !== model.agentId) {
        colleagueState(event.data.agentId, event.data.to.type);
      } else if (event.type === 'agent.state' && event.data.agentId === model.agentId) {
        const { from, to } = event.data;
        // Rang out here (ring-no-answer): the ACD set the seat not ready; the ringing panel says why it stopped.
        if (from.type === 'offered' && to.type === 'not_ready' && to.reason === 'missed')
          callEnd.heardRing(from.interactionId, RANG_OUT);
        seatNews++;
        model.seatBy = changedByName(event.data);
        applySeat(event.data.to, Date.parse(event.at));
      } else if (event.type === 'agent.seat' && event.data.agentId === model.agentId) {
        // Same state, news about it (a wrap-up extended by a supervisor, a not ready for after the call).
        seatNews++;
        applySeat(event.data.state, model.seat.since);
      } else if (event.type === 'acd.abandoned') {
        // The caller hung up while it rang here (or waited): the ringing panel says so.
        if (callEnd.heardRing(event.data.interactionId, UNANSWERED)) render();
      } else if (event.type === 'acd.connected' && event.data.agentId !== model.agentId) {
        // A call that rang here too (every ready agent rung at once) was answered by a colleague.
        if (callEnd.heardRing(event.data.interactionId, answeredByText(partyName(event.data.agentId))))
          render();
      } else if (event.type === 'call.hangup' && event.data.agentId === model.agentId) {
        // The far end hung up (or its line was lost): the panel and the wrap-up say so.
        if (callEnd.heard(event.data.interactionId, event.data, callDirection())) render();
      } else if (event.data?.interactionId && event.data.interactionId === model.seat.interactionId) {
        onCallEvent(event);
      }
    },
    onStatus: (up) => {
      model.streamUp = up;
      render();
    },
  });
  clearInterval(seatTimerHandle);
  seatTimerHandle = window.setInterval(renderSeatTime, 500);
  clearInterval(statsTimerHandle);
  statsTimerHandle = window.setInterval(loadStats, 60_000); // calls handled elsewhere, a new day
  // Read now too: a seat signed out at sign-in changes nothing that would read them (its figures, its shift
  // and whether it is off its roster would wait for the minute).
  loadStats();
  // A reload in the middle of a call: the server still has it; ring this page again to rejoin, once the
  // live stream is up: a ring given up (call.rejoined) is told only there, and one given up before this
  // page listened would leave it waiting with no word.
  const onACall = () =>
    !atDeskPhone() &&
    (model.seat.type === 'talking' || model.seat.type === 'on_hold') &&
    !session &&
    model.seat.interactionId;
  if (onACall()) {
    // A consultation or conference under way comes back with its bar (complete, back to caller, drop).
    loadCallControl().catch(() => undefined);
    await Promise.race([snapshotSeen, new Promise((resolve) => setTimeout(resolve, STREAM_WAIT_MS))]);
    if (onACall()) await rejoinCall(model.seat.interactionId);
  }
}

/** The longest a reload's rejoin waits for the live stream before ringing all the same. */
const STREAM_WAIT_MS = 5000;

/** How long a rejoin may take to ring this page before Rejoin is offered again (the server rings for 20 s). */
const REJOIN_WAIT_MS = 30_000;

/**
 * Asks the server to ring this page again for the seat's call; its INVITE is answered on its own. Should no
 * ring come (the service restarted meanwhile and let it go), Rejoin is offered again after a while.
 */
async function rejoinCall(interactionId) {
  model.rejoining = interactionId;
  render();
  window.setTimeout(() => {
    if (session !== null || model.rejoining !== interactionId) return;
    model.rejoining = '';
    render();
  }, REJOIN_WAIT_MS);
  await callControl.rejoin(interactionId).catch((error) => {
    if (model.rejoining === interactionId) model.rejoining = '';
    showError(`Cannot rejoin: ${describe(error)}`);
  });
}

/** Call-control news about this agent's call (consultation, conference) from the live stream. */
function onCallEvent(event) {
  if (event.type === 'call.consult' && event.data.agentId === model.agentId) {
    if (event.data.step === 'failed') {
      showError(
        `${model.consult ? partyName(model.consult.target) : 'The other party'} did not take the consultation.`,
      );
    }
    loadCallControl().catch(() => undefined);
  } else if (event.type === 'call.conference') {
    loadParties().catch(() => undefined);
  } else if (event.type === 'call.recording') {
    model.recordingPaused = event.data.paused;
    render();
  } else if (event.type === 'call.rejoined' && event.data.agentId === model.agentId) {
    if (event.data.step !== 'gave-up' || session !== null) return;
    model.rejoining = '';
    showError(
      `This page could not rejoin the call (${event.data.reason ?? 'no answer'}): press Rejoin call to try again.`,
    );
  }
}

/** A queue by the name people know it by (its id until the stream has told it). */
/** @param {string} id */
function queueName(id) {
  return model.queueNames[id] ?? id;
}

/**
 * The call-waiting indicator: callers waiting in each of this agent's queues; and their alerts standing
 * (a supervisor's `alerts` rules: a long wait, nobody to take calls), so an agent on a break knows to come back.
 */
function renderQueueWaiting() {
  const parts = model.myQueues.map((id) => `${queueName(id)}: ${model.queueWaiting[id] ?? 0}`);
  ui.queueWaiting.textContent = parts.length > 0 ? `Waiting — ${parts.join(' · ')}` : '';
  ui.queueWaiting.dataset.busy = String(model.myQueues.some((id) => (model.queueWaiting[id] ?? 0) > 0));
  const alerts = model.myQueues.flatMap((id) =>
    (model.queueAlerts[id] ?? []).map((a) => ({ ...a, queueId: id })),
  );
  const key = JSON.stringify(alerts.map((a) => [a.queueId, a.kind, a.message, a.acknowledged?.by?.name]));
  showList(ui.queueAlerts, key, alerts, (a) => {
    const li = document.createElement('li');
    li.dataset.queue = a.queueId;
    li.dataset.kind = a.kind;
    const taken = a.acknowledged ? ` (${a.acknowledged.by?.name ?? 'a supervisor'} is on it)` : '';
    li.textContent = `${queueName(a.queueId)}: ${a.message}${taken}`;
    return li;
  });
}

/**
 * Rebuilds a list only when what it shows changed (its key: screen readers hear changes, not repaints),
 * hidden when it shows nothing.
 * @template T
 * @param {HTMLElement} list
 * @param {string} key
 * @param {T[]} items
 * @param {(item: T) => HTMLElement} render
 */
function showList(list, key, items, render) {
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  list.hidden = items.length === 0;
  list.replaceChildren(...items.map(render));
}

/** How many seat changes the live stream has brought (refreshSeat tells a stale reply by it). */
let seatNews = 0;

/** The seat's state, from GET /api/agents/:id (after sign-in, reload, or a refused command). */
async function refreshSeat() {
  const newsBefore = seatNews;
  const agent = await seatApi.agent(model.agentId);
  model.myQueues = agent.queues ?? [];
  renderQueueWaiting();
  // The live stream may already have brought a newer state than this reply, sent before it: keep that.
  // That includes news about the same state (a supervisor extending the wrap-up while this was asked),
  // which the reply's stateSince cannot tell apart: any seat news meanwhile wins, later news follows.
  if (model.seatKnown && (seatNews !== newsBefore || Date.parse(agent.stateSince) < model.seat.since)) return;
  applySeat(
    {
      type: agent.state.type,
      reason: agent.state.reason,
      interactionId: agent.state.interactionId,
      until: agent.state.until ? Date.parse(agent.state.until) : undefined,
      notReadyAfter: agent.state.notReadyAfter ?? '',
    },
    Date.parse(agent.stateSince),
  );
}

/** The interaction the wrap-up form is about. */
function wrapTarget() {
  return model.wrapFormFor || model.seat.interactionId || model.interactionId;
}

/** An empty form for `interactionId`; `leftOpen`: shown although the seat is not in wrap-up. */
function resetWrapForm(interactionId, leftOpen) {
  model.wrapFormFor = interactionId;
  model.wrapDirty = false;
  model.wrapLeftOpen = leftOpen;
  ui.wrapCode.value = '';
  ui.wrapNotes.value = '';
}

/**
 * The seat left wrap-up with the form changed and not saved: saved as it is when it has a disposition
 * (the API takes notes after the wrap-up time), else left on screen for the agent to finish.
 */
function keepUnsavedWrapUp() {
  if (!model.wrapDirty) return;
  if (!ui.wrapCode.value) {
    model.wrapLeftOpen = true;
    return;
  }
  const id = wrapTarget();
  model.wrapDirty = false;
  seatApi
    .saveWrapUp(id, ui.wrapCode.value, ui.wrapNotes.value)
    .then(() => {
      model.wrapSavedFor = id;
      render();
    })
    .catch((error) => {
      model.wrapDirty = true;
      model.wrapLeftOpen = true;
      showError(`Cannot save the wrap-up: ${describe(error)}`);
      render();
    });
}

/** A seat state from any source: REST (flat), the snapshot or an agent.state event (router shapes). */
function applySeat(state, since) {
  const interactionId = state.interactionId ?? state.call?.interactionId ?? '';
  const until = typeof state.until === 'number' ? state.until : state.until ? Date.parse(state.until) : 0;
  const changed = state.type !== model.seat.type || interactionId !== model.seat.interactionId;
  const previous = model.seat.interactionId;
  const wasOnCall = ['offered', 'talking', 'on_hold'].includes(model.seat.type);
  const wasTalking = ['talking', 'on_hold'].includes(model.seat.type);
  const wasWrapping = model.seat.type === 'wrap_up';
  model.seatKnown = true;
  if (changed) model.overstayTakenBy = ''; // an overstay ends with the state it was in
  // REST says `notReadyAfter`; the router's shapes (snapshot, events) keep it as the call's `after`.
  const after = state.call?.after ?? state.after;
  model.seat = {
    type: state.type,
    reason: state.reason ?? '',
    interactionId,
    until,
    since: Number.isFinite(since) ? since : Date.now(),
    notReadyAfter: state.notReadyAfter ?? (after?.type === 'not_ready' ? after.reason : ''),
  };
  if (interactionId && interactionId !== model.interactionId) {
    model.interactionId = interactionId;
    loadPop(interactionId);
  }
  if (atDeskPhone()) deskCallFollows(wasOnCall, wasTalking, interactionId, state.type);
  if (changed && state.type !== 'talking' && state.type !== 'on_hold') {
    model.consult = null;
    model.parties = [];
    model.recordingPaused = false;
    endOrphanedCall(previous);
    // A call this page placed ended before its own phone rang (e.g. the INVITE went to a dropped socket).
    if (wasOnCall) model.placing = '';
  }
  if (state.type === 'wrap_up' && interactionId && interactionId !== model.wrapFormFor) {
    // Not the last caller's disposition and notes on this one's record.
    resetWrapForm(interactionId, false);
  } else if (wasWrapping && state.type !== 'wrap_up') {
    // Wrap-up over (Done, Ready, its time ran out, a supervisor): what the agent typed is not lost.
    keepUnsavedWrapUp();
  } else if (wasTalking && !['talking', 'on_hold', 'wrap_up'].includes(state.type) && previous) {
    // A call with no wrap-up time (an outbound call, a queue without one): its disposition may still be given.
    resetWrapForm(previous, true);
  }
  if (changed) {
    loadStats();
    // The call's row closes a moment after the seat leaves it: read the figures again once it has.
    if (state.type === 'wrap_up' || state.type === 'available') window.setTimeout(loadStats, 1500);
  }
  render();
}

/**
 * At a desk phone the seat is the call: a call ringing or on starts the panel's (and why it ends), talking
 * starts its timer, leaving it ends them, as a page's own SIP session does.
 */
function deskCallFollows(wasOnCall, wasTalking, interactionId, type) {
  const onCall = ['offered', 'talking', 'on_hold'].includes(type);
  const talking = type === 'talking' || type === 'on_hold';
  if (onCall && interactionId && interactionId !== callEnd.interactionId) {
    callEnd.begin(interactionId);
    // A call this agent placed: the far end is who they called.
    model.callOut = model.placing !== '';
  }
  if (talking && !wasTalking) {
    // Since the seat took the call (a reload mid-call counts from then, not from the reload).
    startCallTimer(model.seat.since);
  }
  if (wasOnCall && !onCall) {
    callEnd.ended(wasTalking);
    clearInterval(timerHandle);
    model.connectedAt = null;
  }
}

/**
 * The server says this seat's call is over, yet its SIP session is still up a moment later: the hang-up
 * never reached this page (it was sent over a socket that dropped). End the session here too, so the page
 * does not show a call that no longer exists.
 */
function endOrphanedCall(interactionId) {
  if (!interactionId) return;
  const which = session;
  window.setTimeout(() => {
    if (!which || session !== which || model.sipInteractionId !== interactionId) return;
    if (model.seat.interactionId === interactionId) return; // back on it (e.g. a consultation ended)
    if (which.state === SessionState.Established) which.bye().catch(() => which.dispose());
    else which.dispose().catch(() => undefined);
  }, 2000);
}

async function loadPop(interactionId) {
  try {
    const pop = await seatApi.screenPop(interactionId);
    if (model.interactionId === interactionId) model.pop = pop;
    render();
  } catch (error) {
    showError(`Cannot load the caller's details: ${describe(error)}`);
  }
}

/**
 * My shifts, the next 7 days (opened): the agent's roster from today, a line a shift with its breaks; read
 * again on `shift.changed` while open.
 */
async function loadMyWeek() {
  const list = $('my-week-list');
  const note = $('my-week-note');
  const today = localDay();
  try {
    const { items } = await seatApi.shiftsBetween(today, dayAfter(today, 6));
    // From today on: a night shift begun yesterday is today's line already.
    const lines = scheduleLines(items.filter((s) => localDay(new Date(s.start)) >= today));
    list.replaceChildren(
      ...lines.map((line) => {
        const li = document.createElement('li');
        li.textContent = line;
        return li;
      }),
    );
    note.textContent = lines.length === 0 ? 'No shift on the roster in the next 7 days.' : '';
  } catch (error) {
    note.textContent = `Cannot read your shifts: ${describe(error)}`;
  }
}

/** The timer reading the shift again when its plan next changes. */
let shiftTimer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);

async function loadStats() {
  if (!model.token) return;
  try {
    const [stats, shifts, off] = await Promise.all([
      seatApi.stats(model.agentId),
      // A service without a roster (404) or a read that failed: no shift line, the figures still show.
      seatApi.shiftsToday().catch(() => ({ items: [] })),
      // Not watched here (404) or a read that failed: nothing said; the stream tells changes.
      seatApi.offRoster().catch(() => ({ items: [] })),
    ]);
    void myCalls.refresh(); // while open: a call just ended is on it with the figures
    model.stats = stats;
    model.shifts = shifts.items;
    model.offRoster = off.items[0] ?? null;
    model.statsAt = serverClock.now();
    render();
    // A break starting or ending (or the shift) is read again then, so the line says so on time.
    clearTimeout(shiftTimer);
    const next = nextPlanChange(
      model.shifts.map((s) => ({ ...s, breaks: s.breaks ?? [] })),
      Date.now(),
    );
    if (next !== undefined && next - Date.now() < 86_400_000)
      shiftTimer = setTimeout(() => void loadStats(), next - Date.now() + 50);
  } catch {
    // Stats are a nicety; the next state change tries again.
  }
}

/** Runs one seat request; a refusal shows its message and the seat is re-read from the server. */
async function seatAction(what, request) {
  if (!model.token) return;
  model.busy = true;
  render();
  try {
    await request();
    clearError();
  } catch (error) {
    showError(`${what}: ${describe(error)}`);
    await refreshSeat().catch(() => undefined);
    throw error;
  } finally {
    model.busy = false;
    render();
  }
}

/**
 * A command that ends this page's call when it works (a transfer, leaving a conference): its words are why
 * the call ended, said at once (the SIP session may end before the reply); taken back if it is refused.
 * @param {string} words @param {() => Promise<void>} command
 */
async function endingAction(words, command) {
  callEnd.byAgent(words);
  try {
    await command();
  } catch (error) {
    callEnd.withdraw(words);
    render();
    throw error;
  }
}

/**
 * Who a transfer or consultation goes to, as the agent knows them.
 * @param {{ type?: string, agentId?: string, queueId?: string, number?: string }} target
 */
function targetName(target) {
  if (target.queueId) return `the ${queueName(target.queueId)} queue`;
  return partyName(target.agentId ?? target.number ?? '');
}

/**
 * A colleague by name (from the stream's snapshot or the transfer list), a number as it is.
 * @param {string} agentIdOrNumber
 */
function partyName(agentIdOrNumber) {
  const option = [...ui.transferTarget.options].find((o) => o.value === `agent:${agentIdOrNumber}`);
  return model.agentNames[agentIdOrNumber] || option?.dataset.name || agentIdOrNumber || 'the other party';
}

/** Whether this page's call went out to the far end (placed by the agent, a callback, a campaign's). */
const callDirection = () => (model.callOut || model.pop?.request ? 'outbound' : 'inbound');

const seatCommands = {
  login: () => seatAction('Cannot log in', () => seatApi.login(model.agentId).then(refreshSeat)),
  logout: () => seatAction('Cannot log out', () => seatApi.logout(model.agentId).then(refreshSeat)),
  ready: () => seatAction('Cannot go ready', () => seatApi.ready(model.agentId).then(refreshSeat)),
  notReady: (reason = ui.reasonSelect.value) =>
    seatAction('Cannot go not ready', () => seatApi.notReady(model.agentId, reason).then(refreshSeat)),
  hold: () => seatAction('Cannot hold', () => callControl.hold(model.seat.interactionId)),
  resume: () => seatAction('Cannot resume', () => callControl.resume(model.seat.interactionId)),
  toggleHold: () => (model.seat.type === 'on_hold' ? seatCommands.resume() : seatCommands.hold()),
  // The live stream says so too (call.recording); the reply alone keeps the button right while it is away.
  toggleRecording: () =>
    model.recordingPaused
      ? seatAction('Cannot resume the recording', () =>
          callControl.resumeRecording(model.seat.interactionId).then(() => {
            model.recordingPaused = false;
          }),
        )
      : seatAction('Cannot pause the recording', () =>
          callControl.pauseRecording(model.seat.interactionId).then(() => {
            model.recordingPaused = true;
          }),
        ),
  transfer: (target) =>
    endingAction(transferredText(targetName(target)), () =>
      seatAction('Cannot transfer', () => callControl.transfer(model.seat.interactionId, target)),
    ),
  dial: (number) => {
    const wanted = String(number ?? '').trim();
    if (!wanted) {
      showError('Type a number to call, e.g. +15551230000.');
      return Promise.resolve();
    }
    model.placing = wanted;
    return seatAction(`Cannot call ${wanted}`, async () => {
      const { interactionId } = await callControl.dial(wanted);
      model.interactionId = interactionId;
      model.pop = null;
      loadPop(interactionId);
    }).catch((error) => {
      model.placing = '';
      render();
      throw error;
    });
  },
  consult: (target) =>
    seatAction('Cannot consult', async () => {
      await callControl.consult(model.seat.interactionId, target);
      model.consult = { target: target.agentId ?? target.number, state: 'dialing' };
      await loadCallControl(); // it may have been answered (or failed) before this reply came
    }),
  completeConsult: () =>
    endingAction(transferredText(partyName(model.consult?.target ?? '')), () =>
      seatAction('Cannot complete the transfer', async () => {
        await callControl.completeConsult(model.seat.interactionId);
        model.consult = null;
      }),
    ),
  cancelConsult: () =>
    seatAction('Cannot go back to the caller', async () => {
      await callControl.cancelConsult(model.seat.interactionId);
      model.consult = null;
    }),
  conference: (target) =>
    seatAction('Cannot add to the call', async () => {
      await callControl.conference(model.seat.interactionId, target);
      await loadParties();
    }),
  dropParty: (channelId) =>
    seatAction('Cannot drop the party', async () => {
      await callControl.dropParty(model.seat.interactionId, channelId);
      model.parties = model.parties.filter((p) => p.channelId !== channelId);
    }),
  leave: () =>
    endingAction(LEFT_CONFERENCE, () =>
      seatAction('Cannot leave the conference', async () => {
        await callControl.leave(model.seat.interactionId);
        model.parties = [];
      }),
    ),
  wrapUp: (code, notes) =>
    seatAction('Cannot save the wrap-up', async () => {
      const id = wrapTarget();
      await seatApi.saveWrapUp(id, code, notes);
      model.wrapSavedFor = id;
      model.wrapDirty = false;
      if (model.seat.type !== 'wrap_up') model.wrapLeftOpen = false;
    }),
  dismissWrapUp: () => {
    model.wrapLeftOpen = false;
    model.wrapDirty = false;
    render();
  },
  wrapUpDone: () =>
    seatAction('Cannot finish wrap-up', () => seatApi.wrapUpDone(model.agentId).then(refreshSeat)),
  extendWrapUp: (seconds = 30) =>
    seatAction('Cannot extend the wrap-up', () =>
      seatApi.extendWrapUp(model.agentId, seconds).then(refreshSeat),
    ),
};

/** Colleagues' states the stream told while the list was on its way: as new as the list's, or newer. */
let statesDuringRead = /** @type {Map<string, string> | null} */ (null);

async function loadTransferTargets() {
  const told = new Map();
  statesDuringRead = told;
  const { agents, queues } = await seatApi.transferTargets().finally(() => {
    if (statesDuringRead === told) statesDuringRead = null;
  });
  const options = [new Option('Transfer to…', '')];
  for (const a of agents) {
    if (a.id === model.agentId) continue;
    const option = new Option('', `agent:${a.id}`);
    option.dataset.name = a.name;
    showTargetState(option, told.get(a.id) ?? a.state);
    options.push(option);
  }
  for (const q of queues) options.push(new Option(`Queue: ${q.name}`, `queue:${q.id}`));
  // Read as the list gets focus: a target chosen from the last list while this was on its way stays chosen
  // (still there and free), or Consult would go out with none.
  const chosen = ui.transferTarget.value;
  ui.transferTarget.replaceChildren(...options);
  if (options.some((o) => o.value === chosen && !o.disabled)) ui.transferTarget.value = chosen;
}

/** @param {HTMLOptionElement} option @param {string} state */
function showTargetState(option, state) {
  option.text = `${option.dataset.name} (${state.replace('_', ' ')})`;
  option.disabled = state !== 'available';
}

/**
 * A colleague's state from the stream onto the transfer list as it stands: an agent with the list open
 * sees a colleague come free (or get busy) without opening it again. A chosen colleague no longer free is
 * no longer chosen, as when the list is read.
 * @param {string} agentId @param {string} state
 */
function colleagueState(agentId, state) {
  if (agentId === model.agentId) return;
  statesDuringRead?.set(agentId, state);
  const option = [...ui.transferTarget.options].find((o) => o.value === `agent:${agentId}`);
  if (!option) return; // not read yet: the list is read as it opens
  showTargetState(option, state);
  if (option.disabled && option.selected) ui.transferTarget.value = '';
}

/**
 * A queue a supervisor made, renamed or deleted, onto the transfer list as it stands (as a colleague's
 * state is): a deleted queue chosen is no longer chosen. Before the list is read there is nothing to follow.
 * @param {{ queueId: string, name?: string, deleted: boolean }} change
 */
function queueOnTransferList({ queueId, name, deleted }) {
  const options = [...ui.transferTarget.options];
  if (!options.some((o) => o.value.startsWith('agent:') || o.value.startsWith('queue:'))) return;
  const option = options.find((o) => o.value === `queue:${queueId}`);
  if (deleted) {
    if (option?.selected) ui.transferTarget.value = '';
    option?.remove();
  } else if (option) {
    if (name !== undefined) option.text = `Queue: ${name}`;
  } else {
    ui.transferTarget.add(new Option(`Queue: ${name ?? queueId}`, `queue:${queueId}`));
  }
}

/** The consult / conference target from the transfer form: an agent or a typed number (not a queue). */
function partyFromForm() {
  const number = ui.transferNumber.value.trim();
  const [type, id] = ui.transferTarget.value.split(':');
  if (number) return { type: 'number', number };
  if (type === 'agent') return { type, agentId: id };
  showError(
    type === 'queue'
      ? 'Consult and conference take an agent or a number, not a queue.'
      : 'Choose an agent, or type a number, first.',
  );
  return null;
}

async function loadParties() {
  const id = model.seat.interactionId;
  if (!id) return;
  model.parties = await callControl.parties(id);
  render();
}

/**
 * The call's consultation and conference parties as the server has them: after a reload or a stream
 * snapshot the page knew nothing of them, and a stream event may arrive before the reply to the request
 * that caused it.
 */
async function loadCallControl() {
  const id = model.seat.interactionId;
  if (!id || !['talking', 'on_hold'].includes(model.seat.type)) return;
  const [parties, { consult }, recording] = await Promise.all([
    callControl.parties(id),
    callControl.consultation(id),
    callControl.recording(id),
  ]);
  if (model.seat.interactionId !== id) return; // the call moved on meanwhile
  model.parties = parties;
  model.consult = consult;
  model.recordingPaused = recording.paused;
  render();
}

function transferFromForm() {
  const number = ui.transferNumber.value.trim();
  const [type, id] = ui.transferTarget.value.split(':');
  const target = number
    ? { type: 'number', number }
    : type === 'agent'
      ? { type, agentId: id }
      : type === 'queue'
        ? { type, queueId: id }
        : null;
  if (!target) {
    showError('Choose an agent or a queue, or type a number, to transfer to.');
    return Promise.resolve();
  }
  ui.transferNumber.value = '';
  const note = ui.transferNote.value.trim();
  ui.transferNote.value = '';
  // Refused (the colleague got busy, a number not allowed): what was typed is back, to try again.
  return seatCommands.transfer(note ? { ...target, note } : target).catch((error) => {
    if (number && !ui.transferNumber.value) ui.transferNumber.value = number;
    if (note && !ui.transferNote.value) ui.transferNote.value = note;
    throw error;
  });
}

/** Seconds between attempts to get the phone server back after a drop (about a minute in all). */
const SIP_RECONNECT_DELAYS = [0.5, 1, 2, 4, 8, 15, 30];
let reconnecting = false;

/**
 * The phone server's WebSocket dropped (Wi-Fi blip, proxy, server restart): try again with backoff and
 * register again, keeping the call on screen; the server keeps the call, and its bridges do not depend on
 * this socket. Only when every attempt fails does the page ask the agent to sign in again.
 */
async function reconnectSip(ua, sipWsUrl) {
  if (reconnecting) return;
  reconnecting = true;
  model.registration = 'reconnecting';
  render();
  try {
    for (const delay of SIP_RECONNECT_DELAYS) {
      await new Promise((resolve) => window.setTimeout(resolve, delay * 1000));
      if (userAgent !== ua || signingOut) return;
      try {
        await ua.reconnect();
        await registerAgain();
        model.sipReconnects += 1;
        model.registration = 'registered';
        // Back perhaps over another network: a call whose audio path went with the old one restarts it.
        mediaWatch?.signallingBack();
        render();
        return;
      } catch {
        // Still down: the next attempt waits longer.
      }
    }
    model.registration = 'failed';
    showError(
      `Lost the connection to the phone server (${sipWsUrl}) and could not get it back. Sign in again.`,
    );
  } finally {
    reconnecting = false;
  }
}

/** REGISTER once more on the current socket; resolves when the server accepts it (10 s at most). */
function registerAgain() {
  const reg = registerer;
  if (!reg) return Promise.reject(new Error('not signed in'));
  return new Promise((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('no answer to REGISTER')), 10_000);
    const done = (error) => {
      window.clearTimeout(timer);
      if (error) reject(error);
      else resolve(undefined);
    };
    reg
      .register({
        requestDelegate: {
          onAccept: () => done(),
          onReject: (response) => done(new Error(`REGISTER refused: ${response.message.statusCode}`)),
        },
      })
      .catch(done);
  });
}

/** A sign-in begins: whoever was signed in here is signed out, and the page says it is under way. */
async function beginSignIn(agentId) {
  await signOut();
  clearError();
  model.agentId = agentId;
  model.seatBy = '';
  model.registration = 'registering';
  render();
}

/**
 * Signs in to the service with the agent's SIP password; the session is kept for a reload and renewed
 * before it runs out. The bearer token.
 */
async function signInToService(agentId, password) {
  const { token, expiresAt } = await seatApi.signIn(agentId, password);
  sessionStorage.setItem('softphone.session', JSON.stringify({ agentId, password, token }));
  scheduleTokenRenewal(expiresAt);
  return token;
}

/**
 * Signs in an agent whose calls ring a SIP desk phone: to the service only (the seat, the caller's card,
 * call control, wrap-up, their figures). The password is the same SIP password.
 */
async function signInAtDesk(agentId, password) {
  await beginSignIn(agentId);
  try {
    const token = await signInToService(agentId, password);
    model.registration = 'desk';
    await startSeat(token);
  } catch (error) {
    model.registration = 'failed';
    showError(`Sign-in failed: ${describe(error)}`);
    throw error;
  }
}

async function failRegistration(message) {
  const ua = userAgent;
  userAgent = null;
  registerer = null;
  await ua?.stop().catch(() => undefined);
  model.registration = 'failed';
  showError(message);
  throw new Error(message);
}

async function signOut() {
  signingOut = true;
  clearTimeout(renewalTimer);
  try {
    if (session) await hangup().catch(() => undefined);
    // Ends this agent's API tokens everywhere (a token copied from this desk is of no use after).
    if (model.token && model.agentId) await seatApi.signOut(model.agentId).catch(() => undefined);
    await registerer?.unregister().catch(() => undefined);
    await userAgent?.stop().catch(() => undefined);
  } finally {
    registerer = null;
    userAgent = null;
    signingOut = false;
    model.registration = 'unregistered';
    events?.close();
    events = null;
    clearInterval(seatTimerHandle);
    clearInterval(statsTimerHandle);
    model.token = '';
    setToken('');
    forgetAgent();
    $('voicemails').hidden = true;
    $('my-callbacks').hidden = true;
    evaluations.clear();
    render();
  }
}

/**
 * What the page knew about the agent who signed out: the next agent at this desk must not see their
 * caller, notes, figures or forms (the API would not show them that agent's calls).
 */
function forgetAgent() {
  Object.assign(model, {
    seat: { type: 'logged_out', reason: '', interactionId: '', until: 0, since: Date.now() },
    seatKnown: false,
    interactionId: '',
    pop: null,
    stats: null,
    shifts: [],
    offRoster: null,
    machineNote: '',
    myQueues: [],
    queueWaiting: {},
    queueAlerts: {},
    wrapSavedFor: '',
    wrapFormFor: '',
    wrapDirty: false,
    wrapLeftOpen: false,
    rejoining: '',
    placing: '',
    consult: null,
    parties: [],
    recordingPaused: false,
    caller: null,
  });
  ui.wrapCode.value = '';
  ui.wrapNotes.value = '';
  // The next agent at this browser does not see this one's roster.
  ui.myWeek.open = false;
  $('my-week-list').replaceChildren();
  $('my-week-note').textContent = '';
  myCalls.clear();
  switchesNotice.clear();
  helpRequest.clear();
  callerFlag.clear();
  model.overstayTakenBy = '';
  supervisorMessages.clear();
  renderQueueWaiting();
}

// ---------------------------------------------------------------- calls

function onInvite(invitation) {
  if (session) {
    // One call at a time: a second offer while busy is declined.
    invitation.reject({ statusCode: 486 }).catch(() => undefined);
    return;
  }
  session = invitation;
  const identity = invitation.remoteIdentity;
  model.caller = { number: identity.uri.user ?? '', name: identity.displayName ?? '' };
  // The ACD names the interaction in a SIP header, so the screen pop shows while the call rings.
  const interactionId = invitation.request.getHeader('X-Interaction-Id') ?? '';
  model.sipInteractionId = interactionId;
  if (interactionId && interactionId !== model.interactionId) {
    model.interactionId = interactionId;
    model.pop = null;
    if (model.token) loadPop(interactionId);
  }
  const rejoin = interactionId !== '' && interactionId === model.rejoining;
  model.rejoining = '';
  // The server rings this page first for a call the agent placed: answered at once (the agent asked).
  model.callOut = invitation.request.getHeader('X-Seat-Call') === 'outbound';
  const placed = model.placing !== '' && model.callOut;
  if (placed) {
    model.placing = '';
    model.caller = { number: identity.uri.user ?? '', name: 'Calling…' };
  }
  model.call = 'ringing';
  model.machineNote = ''; // a new call: what was heard on the last one is over
  model.muted = false;
  model.connectedAt = null;
  callEnd.begin(interactionId);
  ui.dtmfSent.textContent = '';
  invitation.stateChange.addListener((state) => onSessionState(invitation, state));
  render();
  if (ui.autoAnswer.checked || rejoin || placed) answer().catch(() => undefined);
}

/** The call panel's time runs from `since` (epoch ms), redrawn twice a second. */
function startCallTimer(since) {
  model.connectedAt = since;
  clearInterval(timerHandle);
  timerHandle = window.setInterval(renderTimer, 500);
}

function onSessionState(which, state) {
  if (which !== session) return;
  if (state === SessionState.Establishing) {
    model.call = 'connecting';
  } else if (state === SessionState.Established) {
    model.call = 'connected';
    startCallTimer(Date.now());
    attachRemoteAudio(which);
    watchMediaPath(which);
  } else if (state === SessionState.Terminated) {
    clearInterval(timerHandle);
    const wasConnected = model.call === 'connected';
    model.call = 'ended';
    callEnd.ended(wasConnected);
    model.muted = false;
    session = null;
    mediaWatch?.stop();
    mediaWatch = null;
    ui.audio.srcObject = null;
    // The last call's details stay visible briefly, then the panel is ready for the next one.
    window.setTimeout(() => {
      if (session === null && model.call === 'ended') {
        model.call = 'idle';
        model.caller = null;
        model.connectedAt = null;
        render();
      }
    }, 4000);
  }
  render();
}

/**
 * Restarts ICE when the call's audio path is lost (see media-path.js): a re-INVITE offering new ICE
 * credentials, resolved once Asterisk accepts it. The call, its bridge and its recording stay as they are.
 */
function watchMediaPath(which) {
  mediaWatch?.stop();
  const pc = which.sessionDescriptionHandler?.peerConnection;
  model.mediaPath = 'ok';
  if (!pc) return;
  mediaWatch = new MediaPathWatch(pc, {
    restart: () => sendIceRestart(which),
    onChange: (state) => {
      if (which !== session) return;
      model.mediaPath = state;
      if (state === 'lost') {
        showError(
          "The call's audio could not be restored after a network change. The caller is still connected: hang up and ask them to call again, or check this computer's network.",
        );
      }
      render();
    },
  });
}

function sendIceRestart(which) {
  return new Promise((resolve, reject) => {
    if (which.state !== SessionState.Established) {
      reject(new Error('the call is not established'));
      return;
    }
    which
      .invite({
        sessionDescriptionHandlerOptions: { offerOptions: { iceRestart: true } },
        requestDelegate: {
          onAccept: () => resolve(undefined),
          onReject: (response) => reject(new Error(`re-INVITE refused: ${response.message.statusCode}`)),
        },
      })
      .catch(reject);
  });
}

function attachRemoteAudio(which) {
  const sdh = which.sessionDescriptionHandler;
  if (!sdh) return;
  ui.audio.srcObject = sdh.remoteMediaStream;
  ui.audio.play().catch(() => undefined);
}

async function answer() {
  if (!session || model.call !== 'ringing') return;
  model.call = 'connecting';
  render();
  try {
    await session.accept({
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
    });
  } catch (error) {
    const name = error?.name ?? '';
    const message =
      name === 'NotAllowedError' || name === 'NotFoundError'
        ? `Cannot answer: no microphone access (${name}). Allow the microphone for this page.`
        : `Cannot answer the call: ${error?.message ?? error}`;
    callEnd.byAgent('Answer failed');
    showError(message);
    throw error;
  }
}

async function reject() {
  if (!session || model.call !== 'ringing') return;
  callEnd.byAgent('Rejected');
  await session.reject();
}

async function hangup() {
  const current = session;
  if (!current) return;
  callEnd.byAgent(YOU_HUNG_UP);
  if (current.state === SessionState.Established) await current.bye();
  else if (current.state === SessionState.Initial) await current.reject();
  else if (current.state === SessionState.Establishing) {
    // Answered but media not up yet: BYE once established, or let the session end by itself.
    await current.bye().catch(() => current.dispose());
  }
}

function setMuted(muted) {
  const sdh = session?.sessionDescriptionHandler;
  if (!sdh || model.call !== 'connected') return;
  sdh.enableSenderTracks(!muted);
  model.muted = muted;
  render();
}

/**
 * RFC 4733 through the peer connection's RTCDTMFSender; SIP INFO (application/dtmf-relay) if that is
 * not possible. Keys pressed quickly are queued: insertDTMF() replaces the tones not yet played, so
 * the new key is appended to what is still in the buffer (SIP.js's sendDtmf() would drop them).
 */
async function sendDtmf(tone) {
  if (!session || model.call !== 'connected' || !/^[0-9*#]$/.test(tone)) return false;
  const pc = session.sessionDescriptionHandler?.peerConnection;
  const dtmf = pc?.getSenders().find((sender) => sender.dtmf && sender.track?.kind === 'audio')?.dtmf;
  if (dtmf?.canInsertDTMF) {
    dtmf.insertDTMF(`${dtmf.toneBuffer}${tone}`, 160, 70);
  } else {
    await session.info({
      requestOptions: {
        body: {
          contentDisposition: 'render',
          contentType: 'application/dtmf-relay',
          content: `Signal=${tone}\r\nDuration=160`,
        },
      },
    });
  }
  ui.dtmfSent.textContent = `${ui.dtmfSent.textContent}${tone}`.slice(-24);
  return true;
}

/** A summary of the current call's WebRTC statistics (zeros when there is no call). */
async function stats() {
  const pc = session?.sessionDescriptionHandler?.peerConnection;
  const summary = {
    inboundPackets: 0,
    outboundPackets: 0,
    bytesReceived: 0,
    bytesSent: 0,
    iceState: pc ? pc.iceConnectionState : 'none',
    dtlsState: 'none',
    audioLevel: 0,
    // For diagnosing a silent call: bytes reaching the transport at all, and which sources are heard.
    transportBytesReceived: 0,
    inboundSsrcs: [],
    /** The UDP ports of the candidate pair in use, this side and Asterisk's (0: none selected). */
    localPort: 0,
    remotePort: 0,
  };
  if (!pc) return summary;
  const report = await pc.getStats();
  /** @type {string[]} */
  const selectedPairs = [];
  report.forEach((entry) => {
    if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
      summary.inboundPackets += entry.packetsReceived ?? 0;
      summary.bytesReceived += entry.bytesReceived ?? 0;
      summary.audioLevel = Math.max(summary.audioLevel, entry.audioLevel ?? 0);
      summary.inboundSsrcs.push(entry.ssrc);
    } else if (entry.type === 'outbound-rtp' && entry.kind === 'audio') {
      summary.outboundPackets += entry.packetsSent ?? 0;
      summary.bytesSent += entry.bytesSent ?? 0;
    } else if (entry.type === 'transport') {
      summary.dtlsState = entry.dtlsState ?? summary.dtlsState;
      summary.transportBytesReceived += entry.bytesReceived ?? 0;
      if (entry.selectedCandidatePairId) selectedPairs.push(entry.selectedCandidatePairId);
    }
  });
  const pair = selectedPairs.length > 0 ? report.get(selectedPairs[0]) : undefined;
  if (pair) {
    summary.localPort = report.get(pair.localCandidateId)?.port ?? 0;
    summary.remotePort = report.get(pair.remoteCandidateId)?.port ?? 0;
  }
  return summary;
}

// ---------------------------------------------------------------- wiring

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(ui.agentId.value.trim(), ui.password.value).catch(() => undefined);
});
ui.myWeek.addEventListener('toggle', () => {
  if (ui.myWeek.open && model.token) void loadMyWeek();
});
ui.signOut.addEventListener('click', () => {
  sessionStorage.removeItem('softphone.session');
  signOut();
});
ui.errorClose.addEventListener('click', () => clearError());
ui.answer.addEventListener('click', () => answer().catch(() => undefined));
ui.reject.addEventListener('click', () => reject().catch(() => undefined));
ui.rejoin.addEventListener('click', () => {
  if (model.seat.interactionId) rejoinCall(model.seat.interactionId).catch(() => undefined);
});
ui.hangup.addEventListener('click', () => hangup().catch(() => undefined));
ui.mute.addEventListener('click', () => setMuted(!model.muted));
ui.keypad.addEventListener('click', (event) => {
  const tone = /** @type {HTMLElement} */ (event.target).closest('button')?.dataset.tone;
  if (tone) sendDtmf(tone).catch((error) => showError(`Cannot send the key ${tone}: ${error.message}`));
});
ui.seatLogin.addEventListener('click', () => seatCommands.login().catch(() => undefined));
ui.seatLogout.addEventListener('click', () => seatCommands.logout().catch(() => undefined));
ui.seatReady.addEventListener('click', () => seatCommands.ready().catch(() => undefined));
ui.seatNotReady.addEventListener('click', () => seatCommands.notReady().catch(() => undefined));
ui.hold.addEventListener('click', () => seatCommands.toggleHold().catch(() => undefined));
ui.recordPause.addEventListener('click', () => seatCommands.toggleRecording().catch(() => undefined));
ui.transferTarget.addEventListener('focus', () => loadTransferTargets().catch(() => undefined));
ui.dialForm.addEventListener('submit', (event) => {
  event.preventDefault();
  seatCommands
    .dial(ui.dialNumber.value)
    .then(() => {
      ui.dialNumber.value = '';
    })
    .catch(() => undefined);
});
ui.dncSend.addEventListener('click', async () => {
  const id = model.pop?.interaction?.id;
  if (!id || model.pop?.doNotCall) return;
  ui.dncSend.disabled = true;
  try {
    const entry = await seatApi.doNotCall(id, {});
    if (model.pop?.interaction?.id === id) model.pop.doNotCall = { ...entry, text: 'noted by you just now' };
  } catch (error) {
    // Noted already (by a colleague, on another call): the service's words say by whom.
    showError(`Cannot put the number on the do-not-call list: ${describe(error)}`);
  }
  render();
});
ui.popCall.addEventListener('click', () => {
  const number = model.pop?.interaction?.callerNumber;
  if (number) seatCommands.dial(number).catch(() => undefined);
});
const withParty = (command) => () => {
  const target = partyFromForm();
  if (!target) return;
  ui.transferNumber.value = '';
  command(target).catch(() => undefined);
};
ui.consult.addEventListener('click', withParty(seatCommands.consult));
ui.conference.addEventListener('click', withParty(seatCommands.conference));
ui.consultComplete.addEventListener('click', () => seatCommands.completeConsult().catch(() => undefined));
ui.consultCancel.addEventListener('click', () => seatCommands.cancelConsult().catch(() => undefined));
ui.leave.addEventListener('click', () => seatCommands.leave().catch(() => undefined));
ui.parties.addEventListener('click', (event) => {
  const channelId = /** @type {HTMLElement} */ (event.target).closest('button')?.dataset.channel;
  if (channelId) seatCommands.dropParty(channelId).catch(() => undefined);
});
ui.transferForm.addEventListener('submit', (event) => {
  event.preventDefault();
  transferFromForm().catch(() => undefined);
});
ui.wrapForm.addEventListener('submit', (event) => {
  event.preventDefault();
  seatCommands.wrapUp(ui.wrapCode.value, ui.wrapNotes.value).catch(() => undefined);
});
ui.wrapDone.addEventListener('click', () => seatCommands.wrapUpDone().catch(() => undefined));
ui.wrapDismiss.addEventListener('click', () => seatCommands.dismissWrapUp());
for (const field of [ui.wrapCode, ui.wrapNotes]) {
  field.addEventListener('input', () => {
    model.wrapDirty = true;
  });
}
ui.wrapExtend.addEventListener('click', () => seatCommands.extendWrapUp().catch(() => undefined));
ui.autoAnswer.checked = params.get('autoAnswer') === '1' || params.get('autoAnswer') === 'true';

/** Shortcuts stay off while the agent types (a checkbox or button with focus does not count). */
function isTextEntry(element) {
  // A media player takes keys of its own (a voicemail being played must not hang up the call).
  if (element.closest('textarea, select, audio, video, [contenteditable="true"]')) return true;
  if (!(element instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(element.type);
}

// One-key shortcuts can be turned off (speech input, screen readers: WCAG 2.1.4); the choice is kept.
ui.shortcuts.checked = localStorage.getItem('softphone.shortcuts') !== 'off';
ui.shortcuts.addEventListener('change', () => {
  localStorage.setItem('softphone.shortcuts', ui.shortcuts.checked ? 'on' : 'off');
});

document.addEventListener('keydown', (event) => {
  if (!ui.shortcuts.checked) return;
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  if (isTextEntry(/** @type {HTMLElement} */ (event.target))) return;
  const key = event.key.toLowerCase();
  if (key === 'a') answer().catch(() => undefined);
  else if (key === 'h') hangup().catch(() => undefined);
  else if (key === 'm') setMuted(!model.muted);
  // Seat shortcuts act only where the action is legal (no refusal banners from a stray key); unlike the
  // buttons they do not wait for the reply to the last request, whose news the live stream may have told.
  else if (key === 'o' && legal.hold) seatCommands.toggleHold().catch(() => undefined);
  else if (key === 'r' && legal.ready) seatCommands.ready().catch(() => undefined);
  else if (key === 'n' && legal.notReady) seatCommands.notReady().catch(() => undefined);
  else if (key === 'l' && model.seat.type === 'logged_out') seatCommands.login().catch(() => undefined);
  else if (key === 'd' && model.seat.type === 'wrap_up') seatCommands.wrapUpDone().catch(() => undefined);
  else if (key === 't' && model.seat.type === 'talking') ui.transferTarget.focus();
  else if (key === 'c' && !ui.dialNumber.disabled) {
    ui.dialNumber.focus();
    ui.dialNumber.select();
  } else if (key === 'u' && !ui.consult.disabled) ui.consult.click();
  else if (key === 'k' && !ui.conference.disabled) ui.conference.click();
  else if (key === 'y' && !ui.consultComplete.disabled) seatCommands.completeConsult().catch(() => undefined);
  else if (key === 'x' && !ui.consultCancel.disabled) seatCommands.cancelConsult().catch(() => undefined);
  else if (/^[0-9*#]$/.test(key) && model.call === 'connected') sendDtmf(key).catch(() => undefined);
  else return;
  event.preventDefault();
});
window.addEventListener('beforeunload', () => {
  registerer?.unregister().catch(() => undefined);
});

/** Automation and test surface. */
window.softphone = {
  state: () => ({
    registration: model.registration,
    agentId: model.agentId,
    call: model.call,
    caller: model.caller ? { ...model.caller } : null,
    muted: model.muted,
    autoAnswer: ui.autoAnswer.checked,
    error: model.error,
    configLoaded: model.config !== null,
    seat: { ...model.seat },
    interactionId: model.interactionId,
    sipInteractionId: model.sipInteractionId,
    /** Why the last call on this page ended, as the panel and its wrap-up say ('' while it is on). */
    callEnd: callEnd.text(),
    sipReconnects: model.sipReconnects,
    mediaPath: model.mediaPath,
    // ICE restarts sent on the current call (diagnosis and tests).
    iceRestarts: mediaWatch?.restarts ?? 0,
    pop: model.pop,
    streamUp: model.streamUp,
    stats: model.stats,
    queueWaiting: Object.fromEntries(model.myQueues.map((id) => [id, model.queueWaiting[id] ?? 0])),
    signedInToApi: model.token !== '',
    placing: model.placing,
    consult: model.consult ? { ...model.consult } : null,
    parties: model.parties.map((p) => ({ ...p })),
    voicemails: voicemails.items(),
    myCalls: myCalls.items(),
    callbacks: callbacks.items(),
  }),
  dial: (number) => seatCommands.dial(number),
  consult: (target) => seatCommands.consult(target),
  completeConsult: () => seatCommands.completeConsult(),
  cancelConsult: () => seatCommands.cancelConsult(),
  conference: (target) => seatCommands.conference(target),
  dropParty: (channelId) => seatCommands.dropParty(channelId),
  leave: () => seatCommands.leave(),
  login: () => seatCommands.login(),
  ready: () => seatCommands.ready(),
  notReady: (reason) => seatCommands.notReady(reason),
  hold: () => seatCommands.hold(),
  resume: () => seatCommands.resume(),
  transfer: (target) => seatCommands.transfer(target),
  wrapUp: (code, notes) => seatCommands.wrapUp(code, notes),
  wrapUpDone: () => seatCommands.wrapUpDone(),
  /** Drops the phone server's WebSocket as a network failure would; the page reconnects on its own. */
  dropSipTransport: () => userAgent?.transport?.ws?.close(),
  /** Drops the event stream's socket as a network failure would; it resumes on its own. */
  dropEventStream: () => events?.drop(),
  eventPosition: () => events?.position() ?? null,
  /** Reads the waiting messages again, as a new message or a stream snapshot does. */
  refreshVoicemails: () => voicemails.refresh(),
  stats,
  /** The current call's negotiated SDP (diagnosis). */
  sdp: () => {
    const pc = session?.sessionDescriptionHandler?.peerConnection;
    return pc ? { local: pc.localDescription?.sdp ?? '', remote: pc.remoteDescription?.sdp ?? '' } : null;
  },
  signIn: (agentId, password) => signIn(agentId, password),
  signOut,
  answer,
  reject,
  hangup,
  mute: (muted = true) => setMuted(muted),
  sendDtmf,
  setAutoAnswer: (on) => {
    ui.autoAnswer.checked = Boolean(on);
  },
};

render();
loadConfig().then(() => {
  // A reload: sign in again with this tab's session (sessionStorage lives as long as the tab).
  const saved = sessionStorage.getItem('softphone.session');
  if (!saved || !model.config) return;
  const { agentId, password } = JSON.parse(saved);
  ui.agentId.value = agentId;
  signIn(agentId, password).catch(() => undefined);
});
