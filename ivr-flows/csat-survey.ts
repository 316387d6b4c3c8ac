/**
 * Post-call survey: a queue with `afterCallFlow: 'csat-survey'` puts the caller through it when the agent
 * ends the conversation.
 * The caller presses 1–5; the final action is `{ type: 'survey-result', score }` (score null when
 * they didn't answer), to be stored on the interaction.
 */
import { defineFlow, hangup, survey } from '../src/ivr/index.js';

export default defineFlow({
  id: 'csat-survey',
  description: 'Post-call CSAT, 1 (bad) to 5 (great)',
  entry: 'rate',
  onError: 'bye',
  steps: {
    // Record a custom prompt ("How did we do? Press 1 to 5") and put it here.
    rate: survey({
      prompt: ['vm-press', 'digits/1', 'digits/2', 'digits/3', 'digits/4', 'digits/5'],
      timeoutMs: 6000,
      retries: 1,
      thanks: ['auth-thankyou', 'goodbye'],
    }),
    bye: hangup('goodbye'),
  },
});
