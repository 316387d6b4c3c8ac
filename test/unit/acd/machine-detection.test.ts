import { describe, expect, it } from 'vitest';
import {
  type DetectionInput,
  type DetectionStep,
  detect,
  MACHINE_DETECTION,
  startDetection,
} from '../../../src/acd/machine-detection.js';

const T0 = 1_000_000;

/** Feeds inputs (times from the answer, ms) one after another; the steps each gave. */
function run(...inputs: DetectionInput[]): DetectionStep[] {
  let step = startDetection(T0);
  const steps = [step];
  for (const input of inputs) {
    step = detect(step.state, { ...input, at: T0 + input.at });
    steps.push(step);
  }
  return steps;
}

const started = (at: number): DetectionInput => ({ type: 'talkStarted', at });
const finished = (at: number, talkMs: number): DetectionInput => ({ type: 'talkFinished', at, talkMs });
const tick = (at: number): DetectionInput => ({ type: 'tick', at });

describe('answering-machine detection', () => {
  it('listens from the answer, waking when the first sound is overdue', () => {
    expect(startDetection(T0)).toEqual({
      state: { phase: 'listening', answeredAt: T0 },
      wakeAt: T0 + MACHINE_DETECTION.initialSilenceMs,
    });
  });

  it('takes "Hello?" and a pause for a person, decided as the pause ends', () => {
    const steps = run(started(40), finished(40 + 600 + 800, 600));
    expect(steps[1]).toMatchObject({ state: { phase: 'talking', since: T0 + 40 }, wakeAt: T0 + 40 + 1500 });
    expect(steps[2]!.verdict).toEqual({
      kind: 'human',
      reason: 'a short greeting (0.6 s), then silence',
      afterMs: 1440,
    });
    expect(steps[2]!.state.phase).toBe('decided');
  });

  it('takes talking on past 1.5 s for a machine at that instant, its greeting not over', () => {
    const steps = run(started(20), tick(1520));
    expect(steps[2]!.verdict).toEqual({
      kind: 'machine',
      reason: 'talking for over 1.5 s without a pause',
      afterMs: 1520,
      greetingOver: false,
    });
  });

  it('takes a long greeting reported at its end for a machine whose greeting is over', () => {
    // Its end came before the tick (a late timer): the talk's own length decides.
    const steps = run(started(20), finished(3900, 3100));
    expect(steps[2]!.verdict).toEqual({
      kind: 'machine',
      reason: 'a greeting of 3.1 s',
      afterMs: 3900,
      greetingOver: true,
    });
  });

  it('reads the quiet start, reported as a talk of about nothing, as silence, and keeps listening', () => {
    // Talk detection counts the first frame as talking; 0.8 s of quiet later it ends with ~0 ms.
    const steps = run(started(20), finished(820, 0));
    expect(steps[2]).toEqual({
      state: { phase: 'listening', answeredAt: T0 },
      wakeAt: T0 + MACHINE_DETECTION.initialSilenceMs,
    });
    // Then a word: a person after all.
    const later = detect(steps[2]!.state, { type: 'talkStarted', at: T0 + 1200 });
    const word = detect(later.state, { type: 'talkFinished', at: T0 + 2400, talkMs: 400 });
    expect(word.verdict).toMatchObject({ kind: 'human', afterMs: 2400 });
  });

  it('is unsure when nothing is heard for 2.5 s (put through, never hung up on)', () => {
    const steps = run(tick(2500));
    expect(steps[1]!.verdict).toEqual({
      kind: 'unsure',
      reason: 'no sound for 2.5 s after the answer',
      afterMs: 2500,
    });
  });

  it('waits on an early tick for its instant', () => {
    expect(run(tick(1000))[1]).toEqual({
      state: { phase: 'listening', answeredAt: T0 },
      wakeAt: T0 + 2500,
    });
    expect(run(started(10), tick(900))[2]).toMatchObject({ state: { phase: 'talking' }, wakeAt: T0 + 1510 });
  });

  it('is unsure when talking that began late runs into the 5 s limit', () => {
    const settings = { ...MACHINE_DETECTION, greetingMs: 4000 };
    let step = startDetection(T0, settings);
    step = detect(step.state, { type: 'talkStarted', at: T0 + 2000 }, settings);
    expect(step.wakeAt).toBe(T0 + 5000);
    step = detect(step.state, { type: 'tick', at: T0 + 5000 }, settings);
    expect(step.verdict).toEqual({
      kind: 'unsure',
      reason: 'no pause within 5.0 s of the answer',
      afterMs: 5000,
    });
  });

  it('takes a second start while talking as the same talk', () => {
    const steps = run(started(10), started(300));
    expect(steps[2]).toMatchObject({ state: { phase: 'talking', since: T0 + 10 }, wakeAt: T0 + 1510 });
  });

  it('says so for an input once decided, and keeps the verdict', () => {
    const steps = run(started(10), finished(1300, 500), tick(5000));
    expect(steps[3]).toEqual({ state: steps[2]!.state, ignored: 'decided already: human' });
  });
});
