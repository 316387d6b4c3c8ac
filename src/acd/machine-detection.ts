/**
 * Answering-machine detection for an outbound campaign's calls: once the customer's line answers, whether a
 * person or a recorded greeting did, judged from how long the far end talks before it falls silent, as
 * Asterisk's app_amd judges it ("Hello?" then a pause is a person; talking on for seconds is a greeting).
 *
 * Pure: the sound comes in as Asterisk's talk detection reports it (TALK_DETECT: talking began; talking
 * ended, with how long it lasted, once `afterGreetingSilenceMs` of silence followed it) and as ticks of an
 * injected clock at the instants a step asks for (`wakeAt`); the verdict goes out. The runtime
 * (src/calls/acd/callback-runner.ts) sets the detection on the customer's channel and carries it out.
 *
 * Talk detection counts a channel as talking from its first audio until it has been quiet that long, so a
 * quiet start shorter than the pause counts as part of the greeting, and a line quiet from the start reports
 * a "talk" of about nothing once the pause has passed: read as silence, not as a word.
 */

/** What a campaign does about an answering machine: no detection (put every answer through), or detect it and hang up (the attempt counts as not reached, retried as the queue's policy says), or leave the campaign's message after its greeting. */
export type AnsweringMachineAction = 'connect' | 'hang_up' | 'leave_message';

export const ANSWERING_MACHINE_ACTIONS: readonly AnsweringMachineAction[] = [
  'connect',
  'hang_up',
  'leave_message',
];

export interface MachineDetectionSettings {
  /** No sound this long after the answer: unsure, put through (a person may be waiting to hear someone). */
  initialSilenceMs: number;
  /** Talking on longer than this without a pause: a recorded greeting. */
  greetingMs: number;
  /** The pause that ends a greeting (the talk detection's silence threshold). */
  afterGreetingSilenceMs: number;
  /** Undecided this long after the answer: unsure, put through. */
  totalMs: number;
  /** A "talk" shorter than this is a click or the quiet start, not a word. */
  minimumWordMs: number;
  /** How long a machine's greeting is waited out (for its beep) before the message plays anyway. */
  greetingEndMs: number;
}

/** app_amd's defaults, where it has them. */
export const MACHINE_DETECTION: MachineDetectionSettings = {
  initialSilenceMs: 2500,
  greetingMs: 1500,
  afterGreetingSilenceMs: 800,
  totalMs: 5000,
  minimumWordMs: 100,
  greetingEndMs: 30_000,
};

/**
 * human: a short greeting, then silence; machine: a long greeting; unsure: nothing decided (no sound, or
 * no pause in time). Only a machine is treated as one: a person must never be hung up on.
 */
export interface MachineVerdict {
  kind: 'human' | 'machine' | 'unsure';
  /** Why, in words ("a greeting of 3.1 s"). */
  reason: string;
  /** From the answer to the verdict, ms. */
  afterMs: number;
  /** On a machine: its greeting is over already (decided on its end), so a message may play at once. */
  greetingOver?: boolean;
}

export type DetectionState =
  | { phase: 'listening'; answeredAt: number }
  | { phase: 'talking'; answeredAt: number; since: number }
  | { phase: 'decided'; answeredAt: number; verdict: MachineVerdict };

export type DetectionInput =
  | { type: 'talkStarted'; at: number }
  | { type: 'talkFinished'; at: number; talkMs: number }
  /** A timer the last step asked for (`wakeAt`) went off. */
  | { type: 'tick'; at: number };

export interface DetectionStep {
  state: DetectionState;
  /** Decided by this input. */
  verdict?: MachineVerdict;
  /** Undecided: tick at this instant (epoch ms). */
  wakeAt?: number;
  /** The input meant nothing in this state (decided already), and why. */
  ignored?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Listening from the answer: undecided, waiting for sound. */
export function startDetection(
  answeredAt: number,
  settings: MachineDetectionSettings = MACHINE_DETECTION,
): DetectionStep {
  return { state: { phase: 'listening', answeredAt }, wakeAt: answeredAt + settings.initialSilenceMs };
}

/** One input: the next state, and a verdict when this input decided it. */
export function detect(
  state: DetectionState,
  input: DetectionInput,
  settings: MachineDetectionSettings = MACHINE_DETECTION,
): DetectionStep {
  if (state.phase === 'decided') return { state, ignored: `decided already: ${state.verdict.kind}` };
  const { answeredAt } = state;
  const decide = (kind: MachineVerdict['kind'], reason: string, extra: Partial<MachineVerdict> = {}) => {
    const verdict: MachineVerdict = { kind, reason, afterMs: Math.max(0, input.at - answeredAt), ...extra };
    return { state: { phase: 'decided' as const, answeredAt, verdict }, verdict };
  };
  const listening = (): DetectionStep => {
    const silentUntil = answeredAt + settings.initialSilenceMs;
    if (input.at >= silentUntil)
      return decide('unsure', `no sound for ${seconds(settings.initialSilenceMs)} after the answer`);
    return { state: { phase: 'listening', answeredAt }, wakeAt: silentUntil };
  };
  const talkingUntil = (since: number) =>
    Math.min(since + settings.greetingMs, answeredAt + settings.totalMs);

  switch (input.type) {
    case 'talkStarted':
      if (state.phase === 'talking') return { state, wakeAt: talkingUntil(state.since) };
      return { state: { phase: 'talking', answeredAt, since: input.at }, wakeAt: talkingUntil(input.at) };
    case 'talkFinished': {
      // The quiet start reported as a talk of about nothing: still listening for a first word.
      if (input.talkMs < settings.minimumWordMs) return listening();
      if (input.talkMs <= settings.greetingMs)
        return decide('human', `a short greeting (${seconds(input.talkMs)}), then silence`);
      return decide('machine', `a greeting of ${seconds(input.talkMs)}`, { greetingOver: true });
    }
    case 'tick': {
      if (state.phase === 'listening') return listening();
      if (input.at - state.since >= settings.greetingMs)
        return decide('machine', `talking for over ${seconds(settings.greetingMs)} without a pause`, {
          greetingOver: false,
        });
      if (input.at >= answeredAt + settings.totalMs)
        return decide('unsure', `no pause within ${seconds(settings.totalMs)} of the answer`);
      return { state, wakeAt: talkingUntil(state.since) };
    }
  }
}
