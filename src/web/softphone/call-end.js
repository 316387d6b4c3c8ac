// Why the agent's last call ended, in words: the panel shows it for a few seconds, and the wrap-up form
// keeps it while the agent writes up the call (a lost line is worth a call back; a hang-up is not).
// What the agent did on this page (hang up, transfer, leave a conference) is known here at once; what the
// far end did comes from the live stream (`call.hangup`), which may arrive just before or just after the
// page's own SIP session ends, so both orders give the same words.

/** How long after this page's session ended the stream's news of that end is still taken. */
export const NEWS_GRACE_MS = 5000;

/**
 * The far end's hang-up as the stream tells it, in words for the agent; '' when it says nothing the agent
 * needs (the service or an agent ended it: this page says that itself).
 * @param {{ by: string, lineLost?: boolean }} hangup
 * @param {'inbound' | 'outbound'} direction
 */
export function hangupText(hangup, direction) {
  if (hangup.by !== 'caller') return '';
  if (hangup.lineLost)
    return direction === 'outbound'
      ? 'The line was lost: no sound came from the other end'
      : "The caller's line was lost: no sound came from it";
  return direction === 'outbound' ? 'The other end hung up' : 'The caller hung up';
}

/** @param {string} target who the call went to, as the agent knows them */
export const transferredText = (target) => `Transferred to ${target}`;
export const LEFT_CONFERENCE = 'You left the conference';
export const YOU_HUNG_UP = 'You hung up';
export const CALL_ENDED = 'Call ended';
/** A call that rang here stopped before it was answered, and nothing has said why (yet). */
export const STOPPED_RINGING = 'Stopped ringing';
/** The caller hung up while it rang here (the ACD's abandon). */
export const UNANSWERED = 'Caller hung up before answer';
/** It rang out here (ring-no-answer): the ACD set the seat not ready, and the caller went on to others. */
export const RANG_OUT = 'Not answered in time: you are not ready now';
/** @param {string} name the colleague who answered a call that rang here too */
export const answeredByText = (name) => `Answered by ${name}`;

/**
 * One call's end on this page: the agent's own action wins over the stream's news (after a blind transfer
 * the caller hanging up on the colleague is not why this agent's call ended), the news over the plain
 * "Call ended". A call that only rang here has news of its own (the caller hung up, it rang out, a colleague
 * answered), which may come a moment after the ringing stopped: until then it says only that (no guess that
 * would change under the agent's eyes). The first news of each kind stands.
 */
export class CallEnd {
  /** @param {() => number} now */
  constructor(now = Date.now) {
    this.now = now;
    this.begin('');
  }

  /** A new call rang this page (and what was said of the last one is over). @param {string} interactionId */
  begin(interactionId) {
    this.interactionId = interactionId;
    this.own = '';
    this.news = '';
    this.ringNews = '';
    /** @type {number | null} when this page's session ended (null: still up, or none yet) */
    this.endedAt = null;
    this.connected = false;
  }

  /**
   * The agent did or asked for something that ends the call here: its words are why, unless `withdraw`n.
   * @param {string} text
   */
  byAgent(text) {
    this.own = text;
  }

  /**
   * What the agent asked for was refused: its words are not why the call ends.
   * @param {string} text
   */
  withdraw(text) {
    if (this.own === text) this.own = '';
  }

  /** The page's SIP session ended. @param {boolean} connected whether it was ever answered */
  ended(connected) {
    if (this.endedAt !== null) return;
    this.endedAt = this.now();
    this.connected = connected;
  }

  /**
   * The stream's `call.hangup`; true when it changes what is said. Taken for this page's call while it is
   * up or just ended, not for the same interaction much later (a caller this agent transferred, hanging up
   * on a colleague).
   * @param {string} interactionId @param {{ by: string, lineLost?: boolean }} hangup
   * @param {'inbound' | 'outbound'} direction whether this agent's call went out to the far end
   */
  heard(interactionId, hangup, direction) {
    return this.take(interactionId, 'news', hangupText(hangup, direction));
  }

  /**
   * The stream's news of why a call that rang here stopped ringing (UNANSWERED, RANG_OUT, answeredByText);
   * true when it changes what is said.
   * @param {string} interactionId @param {string} text
   */
  heardRing(interactionId, text) {
    return this.take(interactionId, 'ringNews', text);
  }

  /** @param {string} interactionId @param {'news' | 'ringNews'} kind @param {string} text */
  take(interactionId, kind, text) {
    if (!text || !interactionId || interactionId !== this.interactionId || this[kind]) return false;
    if (this.endedAt !== null && this.now() - this.endedAt > NEWS_GRACE_MS) return false;
    const before = this.text();
    this[kind] = text;
    return this.text() !== before;
  }

  /** Why the call ended, for the panel ('' while it has not). */
  text() {
    if (this.endedAt === null) return '';
    if (this.own) return this.own;
    if (this.connected) return this.news || CALL_ENDED;
    return this.ringNews || STOPPED_RINGING;
  }

  /** The same words for a wrap-up form of `interactionId` ('' for another call's). @param {string} id */
  textFor(id) {
    return id && id === this.interactionId ? this.text() : '';
  }
}
