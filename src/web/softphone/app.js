// The agent softphone: SIP over WebSocket to Asterisk with SIP.js (served as ES modules, no bundler),
// audio over WebRTC. Call control beyond answer/hang-up/mute/DTMF will go through the service API (api.js).
import { Registerer, RegistererState, SessionState, UserAgent } from '/vendor/sip.js/index.js';
import { ApiError, softphoneConfig } from './api.js';

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const params = new URLSearchParams(location.search);

const ui = {
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
  hangup: /** @type {HTMLButtonElement} */ ($('hangup')),
  mute: /** @type {HTMLButtonElement} */ ($('mute')),
  autoAnswer: /** @type {HTMLInputElement} */ ($('auto-answer')),
  keypad: $('keypad'),
  dtmfSent: $('dtmf-sent'),
  audio: /** @type {HTMLAudioElement} */ ($('remote-audio')),
};

/** Everything the page shows is derived from this. */
const model = {
  /** @type {{ sipWsUrl: string, sipDomain: string, iceServers: RTCIceServer[] } | null} */
  config: null,
  agentId: '',
  /** @type {'unregistered' | 'registering' | 'registered' | 'failed'} */
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
  /** Why the last call ended, as shown. */
  endReason: '',
};

/** @type {UserAgent | null} */
let userAgent = null;
/** @type {Registerer | null} */
let registerer = null;
/** @type {import('/vendor/sip.js/index.js').Session | null} */
let session = null;
let timerHandle = 0;
let signingOut = false;

// ---------------------------------------------------------------- rendering

function render() {
  // Connected to the phone server (registered, registering, or lost its registration).
  const signedIn = userAgent !== null;
  const labels = {
    unregistered: 'Signed out',
    registering: 'Registering…',
    registered: 'Registered',
    failed: 'Not registered',
  };
  ui.registration.textContent = labels[model.registration];
  ui.registration.dataset.state = model.registration;
  ui.signInSection.hidden = model.registration === 'registered' || model.registration === 'registering';
  ui.signInButton.disabled = model.registration === 'registering' || !model.config;
  ui.phone.hidden = !(model.registration === 'registered' || session !== null);
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
  ui.callState.textContent = callLabels[model.call];
  ui.callState.dataset.state = model.call;
  if (model.caller) {
    ui.callerName.textContent = model.caller.name || model.caller.number || 'Unknown caller';
    ui.callerNumber.textContent =
      model.call === 'ended' ? model.endReason : model.caller.name ? model.caller.number : '';
  } else {
    ui.callerName.textContent = 'No call';
    ui.callerNumber.textContent = model.registration === 'registered' ? 'Waiting for a call' : '';
  }
  ui.answer.disabled = model.call !== 'ringing';
  ui.reject.disabled = model.call !== 'ringing';
  ui.hangup.disabled = model.call !== 'connected' && model.call !== 'connecting';
  ui.mute.disabled = model.call !== 'connected';
  ui.mute.setAttribute('aria-pressed', String(model.muted));
  ui.mute.firstChild.textContent = model.muted ? 'Unmute ' : 'Mute ';
  for (const key of ui.keypad.querySelectorAll('button')) key.disabled = model.call !== 'connected';
  renderTimer();
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
  await signOut();
  clearError();
  model.agentId = agentId;
  model.registration = 'registering';
  render();

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
        if (!error || signingOut) return;
        model.registration = 'failed';
        showError(`Lost the connection to the phone server (${sipWsUrl}). Sign in again.`);
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
        !signingOut
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
  try {
    if (session) await hangup().catch(() => undefined);
    await registerer?.unregister().catch(() => undefined);
    await userAgent?.stop().catch(() => undefined);
  } finally {
    registerer = null;
    userAgent = null;
    signingOut = false;
    model.registration = 'unregistered';
    render();
  }
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
  model.call = 'ringing';
  model.muted = false;
  model.connectedAt = null;
  model.endReason = '';
  ui.dtmfSent.textContent = '';
  invitation.stateChange.addListener((state) => onSessionState(invitation, state));
  render();
  if (ui.autoAnswer.checked) answer().catch(() => undefined);
}

function onSessionState(which, state) {
  if (which !== session) return;
  if (state === SessionState.Establishing) {
    model.call = 'connecting';
  } else if (state === SessionState.Established) {
    model.call = 'connected';
    model.connectedAt = Date.now();
    attachRemoteAudio(which);
    clearInterval(timerHandle);
    timerHandle = window.setInterval(renderTimer, 500);
  } else if (state === SessionState.Terminated) {
    clearInterval(timerHandle);
    const wasConnected = model.call === 'connected';
    model.call = 'ended';
    model.endReason = model.endReason || (wasConnected ? 'Call ended' : 'Caller hung up before answer');
    model.muted = false;
    session = null;
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
    model.endReason = 'Answer failed';
    showError(message);
    throw error;
  }
}

async function reject() {
  if (!session || model.call !== 'ringing') return;
  model.endReason = 'Rejected';
  await session.reject();
}

async function hangup() {
  const current = session;
  if (!current) return;
  model.endReason = 'You hung up';
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
  };
  if (!pc) return summary;
  const report = await pc.getStats();
  report.forEach((entry) => {
    if (entry.type === 'inbound-rtp' && entry.kind === 'audio') {
      summary.inboundPackets += entry.packetsReceived ?? 0;
      summary.bytesReceived += entry.bytesReceived ?? 0;
      summary.audioLevel = Math.max(summary.audioLevel, entry.audioLevel ?? 0);
    } else if (entry.type === 'outbound-rtp' && entry.kind === 'audio') {
      summary.outboundPackets += entry.packetsSent ?? 0;
      summary.bytesSent += entry.bytesSent ?? 0;
    } else if (entry.type === 'transport') {
      summary.dtlsState = entry.dtlsState ?? summary.dtlsState;
    }
  });
  return summary;
}

// ---------------------------------------------------------------- wiring

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(ui.agentId.value.trim(), ui.password.value).catch(() => undefined);
});
ui.signOut.addEventListener('click', () => signOut());
ui.errorClose.addEventListener('click', () => clearError());
ui.answer.addEventListener('click', () => answer().catch(() => undefined));
ui.reject.addEventListener('click', () => reject().catch(() => undefined));
ui.hangup.addEventListener('click', () => hangup().catch(() => undefined));
ui.mute.addEventListener('click', () => setMuted(!model.muted));
ui.keypad.addEventListener('click', (event) => {
  const tone = /** @type {HTMLElement} */ (event.target).closest('button')?.dataset.tone;
  if (tone) sendDtmf(tone).catch((error) => showError(`Cannot send the key ${tone}: ${error.message}`));
});
ui.autoAnswer.checked = params.get('autoAnswer') === '1' || params.get('autoAnswer') === 'true';

/** Shortcuts stay off while the agent types (a checkbox or button with focus does not count). */
function isTextEntry(element) {
  if (element.closest('textarea, select, [contenteditable="true"]')) return true;
  if (!(element instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(element.type);
}

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  if (isTextEntry(/** @type {HTMLElement} */ (event.target))) return;
  const key = event.key.toLowerCase();
  if (key === 'a') answer().catch(() => undefined);
  else if (key === 'h') hangup().catch(() => undefined);
  else if (key === 'm') setMuted(!model.muted);
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
  }),
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
loadConfig();
