// The softphone's only way to talk to the contact-center service (the shared parts: common/service-api.js).
import { ApiError, api, openEventStream as openStream } from '../common/service-api.js';

export { ApiError, api };

/**
 * Where the page registers: { sipWsUrl, sipDomain, iceServers }; asked with the agent about to sign in, also
 * where their calls ring (`phone`: this page, or a desk phone).
 */
export function softphoneConfig(agentId) {
  return api(`/api/softphone/config${agentId ? `?agentId=${encodeURIComponent(agentId)}` : ''}`);
}

// ---- The agent's seat and call control. Every call carries the agent's bearer token (from signIn).

let token = '';
/** The bearer token the seat calls use (set after sign-in, restored after a reload). */
export function setToken(value) {
  token = value ?? '';
}
let playToken = '';
/** Asks for the playback token the message players use; with each new bearer token. */
export async function refreshPlaybackToken() {
  playToken = (await authed('/api/recordings/playback-token', { method: 'POST' })).token;
}
/** @type {(() => Promise<void>) | null} signs in again and sets the new token (the page's password) */
let renew = null;
/** How the seat calls get a new token when theirs ran out or the agent signed out on another page. */
export function setTokenRenewal(fn) {
  renew = fn;
}
const send = (path, options) =>
  api(path, { ...options, headers: { ...(options.headers ?? {}), authorization: `Bearer ${token}` } });
/** A call with the agent's token; one refused for the token itself is sent again once with a new one. */
const authed = async (path, options = {}) => {
  try {
    return await send(path, options);
  } catch (error) {
    const tokenRefused = error instanceof ApiError && error.status === 401 && error.code !== 'SIGN_IN_FAILED';
    if (!tokenRefused || !renew || !token) throw error;
    await renew();
    return send(path, options);
  }
};
const enc = encodeURIComponent;

export const seatApi = {
  /** POST /api/agents/:id/session: the SIP password gives a token for the API. */
  signIn: (agentId, password) =>
    api(`/api/agents/${enc(agentId)}/session`, { method: 'POST', body: { password } }),
  /** DELETE /api/agents/:id/session: ends every token of the agent (this page's and any other's). */
  signOut: (agentId) => send(`/api/agents/${enc(agentId)}/session`, { method: 'DELETE' }),
  agent: (agentId) => authed(`/api/agents/${enc(agentId)}`),
  reasonCodes: () => authed('/api/reason-codes'),
  wrapUpCodes: () => authed('/api/wrap-up-codes'),
  login: (agentId) => authed(`/api/agents/${enc(agentId)}/login`, { method: 'POST' }),
  logout: (agentId) => authed(`/api/agents/${enc(agentId)}/logout`, { method: 'POST' }),
  ready: (agentId) => authed(`/api/agents/${enc(agentId)}/ready`, { method: 'POST' }),
  notReady: (agentId, reason) =>
    authed(`/api/agents/${enc(agentId)}/not-ready`, { method: 'POST', body: { reason } }),
  wrapUpDone: (agentId) => authed(`/api/agents/${enc(agentId)}/wrap-up/done`, { method: 'POST' }),
  /** POST /api/agents/:id/wrap-up/extend { seconds } */
  extendWrapUp: (agentId, seconds) =>
    authed(`/api/agents/${enc(agentId)}/wrap-up/extend`, { method: 'POST', body: { seconds } }),
  stats: (agentId) => authed(`/api/agents/${enc(agentId)}/stats/today`),
  /** GET /api/interactions?from=: the calls the agent took part in from that day on, newest first. */
  myCalls: (from, limit) => authed(`/api/interactions?from=${enc(from)}&limit=${enc(limit)}&order=newest`),
  /** GET /api/shifts: the agent's own shifts today, each begun with how it has gone so far. */
  shiftsToday: () => authed('/api/shifts'),
  /** GET /api/shifts/exceptions: the agent's own seat off their roster past the grace period, if it is. */
  offRoster: () => authed('/api/shifts/exceptions'),
  /** GET /api/shifts?from=&to=: the agent's own shifts over those days (the contact center's). */
  shiftsBetween: (from, to) => authed(`/api/shifts?from=${enc(from)}&to=${enc(to)}`),
  /** POST /api/agents/:id/help { note }: ask a supervisor for help. */
  askHelp: (agentId, note) =>
    authed(`/api/agents/${enc(agentId)}/help`, { method: 'POST', body: note ? { note } : {} }),
  /** DELETE /api/agents/:id/help: withdraw the request. */
  withdrawHelp: (agentId) => authed(`/api/agents/${enc(agentId)}/help`, { method: 'DELETE' }),
  /** POST /api/interactions/:id/flag { reason, note? }: flag the caller for a supervisor to block. */
  /** The customer asked not to be called: their number goes on the do-not-call list. */
  doNotCall: (interactionId, body) =>
    authed(`/api/interactions/${enc(interactionId)}/do-not-call`, { method: 'POST', body }),
  flagCaller: (interactionId, body) =>
    authed(`/api/interactions/${enc(interactionId)}/flag`, { method: 'POST', body }),
  screenPop: (interactionId) => authed(`/api/calls/${enc(interactionId)}/screen-pop`),
  saveWrapUp: (interactionId, code, notes) =>
    authed(`/api/interactions/${enc(interactionId)}/wrap-up`, { method: 'POST', body: { code, notes } }),
  transferTargets: () => authed('/api/calls/transfer-targets'),
  /** The switches IVR flows route on, each on or off (an emergency closure). */
  switches: () => authed('/api/switches'),
  /** GET /api/messages: supervisors' messages for this agent, showing now. */
  messages: () => authed('/api/messages'),
  /** POST /api/messages/:id/read: the agent took the message in ("Got it"). */
  readMessage: (messageId) => authed(`/api/messages/${enc(messageId)}/read`, { method: 'POST' }),
  /** POST /api/messages/:id/replies: the agent answers it (which takes it in). */
  replyToMessage: (messageId, text) =>
    authed(`/api/messages/${enc(messageId)}/replies`, { method: 'POST', body: { text } }),
};

export const voicemailApi = {
  /** The team's waiting messages, oldest first (the first 100, and how many wait in all). */
  open: () => authed('/api/interactions?direction=voicemail&state=open&order=oldest&limit=100'),
  /** POST /api/interactions/:id/close { code, notes }: the message is worked (first agent wins). */
  close: (interactionId, code, notes) =>
    authed(`/api/interactions/${enc(interactionId)}/close`, { method: 'POST', body: { code, notes } }),
  recordingUrl: (interactionId) => recordingUrl(interactionId),
};

/**
 * Where an <audio> element plays a call's recording (a message, an evaluated call). Audio sends no header,
 * so a playback token rides in the query: it plays recordings only (the bearer token stays out of URLs).
 * See refreshPlaybackToken.
 */
export const recordingUrl = (interactionId) =>
  `/api/interactions/${enc(interactionId)}/recording?play=${enc(playToken)}`;

/** The agent's own quality evaluations: the last 30 days' (newest first), and acknowledging one. */
export const evaluationApi = {
  mine: () => authed('/api/evaluations'),
  /** POST /api/evaluations/:id/acknowledge { reply? } */
  acknowledge: (id, reply) =>
    authed(`/api/evaluations/${enc(id)}/acknowledge`, { method: 'POST', body: reply ? { reply } : {} }),
};

export const callbackApi = {
  /** POST /api/interactions/:id/callback { at, agentId?, note? }: a callback booked on the call just ended. */
  schedule: (interactionId, body) =>
    authed(`/api/interactions/${enc(interactionId)}/callback`, { method: 'POST', body }),
  /** DELETE /api/interactions/:id/callback */
  cancel: (interactionId) => authed(`/api/interactions/${enc(interactionId)}/callback`, { method: 'DELETE' }),
  /** GET /api/callbacks: for an agent, the ones kept for them. */
  mine: () => authed('/api/callbacks'),
};

export const callControl = {
  /** POST /api/calls/:id/hold */
  hold: (interactionId) => authed(`/api/calls/${enc(interactionId)}/hold`, { method: 'POST' }),
  /** POST /api/calls/:id/resume */
  resume: (interactionId) => authed(`/api/calls/${enc(interactionId)}/resume`, { method: 'POST' }),
  /** POST /api/calls/:id/rejoin (after a page reload mid-call) */
  rejoin: (interactionId) => authed(`/api/calls/${enc(interactionId)}/rejoin`, { method: 'POST' }),
  /** POST /api/calls/outbound { number }: rings this page, then the number; returns { interactionId } */
  dial: (number) => authed('/api/calls/outbound', { method: 'POST', body: { number } }),
  /** POST /api/calls/:id/consult { type: agent|number, agentId|number }: the caller waits on hold */
  consult: (interactionId, target) =>
    authed(`/api/calls/${enc(interactionId)}/consult`, { method: 'POST', body: target }),
  completeConsult: (interactionId) =>
    authed(`/api/calls/${enc(interactionId)}/consult/complete`, { method: 'POST' }),
  cancelConsult: (interactionId) =>
    authed(`/api/calls/${enc(interactionId)}/consult/cancel`, { method: 'POST' }),
  /** POST /api/calls/:id/conference { type: agent|number, ... }: returns { channelId } */
  conference: (interactionId, target) =>
    authed(`/api/calls/${enc(interactionId)}/conference`, { method: 'POST', body: target }),
  parties: (interactionId) => authed(`/api/calls/${enc(interactionId)}/parties`),
  /** GET /api/calls/:id/recording: { recording, paused, pausedBy?, pausedAt? } */
  recording: (interactionId) => authed(`/api/calls/${enc(interactionId)}/recording`),
  /** POST /api/calls/:id/recording/pause | resume: silence is recorded while paused */
  pauseRecording: (interactionId) =>
    authed(`/api/calls/${enc(interactionId)}/recording/pause`, { method: 'POST' }),
  resumeRecording: (interactionId) =>
    authed(`/api/calls/${enc(interactionId)}/recording/resume`, { method: 'POST' }),
  /** GET /api/calls/:id/consult: { consult: { target, state } | null } */
  consultation: (interactionId) => authed(`/api/calls/${enc(interactionId)}/consult`),
  dropParty: (interactionId, channelId) =>
    authed(`/api/calls/${enc(interactionId)}/parties/${enc(channelId)}`, { method: 'DELETE' }),
  leave: (interactionId) => authed(`/api/calls/${enc(interactionId)}/leave`, { method: 'POST' }),
  /** POST /api/calls/:id/transfer { type: agent|queue|number, agentId|queueId|number, note? } */
  transfer: (interactionId, target) =>
    authed(`/api/calls/${enc(interactionId)}/transfer`, { method: 'POST', body: target }),
};

/** The live event stream with the agent's token (see common/service-api.js). */
export const openEventStream = (handlers) => openStream(() => token, handlers);
