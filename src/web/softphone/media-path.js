// Keeps a call's audio path alive across network changes (Wi-Fi roaming, a VPN coming up, a laptop
// moving from dock to Wi-Fi). Once the path is lost, the browser never finds a new one by itself: the old
// address pair stays dead until both sides gather candidates again. That is an ICE restart: a re-INVITE
// with new ICE credentials, which Asterisk answers with its own. The SIP signalling (WebSocket) recovers on
// its own socket; this watches the media.

/** How long the path may stay "disconnected" before a restart: brief gaps recover by themselves. */
export const DISCONNECTED_GRACE_MS = 2500;
/** After a restart, how long ICE gets to connect before the next try. */
export const RESTART_CHECK_MS = 6000;
/**
 * How long a new call's path may take to come up at all: on a LAN it takes well under a second, and through
 * a relay a few. Checks that never got an answer (seen now and then on a loaded host) are not retried by the
 * browser for ~30 s before ICE fails; a restart gathers and checks afresh, so the agent is not left in silence.
 */
export const FIRST_CONNECT_MS = 6000;
/** How long a restart's re-INVITE may go unanswered (a socket down too) before it counts as failed. */
export const RESTART_ANSWER_MS = 8000;
/** Restarts tried in a row before the page gives up and says the audio is lost. */
export const MAX_RESTARTS_IN_A_ROW = 4;

/**
 * Watches one peer connection's ICE state and calls `restart` (which sends the re-INVITE) when its path
 * is lost or never came up: at once when ICE failed, after a grace period when it is disconnected or still
 * not connected FIRST_CONNECT_MS after the call was answered, and again (up to
 * MAX_RESTARTS_IN_A_ROW) while a restart did not bring it back. A path that connects again resets the
 * count. `onChange` hears 'restoring', 'ok' and 'lost' (it gave up; the call stays up for the agent to end).
 */
export class MediaPathWatch {
  /**
   * @param {{ iceConnectionState: string, addEventListener(type: string, fn: () => void): void,
   *   removeEventListener(type: string, fn: () => void): void }} pc
   * @param {{ restart: () => Promise<void>, onChange?: (state: 'ok' | 'restoring' | 'lost') => void,
   *   timers?: { set(fn: () => void, ms: number): unknown, clear(handle: unknown): void } }} options
   */
  constructor(pc, options) {
    this.pc = pc;
    this.restartCall = options.restart;
    this.onChange = options.onChange ?? (() => undefined);
    this.timers = options.timers ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (handle) => clearTimeout(/** @type {number} */ (handle)),
    };
    /** Restarts sent (successfully or not) over the call. */
    this.restarts = 0;
    /** Restarts since the path was last up. */
    this.inARow = 0;
    /** @type {'ok' | 'restoring' | 'lost'} */
    this.state = 'ok';
    this.inFlight = false;
    this.stopped = false;
    this.timer = undefined;
    this.listener = () => this.onIceState();
    pc.addEventListener('iceconnectionstatechange', this.listener);
    if (!this.connected()) this.arm(FIRST_CONNECT_MS);
  }

  stop() {
    this.stopped = true;
    this.clearTimer();
    this.pc.removeEventListener('iceconnectionstatechange', this.listener);
  }

  /**
   * The signalling path came back (the SIP WebSocket reconnected, perhaps over another network): if the
   * media path is not up now, restart it without waiting for the browser to notice.
   */
  signallingBack() {
    if (this.stopped || this.connected()) return;
    void this.restart();
  }

  connected() {
    const s = this.pc.iceConnectionState;
    return s === 'connected' || s === 'completed';
  }

  onIceState() {
    if (this.stopped) return;
    const s = this.pc.iceConnectionState;
    if (this.connected()) {
      this.clearTimer();
      this.inARow = 0;
      this.setState('ok');
    } else if (s === 'failed') {
      void this.restart();
    } else if (s === 'disconnected' && this.timer === undefined && !this.inFlight) {
      this.arm(DISCONNECTED_GRACE_MS);
    }
  }

  /** Checks again in `ms`: a path still not up then is restarted. */
  arm(ms) {
    this.clearTimer();
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      if (!this.stopped && !this.connected()) void this.restart();
    }, ms);
  }

  async restart() {
    if (this.stopped || this.inFlight) return;
    if (this.inARow >= MAX_RESTARTS_IN_A_ROW) {
      this.clearTimer();
      this.setState('lost');
      return;
    }
    this.clearTimer();
    this.inFlight = true;
    this.inARow += 1;
    this.restarts += 1;
    this.setState('restoring');
    let giveUp;
    try {
      await Promise.race([
        this.restartCall(),
        new Promise((_, reject) => {
          giveUp = this.timers.set(() => reject(new Error('no answer to the re-INVITE')), RESTART_ANSWER_MS);
        }),
      ]);
    } catch {
      // Refused, unanswered or not sent (e.g. the signalling is down too): the check below tries again.
    } finally {
      this.timers.clear(giveUp);
      this.inFlight = false;
    }
    if (this.stopped) return;
    if (this.connected()) {
      this.inARow = 0;
      this.setState('ok');
    } else {
      this.arm(RESTART_CHECK_MS);
    }
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.onChange(state);
  }

  clearTimer() {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }
}
