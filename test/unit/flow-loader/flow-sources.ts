/** Flow files for the FlowRegistry tests: a prompt, then a queue (plus `extra` steps). */
export const flowSource = (
  id: string,
  queueId = 'sales',
  extra = '',
) => `import { defineFlow, play, queue } from '../src/ivr/index.js';

export default defineFlow({
  id: '${id}',
  entry: 'hi',
  steps: {
    hi: play('hello-world', { next: 'q' }),
    q: queue('${queueId}'),${extra}
  },
});
`;
