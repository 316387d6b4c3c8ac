/** The softphone's media-path watch (src/web/softphone/media-path.js): when an ICE restart is sent, and when not. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DISCONNECTED_GRACE_MS,
  FIRST_CONNECT_MS,
  MAX_RESTARTS_IN_A_ROW,
  type MediaPathState,
  MediaPathWatch,
  RESTART_ANSWER_MS,
  RESTART_CHECK_MS,
} from '../../../src/web/softphone/media-path.js';

/** A peer connection as far as the watch sees it: an ICE state and its change event. */
class FakeConnection extends EventTarget {
  iceConnectionState = 'connected';
  set(state: string): void {
    this.iceConnectionState = state;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
  }
}

let pc: FakeConnection;
let restarts: number;
let answer: () => Promise<void>;
let states: MediaPathState[];
let watch: MediaPathWatch;

beforeEach(() => {
  vi.useFakeTimers();
  pc = new FakeConnection();
  restarts = 0;
  answer = async () => undefined;
  states = [];
  watch = new MediaPathWatch(pc, {
    restart: () => {
      restarts += 1;
      return answer();
    },
    onChange: (s) => states.push(s),
  });
});

afterEach(() => {
  watch.stop();
  vi.useRealTimers();
});

describe('MediaPathWatch', () => {
  it('lets a brief disconnection recover by itself, without a restart', async () => {
    pc.set('disconnected');
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS - 100);
    pc.set('connected');
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS * 4);
    expect(restarts).toBe(0);
    expect(states).toEqual([]);
  });

  it('restarts ICE once a disconnection outlasts the grace period, and is ok when the path is back', async () => {
    pc.set('disconnected');
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS - 1);
    expect(restarts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(restarts).toBe(1);
    expect(watch.state).toBe('restoring');
    pc.set('checking');
    pc.set('connected');
    expect(states).toEqual(['restoring', 'ok']);
    await vi.advanceTimersByTimeAsync(RESTART_CHECK_MS * 2);
    expect(restarts).toBe(1);
  });

  it("restarts a new call's path that never came up, and leaves one that came up in time", async () => {
    const fresh = (state: string) => {
      const conn = new FakeConnection();
      conn.iceConnectionState = state;
      let count = 0;
      const w = new MediaPathWatch(conn, {
        restart: async () => {
          count += 1;
        },
      });
      return { conn, w, restarts: () => count };
    };
    const stuck = fresh('checking');
    await vi.advanceTimersByTimeAsync(FIRST_CONNECT_MS - 1);
    expect(stuck.restarts()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(stuck.restarts()).toBe(1);
    expect(stuck.w.state).toBe('restoring');
    stuck.conn.set('connected');
    expect(stuck.w.state).toBe('ok');
    stuck.w.stop();

    const prompt = fresh('new');
    prompt.conn.set('checking');
    await vi.advanceTimersByTimeAsync(FIRST_CONNECT_MS / 2);
    prompt.conn.set('connected');
    await vi.advanceTimersByTimeAsync(FIRST_CONNECT_MS * 2);
    expect(prompt.restarts()).toBe(0);
    expect(prompt.w.state).toBe('ok');
    prompt.w.stop();
  });

  it('restarts at once when ICE failed', async () => {
    pc.set('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts).toBe(1);
  });

  it('tries again while a restart did not bring the path back, then says the audio is lost', async () => {
    pc.set('failed');
    await vi.advanceTimersByTimeAsync(0);
    for (let n = 2; n <= MAX_RESTARTS_IN_A_ROW; n++) {
      pc.set('checking');
      await vi.advanceTimersByTimeAsync(RESTART_CHECK_MS);
      expect(restarts).toBe(n);
    }
    await vi.advanceTimersByTimeAsync(RESTART_CHECK_MS);
    expect(restarts).toBe(MAX_RESTARTS_IN_A_ROW);
    expect(states).toEqual(['restoring', 'lost']);
    // Nothing more is sent, but a path that comes back on its own is ok again.
    await vi.advanceTimersByTimeAsync(RESTART_CHECK_MS * 5);
    expect(restarts).toBe(MAX_RESTARTS_IN_A_ROW);
    pc.set('connected');
    expect(states).toEqual(['restoring', 'lost', 'ok']);
  });

  it('counts restarts in a row afresh after the path was up again', async () => {
    for (let round = 0; round < MAX_RESTARTS_IN_A_ROW + 2; round++) {
      pc.set('failed');
      await vi.advanceTimersByTimeAsync(0);
      pc.set('connected');
    }
    expect(restarts).toBe(MAX_RESTARTS_IN_A_ROW + 2);
    expect(states).not.toContain('lost');
  });

  it('sends one restart at a time: a failure while one is in flight waits for its answer', async () => {
    let accept: () => void = () => undefined;
    answer = () => new Promise<void>((resolve) => (accept = resolve));
    pc.set('failed');
    await vi.advanceTimersByTimeAsync(0);
    pc.set('disconnected');
    pc.set('failed');
    await vi.advanceTimersByTimeAsync(DISCONNECTED_GRACE_MS * 2);
    expect(restarts).toBe(1);
    accept();
    await vi.advanceTimersByTimeAsync(0);
    // Still not up after the answer: the next try comes after the check period.
    await vi.advanceTimersByTimeAsync(RESTART_CHECK_MS);
    expect(restarts).toBe(2);
  });

  it('counts a re-INVITE never answered as failed, and tries again', async () => {
    answer = () => new Promise<void>(() => undefined); // the signalling is down too: no answer ever
    pc.set('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(RESTART_ANSWER_MS + RESTART_CHECK_MS - 1);
    expect(restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(restarts).toBe(2);
  });

  it('tries again after a refused re-INVITE', async () => {
    answer = async () => {
      throw new Error('re-INVITE refused: 491');
    };
    pc.set('failed');
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts).toBe(1);
    await vi.advanceTimersByTimeAsync(RESTART_CHECK_MS);
    expect(restarts).toBe(2);
  });

  it('restarts when the signalling comes back while the path is down, and not while it is up', async () => {
    watch.signallingBack();
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts).toBe(0);
    pc.set('disconnected');
    watch.signallingBack();
    await vi.advanceTimersByTimeAsync(0);
    expect(restarts).toBe(1);
  });

  it('does nothing once stopped (the call ended)', async () => {
    pc.set('disconnected');
    watch.stop();
    pc.set('failed');
    await vi.advanceTimersByTimeAsync(RESTART_CHECK_MS * 3);
    watch.signallingBack();
    expect(restarts).toBe(0);
  });
});
