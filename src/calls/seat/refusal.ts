/** What the seat's verbs refuse with and what they aim at: shared by the HTTP plugin and every verb. */

/** A request the seat refuses: an HTTP status, a searchable code, a sentence for the agent. */
export class SeatRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type TransferTarget =
  | { type: 'agent'; agentId: string }
  | { type: 'queue'; queueId: string }
  | { type: 'number'; number: string };

/** The id the timeline names a target by: the agent's, the queue's, or the number. */
export function targetIdOf(target: TransferTarget): string {
  return target.type === 'agent' ? target.agentId : target.type === 'queue' ? target.queueId : target.number;
}
