import { randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';

/** The envelope of every event on the live stream (WebSocket /api/events). */
export const StreamEventSchema = Type.Object(
  {
    /** Monotonically increasing within `stream`; resume with `?stream=…&since=<seq>`. */
    seq: Type.Integer({ minimum: 1 }),
    stream: Type.String({
      description: 'Changes when the service restarts; a new stream means: take a snapshot',
    }),
    at: Type.String({ format: 'date-time' }),
    topic: Type.Union([Type.Literal('agent'), Type.Literal('queue'), Type.Literal('interaction')]),
    type: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { description: 'One event of the live stream' },
);
export type StreamEvent = Static<typeof StreamEventSchema>;

export type Topic = StreamEvent['topic'];

/**
 * The live event stream: every agent, queue and interaction change with a sequence number. Keeps the
 * recent past in memory so a client that reconnects resumes where it left off; a client too far behind,
 * or from before a restart, is told to take a snapshot instead.
 */
export class EventHub {
  readonly stream = randomUUID();
  private seq = 0;
  private readonly buffer: StreamEvent[] = [];
  private readonly listeners = new Set<(event: StreamEvent) => void>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly capacity = 10_000,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  publish(topic: Topic, type: string, data: Record<string, unknown>, at = this.now()): StreamEvent {
    const event: StreamEvent = {
      seq: ++this.seq,
      stream: this.stream,
      at: new Date(at).toISOString(),
      topic,
      type,
      data,
    };
    this.buffer.push(event);
    if (this.buffer.length > this.capacity) this.buffer.shift();
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Events after `seq` of this stream, or undefined when they are no longer all held (take a snapshot). */
  since(stream: string, seq: number): StreamEvent[] | undefined {
    if (stream !== this.stream || seq > this.seq) return undefined;
    if (seq === this.seq) return [];
    const first = this.buffer[0];
    if (!first || first.seq > seq + 1) return undefined;
    return this.buffer.slice(seq + 1 - first.seq);
  }

  subscribe(listener: (event: StreamEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
