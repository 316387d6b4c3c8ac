import { randomUUID } from 'node:crypto';
import { FormatRegistry, type Static, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { type StreamEventData, type StreamEventType, StreamEventTypes } from './stream-events.js';

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

// TypeBox knows no string formats of its own (Fastify's Ajv does); the schemas here use this one.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v));
}

const checkers = new Map<StreamEventType, TypeCheck<TSchema>>();

/** The compiled check of a type's data (compiled once: the service checks every event it publishes). */
function checkerOf(type: StreamEventType): TypeCheck<TSchema> {
  let checker = checkers.get(type);
  if (!checker) {
    checker = TypeCompiler.Compile(StreamEventTypes[type].data as TSchema);
    checkers.set(type, checker);
  }
  return checker;
}

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
    /**
     * Checks every event's data against its schema: 'throw' (unit tests) or a function told what is wrong
     * (the service logs it and publishes the event anyway). The types hold it at compile time, but not a
     * value built with spreads or read from elsewhere.
     */
    private readonly check: 'off' | 'throw' | ((problem: string) => void) = 'off',
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  /** Publishes one event of a declared type (src/events/stream-events.ts) on its topic. */
  publish<T extends StreamEventType>(type: T, data: StreamEventData<T>, at = this.now()): StreamEvent {
    const declared = StreamEventTypes[type];
    if (this.check !== 'off' && !checkerOf(type).Check(data)) {
      const first = [...checkerOf(type).Errors(data)][0];
      const problem = `stream event ${type} does not match its schema: ${first?.path} ${first?.message}`;
      if (this.check === 'throw') throw new Error(problem);
      this.check(problem);
    }
    const topic = declared.topic;
    const event: StreamEvent = {
      seq: ++this.seq,
      stream: this.stream,
      at: new Date(at).toISOString(),
      topic,
      type,
      data: data as Record<string, unknown>,
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
