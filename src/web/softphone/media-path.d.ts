// Types of media-path.js for the unit tests (the page itself is plain JavaScript, no build step).

export declare const DISCONNECTED_GRACE_MS: number;
export declare const RESTART_CHECK_MS: number;
export declare const RESTART_ANSWER_MS: number;
export declare const MAX_RESTARTS_IN_A_ROW: number;
export declare const FIRST_CONNECT_MS: number;

export type MediaPathState = 'ok' | 'restoring' | 'lost';

export interface WatchedConnection {
  iceConnectionState: string;
  addEventListener(type: string, fn: () => void): void;
  removeEventListener(type: string, fn: () => void): void;
}

export interface WatchTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export declare class MediaPathWatch {
  constructor(
    pc: WatchedConnection,
    options: {
      restart: () => Promise<void>;
      onChange?: (state: MediaPathState) => void;
      timers?: WatchTimers;
    },
  );
  readonly restarts: number;
  readonly state: MediaPathState;
  stop(): void;
  signallingBack(): void;
}
