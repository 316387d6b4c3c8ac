import type { Logger } from 'pino';
import type { AgentSeat, AgentStateType } from '../../agents/seat.js';
import { keepingTo, nextPlanChangeAt, type Shift } from '../../agents/shifts.js';
import type { EventHub, StreamEvent } from '../../events/event-hub.js';
import type { AdherenceExceptionLog } from '../../store/adherence-exception-log.js';
import type { ShiftLog } from '../../store/shift-log.js';
import { TimerTable } from '../acd/timer-table.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** An agent whose seat has not kept to their roster for the grace period: real-time adherence's exception. */
export interface AdherenceException {
  agentId: string;
  shiftId: string;
  /** What the roster plans: to work, or a break (with its label). */
  activity: 'working' | 'break';
  label: string | null;
  /** The seat (as last told), and since when it has been off the roster. */
  agentState: AgentStateType;
  since: number;
}

export const exceptionDto = (e: AdherenceException) => ({
  agentId: e.agentId,
  shiftId: e.shiftId,
  activity: e.activity,
  label: e.label,
  agentState: e.agentState,
  since: iso(e.since),
});

export interface AdherenceWatchOptions {
  /** The agents' seats now. */
  seat: (agentId: string) => Pick<AgentSeat, 'state'> | undefined;
  hub: EventHub;
  shifts: Pick<ShiftLog, 'overlapping'>;
  /** How long a seat may be off its roster before supervisors are told (a late return from lunch). */
  graceMs: number;
  now: () => number;
  logger: Logger;
  /** Where the exceptions are kept: each told one, its seat, its end; read back after a restart. */
  record?: Pick<AdherenceExceptionLog, 'opened' | 'seatChanged' | 'ended' | 'standing'>;
}

/** A seat off its roster: whether supervisors were told, and its id on record once written (in order). */
type Off = AdherenceException & { told: boolean; written?: Promise<number | undefined> };

/**
 * Real-time adherence: an agent's seat held against their roster as things happen, no polling. A seat that
 * stops keeping to what the shift plans (signed out or not ready while to work, taking calls on a break) is
 * timed from then; past the grace period it is told on the stream (`shift.adherence`, out), again as its
 * seat changes while still off it, and when it keeps to it once more (in); each told one is on record
 * (`record`), so supervisors can look back over days and a restart keeps a standing one's start. Each agent is looked at again when their seat changes, their roster changes,
 * and at each start or end of a shift or break (a timer for that instant).
 */
export class AdherenceWatch {
  /** Shifts running now or to come, by agent. */
  private byAgent = new Map<string, Shift[]>();
  /** Seats off their roster: since when, and whether supervisors have been told. */
  private readonly off = new Map<string, Off>();
  private readonly timers: TimerTable;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly options: AdherenceWatchOptions) {
    this.timers = new TimerTable(
      (key) => {
        const [agentId = '', kind] = key.split('#');
        if (kind === 'grace') this.tell(agentId);
        else this.look(agentId);
      },
      () => options.now(),
    );
  }

  /** Reads the roster and looks at every agent on it; then follows seats and roster changes. */
  async start(): Promise<void> {
    const standing =
      (await this.options.record?.standing().catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'could not read the adherence exceptions left standing');
        return [];
      })) ?? [];
    this.unsubscribe = this.options.hub.subscribe((event) => this.onEvent(event));
    await this.reload();
    // Those standing when the last run stopped: one still off the same plan keeps its start and is told
    // again; any other ended by the time this run looked.
    for (const r of standing) {
      const off = this.off.get(r.agentId);
      if (off && !off.told && off.shiftId === r.shiftId && off.activity === r.activity) {
        this.timers.cancel(`${r.agentId}#grace`);
        off.since = r.since;
        off.told = true;
        off.written = Promise.resolve(r.id);
        if (off.agentState !== r.agentState)
          this.write(off, (id) => this.options.record?.seatChanged(id, off.agentState));
        this.publishOff(off);
      } else {
        const state = this.stateOf(r.agentId);
        this.write({ written: Promise.resolve(r.id) }, (id) =>
          this.options.record?.ended(id, this.options.now(), state),
        );
      }
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.timers.clear();
  }

  /** The seats off their roster past the grace period now, the longest first. */
  standing(): AdherenceException[] {
    return [...this.off.values()]
      .filter((e) => e.told)
      .map(({ told: _, written: __, ...e }) => e)
      .sort((a, b) => a.since - b.since);
  }

  private onEvent(event: StreamEvent): void {
    if (event.type === 'agent.state') this.look((event.data as { agentId: string }).agentId);
    else if (event.type === 'shift.changed')
      this.reload().catch((error) =>
        this.options.logger.error({ err: error }, 'could not read the roster again for adherence'),
      );
  }

  /** The roster from now on read again (a year of a large team's is a few thousand shifts), every agent looked at. */
  private async reload(): Promise<void> {
    const now = this.options.now();
    const shifts = await this.options.shifts.overlapping(now, Number.MAX_SAFE_INTEGER);
    const byAgent = new Map<string, Shift[]>();
    for (const s of shifts) byAgent.set(s.agentId, [...(byAgent.get(s.agentId) ?? []), s]);
    this.byAgent = byAgent;
    for (const agentId of new Set([...byAgent.keys(), ...this.off.keys()])) this.look(agentId);
  }

  /** Is the agent's seat keeping to their roster now? Starts, goes on with or ends their time off it. */
  private look(agentId: string): void {
    const now = this.options.now();
    const shifts = this.byAgent.get(agentId) ?? [];
    const state = this.stateOf(agentId);
    const keeping = keepingTo(shifts, state, now);
    const off = this.off.get(agentId);
    if (!keeping || keeping.kept) {
      this.end(agentId, state);
    } else if (!off || off.activity !== keeping.planned.activity || off.shiftId !== keeping.shift.id) {
      // Off the plan from now (a break begun while the seat is still taking calls is a new time off it).
      this.end(agentId, state);
      this.off.set(agentId, {
        agentId,
        shiftId: keeping.shift.id,
        activity: keeping.planned.activity,
        label: keeping.planned.activity === 'break' ? keeping.planned.label : null,
        agentState: state,
        since: now,
        told: false,
      });
      this.timers.schedule(`${agentId}#grace`, now + this.options.graceMs);
    } else if (off.told && off.agentState !== state) {
      // Still off the roster, told already: the seat's change is told too (signed out, now not ready).
      off.agentState = state;
      this.write(off, (id) => this.options.record?.seatChanged(id, state));
      this.publishOff(off);
    }
    const next = nextPlanChangeAt(shifts, now);
    if (next === undefined) this.timers.cancel(`${agentId}#plan`);
    else this.timers.schedule(`${agentId}#plan`, next);
  }

  private stateOf(agentId: string): AgentStateType {
    return this.options.seat(agentId)?.state.type ?? 'logged_out';
  }

  /** The grace period ran out with the seat still off its roster: supervisors are told. */
  private tell(agentId: string): void {
    const off = this.off.get(agentId);
    if (!off || off.told) return;
    // The seat may have changed without keeping to the plan (signed out, then not ready): told as it is now.
    off.agentState = this.stateOf(agentId);
    off.told = true;
    const record = this.options.record;
    if (record) {
      const { told: _, written: __, ...exception } = off;
      off.written = record.opened(exception, this.options.now()).catch((error: unknown) => {
        this.options.logger.error({ err: error, agentId }, 'adherence exception not written');
        return undefined;
      });
    }
    this.publishOff(off);
  }

  private publishOff(off: Off): void {
    const { told: _, written: __, ...exception } = off;
    this.options.hub.publish('shift.adherence', { inAdherence: false, exception: exceptionDto(exception) });
  }

  /** A write about an exception on record, after the one that opened it (its id). */
  private write(off: Pick<Off, 'written'>, what: (id: number) => Promise<void> | undefined): void {
    void off.written
      ?.then((id) => (id === undefined ? undefined : what(id)))
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'adherence exception not updated on record'),
      );
  }

  /** The agent's time off the roster over (if any); told as ended if it had been told. */
  private end(agentId: string, state: AgentStateType): void {
    const off = this.off.get(agentId);
    if (!off) return;
    this.off.delete(agentId);
    this.timers.cancel(`${agentId}#grace`);
    if (off.told) {
      const at = this.options.now();
      this.write(off, (id) => this.options.record?.ended(id, at, state));
      const { told: _, written: __, ...exception } = off;
      this.options.hub.publish('shift.adherence', {
        inAdherence: true,
        exception: { ...exceptionDto(exception), agentState: state },
      });
    }
  }
}
