import { CallEnded, type CallSession } from './call-session.js';

export interface InboundScriptOptions {
  welcomeMedia: string[];
}

/**
 * The first call path: answer, play the welcome prompt, hang up. The IVR runtime replaces this script
 * for dialed numbers that have an entry flow.
 */
export async function runWelcomeScript(call: CallSession, options: InboundScriptOptions): Promise<void> {
  try {
    await call.answer();
    const outcome = await call.play(options.welcomeMedia);
    if (outcome === 'hangup') return;
    await call.hangup();
  } catch (error) {
    if (error instanceof CallEnded || call.isEnded) return;
    await call.fail('welcome', error);
  }
}
