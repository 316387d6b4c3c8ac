// A campaign call listened to for an answering machine (`acd.answering-machine`), in words: for the
// supervisor's timeline, and for the agent whose call it is. Pure: no DOM, no requests.

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const WHO = { human: 'a person', machine: 'an answering machine', unsure: 'someone it could not tell' };
const DONE = {
  put_through: 'put through',
  hung_up: 'hung up on',
  leave_message: "left the campaign's message",
};
const PLAYED = {
  played: 'played to its end',
  failed: 'could not be played',
  hung_up: 'the machine hung up first',
};

/** "Heard an answering machine after 1.5 s (talking for over 1.5 s without a pause): left the campaign's message". */
export function machineTimelineText(p) {
  if (p.step === 'listening') return 'The line answered: listening for an answering machine';
  if (p.step === 'message') return `Message to the answering machine: ${PLAYED[p.outcome] ?? p.outcome}`;
  const why = p.reason ? ` (${p.reason})` : '';
  return `Heard ${WHO[p.verdict] ?? p.verdict} after ${seconds(p.afterMs ?? 0)}${why}: ${DONE[p.action] ?? p.action}`;
}

/** What the agent is told about their campaign call while and once it is listened to; '' for nothing. */
export function machineNoteText(p) {
  if (p.step === 'listening') return 'The customer answered: checking for an answering machine…';
  if (p.step !== 'detected') return '';
  if (p.verdict !== 'machine')
    return p.verdict === 'human' ? 'A person answered: you are through.' : 'Put through: someone answered.';
  return p.action === 'leave_message'
    ? "An answering machine answered: the campaign's message is left without you. You are free for the next call."
    : 'An answering machine answered and was hung up on. You are free for the next call.';
}
