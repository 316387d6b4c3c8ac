/**
 * Prompts: turning a flow's prompt specs (`play`, `sayNumber`, `sayDigits`) into media, playing
 * them through the port, and the `play` step itself.
 */
import type { Dtmf, IvrPort, Media, PlayStep, PromptSpec } from '../types.js';
import {
  computedValue,
  errorMessage,
  HANGUP,
  Hangup,
  type StepOutcome,
  type StepScope,
  StepFailure,
} from './handler.js';

/** ARI media URI for a media item (`sound:hello-world`, `number:42`, `digits:123`). */
export function mediaUri(media: Media): string {
  switch (media.kind) {
    case 'sound':
      return `sound:${media.name}`;
    case 'number':
      return `number:${media.value}`;
    case 'digits':
      return `digits:${media.value}`;
  }
}

const isDigitKey = (d: string | undefined): d is Dtmf => d !== undefined && /^[0-9*#]$/.test(d);

function resolveMedia(scope: StepScope, specs: readonly PromptSpec[]): Media[] {
  const out: Media[] = [];
  for (const spec of specs) {
    if (typeof spec === 'string' || spec.kind === 'sound') {
      const name = typeof spec === 'string' ? spec : spec.name;
      const known = scope.options.catalogue?.prompts;
      if (known && !known.has(name)) throw new StepFailure(`missing prompt '${name}'`);
      out.push({ kind: 'sound', name });
    } else if (spec.kind === 'number') {
      const v = computedValue(scope, 'number prompt', spec.value);
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new StepFailure(`number prompt is not a finite number: ${String(v)}`);
      out.push({ kind: 'number', value: Math.trunc(v) });
    } else {
      const v = computedValue(scope, 'digits prompt', spec.value);
      if (typeof v !== 'string' || !/^[0-9*#]*$/.test(v))
        throw new StepFailure(`digits prompt is not a digit string: ${String(v)}`);
      // An empty digit string says nothing: leave it out rather than send the port empty media.
      if (v !== '') out.push({ kind: 'digits', value: v });
    }
  }
  return out;
}

/** Plays prompts; returns the interrupting key, if any. Throws HANGUP / StepFailure. */
export async function playPrompts(
  scope: StepScope,
  specs: readonly PromptSpec[],
  interruptible: boolean,
): Promise<Dtmf | undefined> {
  const media = resolveMedia(scope, specs);
  if (media.length === 0) return undefined;
  let r: Awaited<ReturnType<IvrPort['play']>>;
  try {
    r = await scope.port.play(media, { interruptible });
  } catch (e) {
    throw new StepFailure(`playback failed: ${errorMessage(e)}`);
  }
  if (r.hungUp) throw HANGUP;
  if (r.error !== undefined)
    throw new StepFailure(`cannot play ${media.map(mediaUri).join(', ')}: ${r.error}`);
  return interruptible && isDigitKey(r.interruptedBy) ? r.interruptedBy : undefined;
}

/**
 * Plays the closing prompt of a step whose outcome is settled already (a message recorded, a callback
 * confirmed, a score given): nothing that happens to the prompt (a hang-up, a missing sound, the channel
 * already leaving) may lose that outcome. Says why it was not heard, for the step's detail.
 */
export async function playClosing(
  scope: StepScope,
  specs: readonly PromptSpec[],
): Promise<string | undefined> {
  try {
    await playPrompts(scope, specs, false);
    return undefined;
  } catch (e) {
    return e instanceof Hangup ? undefined : errorMessage(e);
  }
}

/** Plays prompts at the end of a call where a hang-up no longer changes the outcome. */
export async function playTail(scope: StepScope, specs: readonly PromptSpec[]): Promise<void> {
  try {
    await playPrompts(scope, specs, false);
  } catch (e) {
    if (e instanceof Hangup) return;
    throw e;
  }
}

export async function runPlay(step: PlayStep, scope: StepScope): Promise<StepOutcome> {
  const key = await playPrompts(scope, step.prompts, step.interruptible);
  return key === undefined
    ? { next: step.next, outcome: 'played' }
    : { next: step.next, outcome: 'interrupted', detail: { key } };
}
