/**
 * Outside opening hours (and on holidays): leave a message or ask for a callback.
 * Entered from `main` with `closedReason` set to `after-hours`, `holiday` or `emergency` (a supervisor
 * turned the emergency closure on).
 */
import { branch, callback, defineFlow, hangup, menu, play, voicemail } from '../src/ivr/index.js';

export default defineFlow({
  id: 'after-hours',
  description: 'Closed: voicemail or callback request',
  entry: 'closedMessage',
  onError: 'sorry',
  steps: {
    // "I'm sorry, nobody is available to take your call."
    closedMessage: play(['im-sorry', 'vm-nobodyavail'], { next: 'withCallerId' }),

    // Without caller id we cannot read a number back, so go straight to the message.
    withCallerId: branch((ctx) => (/\d{7,}/.test(ctx.caller) ? 'choice' : 'message'), ['choice', 'message']),

    // "Press 1 to leave a message, press 2 to be called back." No key: take a message.
    choice: menu({
      prompt: ['vm-press', 'digits/1', 'vm-leavemsg', 'vm-press', 'digits/2', 'vm-tocallback'],
      options: { '1': 'message', '2': 'callMeBack' },
      retries: 1,
      onFail: 'message',
    }),

    message: voicemail({ prompt: 'vm-intro', maxSeconds: 180, mailbox: 'after-hours' }),

    callMeBack: callback({ queueId: 'support', onFail: 'message' }),

    sorry: hangup(['im-sorry', 'please-try-call-later', 'goodbye']),
  },
});
