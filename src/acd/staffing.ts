/**
 * Staffing: how many agents a queue needs, per interval of a day, to answer its calls within its service
 * level. Erlang C (calls arriving at random, waiting until answered, served in about the average handle
 * time) gives the chance a caller waits and for how long for a number of agents; the forecast of a day's
 * calls comes from the same weekday of the weeks before (a Monday is not a Sunday), interval by interval.
 * Pure: figures in, figures out.
 */

/**
 * The seat states in which an agent counts as staffing the queue: free for a call, on one, or wrapping one up
 * (wrap-up is part of the handle time Erlang C is given). Not ready is the shrinkage; logged out is absent.
 */
export const STAFFED_STATES = ['available', 'offered', 'talking', 'on_hold', 'wrap_up'] as const;

/**
 * How many agents staffed an interval on average: their seconds in the staffed states (each agent's seconds
 * per state, as the agent report has them) over the interval's length.
 */
export function agentsStaffed(
  secondsInState: readonly Readonly<Record<string, number>>[],
  intervalSeconds: number,
): number {
  const seconds = secondsInState.reduce((total, agent) => total + staffedIn(agent), 0);
  return round(seconds / intervalSeconds, 1);
}

/** A per-state figure (agents, or an agent's seconds) summed over the staffed states. */
export const staffedIn = (byState: Readonly<Record<string, number>>) =>
  STAFFED_STATES.reduce((sum, state) => sum + (byState[state] ?? 0), 0);

/** The aim of a queue that sets none: the industry's usual 80 % (within its serviceLevelSeconds). */
export const DEFAULT_TARGET_PERCENT = 80;

/** What the queue asks of its answers: `targetPercent` of calls answered within `seconds`. */
export interface ServiceLevelAim {
  seconds: number;
  targetPercent: number;
}

/** A queue's aim, or another asked for (a what-if); a queue that sets no target aims for the usual 80 %. */
export const aimOf = (
  queue: { serviceLevelSeconds: number; serviceLevelTargetPercent?: number },
  asked: { seconds?: number | undefined; targetPercent?: number | undefined } = {},
): ServiceLevelAim => ({
  seconds: asked.seconds ?? queue.serviceLevelSeconds,
  targetPercent: asked.targetPercent ?? queue.serviceLevelTargetPercent ?? DEFAULT_TARGET_PERCENT,
});

export interface StaffingNeed {
  /** Agents on calls or free for them (after shrinkage: `scheduled`). */
  agents: number;
  /** Traffic in erlangs: calls × handle time ÷ interval (the agents busy on calls on average). */
  trafficErlangs: number;
  /** With `agents`: the share answered within the aim's seconds, the average wait, the agents' time on calls. */
  serviceLevelPercent: number;
  asaSeconds: number;
  occupancyPercent: number;
  /** Agents to put on the schedule so that `agents` are there after shrinkage (breaks, meetings, absence). */
  scheduled: number;
}

/** Most agents one interval's answer goes to: past this the inputs are wrong, not the queue big. */
export const MAX_AGENTS = 5_000;

/**
 * The chance a caller has to wait (Erlang C) with `agents` serving `traffic` erlangs; 1 when the agents
 * cannot keep up (traffic at or over the agents). Built up from Erlang B one agent at a time, which stays
 * within floating point where factorials and powers would not.
 */
export function erlangC(agents: number, traffic: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return 1;
  let blocking = 1;
  for (let n = 1; n <= agents; n++) blocking = (traffic * blocking) / (n + traffic * blocking);
  return blocking / (1 - (traffic / agents) * (1 - blocking));
}

/** The share of calls (0..1) answered within `seconds` with `agents` serving `traffic` erlangs. */
export function serviceLevel(
  agents: number,
  traffic: number,
  handleSeconds: number,
  seconds: number,
): number {
  if (traffic <= 0) return 1;
  if (agents <= traffic) return 0;
  return Math.max(
    0,
    1 - erlangC(agents, traffic) * Math.exp((-(agents - traffic) * seconds) / handleSeconds),
  );
}

/** The average wait (seconds) of all calls, waiting or not. */
export function averageWait(agents: number, traffic: number, handleSeconds: number): number {
  if (traffic <= 0) return 0;
  if (agents <= traffic) return Number.POSITIVE_INFINITY;
  return (erlangC(agents, traffic) * handleSeconds) / (agents - traffic);
}

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * The fewest agents that answer `calls` per `intervalSeconds`, each taking `handleSeconds`, within the
 * aim, and (with `maxOccupancyPercent`) without keeping them on calls more than that share of the time;
 * `shrinkagePercent` of the scheduled time is lost to breaks and the like. No calls: no agents.
 */
export function agentsNeeded(input: {
  calls: number;
  intervalSeconds: number;
  handleSeconds: number;
  aim: ServiceLevelAim;
  maxOccupancyPercent?: number;
  shrinkagePercent?: number;
}): StaffingNeed {
  const { calls, intervalSeconds, handleSeconds, aim } = input;
  const traffic = (calls * handleSeconds) / intervalSeconds;
  const scheduledFor = (agents: number) =>
    agents === 0 ? 0 : Math.ceil(agents / (1 - (input.shrinkagePercent ?? 0) / 100) - 1e-9);
  if (traffic <= 0) {
    return {
      agents: 0,
      trafficErlangs: 0,
      serviceLevelPercent: 100,
      asaSeconds: 0,
      occupancyPercent: 0,
      scheduled: 0,
    };
  }
  const maxOccupancy = (input.maxOccupancyPercent ?? 100) / 100;
  let agents = Math.max(1, Math.floor(traffic) + 1);
  const enough = (n: number) =>
    traffic / n <= maxOccupancy + 1e-9 &&
    serviceLevel(n, traffic, handleSeconds, aim.seconds) * 100 >= aim.targetPercent - 1e-9;
  while (!enough(agents)) {
    agents++;
    if (agents > MAX_AGENTS) {
      throw new RangeError(
        `more than ${MAX_AGENTS} agents for ${round(traffic, 1)} erlangs: check the calls and handle time`,
      );
    }
  }
  return {
    agents,
    trafficErlangs: round(traffic, 2),
    serviceLevelPercent: round(serviceLevel(agents, traffic, handleSeconds, aim.seconds) * 100, 1),
    asaSeconds: round(averageWait(agents, traffic, handleSeconds), 1),
    occupancyPercent: round((traffic / agents) * 100, 1),
    scheduled: scheduledFor(agents),
  };
}

/** How a day's intervals are staffed: their length, the aim, and the planner's occupancy cap and shrinkage. */
export interface StaffingTerms {
  intervalSeconds: number;
  aim: ServiceLevelAim;
  maxOccupancyPercent?: number;
  shrinkagePercent?: number;
}

/** The need of an interval expecting `calls` of `handleSeconds`: none for no calls, unknown without a handle time. */
function needOf(calls: number, handleSeconds: number | null, terms: StaffingTerms): StaffingNeed | null {
  const { intervalSeconds, aim, maxOccupancyPercent, shrinkagePercent } = terms;
  if (calls === 0) return agentsNeeded({ calls: 0, handleSeconds: 0, intervalSeconds, aim });
  if (handleSeconds === null) return null;
  return agentsNeeded({
    calls,
    handleSeconds,
    intervalSeconds,
    aim,
    ...(maxOccupancyPercent === undefined ? {} : { maxOccupancyPercent }),
    ...(shrinkagePercent === undefined ? {} : { shrinkagePercent }),
  });
}

/** One interval of one earlier day, as the queue report counted it. */
export interface HistoryInterval {
  /** Minutes from the local midnight the interval starts at (its slot in any day). */
  slot: number;
  /** Whether the interval had ended when the history was read (one under way or to come tells nothing). */
  ended: boolean;
  offered: number;
  answered: number;
  /** Handle time (talk and wrap-up) of the answered calls, in all (seconds). */
  handleSeconds: number;
}

export interface ForecastInterval {
  slot: number;
  /** The earlier days that tell this slot (their interval had ended); 0: no forecast. */
  historyDays: number;
  /** Calls expected: the mean of those days' (null without history). */
  calls: number | null;
  /** The slot's handle time over those days, or the whole history's when none was answered in it. */
  handleSeconds: number | null;
  need: StaffingNeed | null;
}

/**
 * The forecast of one day, slot by slot (`slots`: minutes from midnight of its intervals), from earlier
 * days' intervals (`history`, one array per day). A slot's calls are the mean of the days whose interval
 * had ended, zero-call days included (a quiet Monday morning is a forecast too); its handle time is the
 * answered calls' mean in that slot, or over the whole history when none was answered in it (none at all:
 * no staffing for a slot that expects calls). A day whose clocks went back has one slot twice: both count
 * towards it.
 */
export function forecastDay(
  input: StaffingTerms & {
    slots: readonly number[];
    history: readonly (readonly HistoryInterval[])[];
    /** One handle time for every slot instead of the history's (what if calls grew longer). */
    handleSeconds?: number;
  },
): ForecastInterval[] {
  type Sum = { days: number; offered: number; answered: number; handle: number };
  const bySlot = new Map<number, Sum>();
  let answered = 0;
  let handle = 0;
  for (const day of input.history) {
    const daySlots = new Map<number, Sum>();
    for (const interval of day) {
      if (!interval.ended) continue;
      const sum = daySlots.get(interval.slot) ?? { days: 1, offered: 0, answered: 0, handle: 0 };
      sum.offered += interval.offered;
      sum.answered += interval.answered;
      sum.handle += interval.handleSeconds;
      daySlots.set(interval.slot, sum);
      answered += interval.answered;
      handle += interval.handleSeconds;
    }
    for (const [slot, sum] of daySlots) {
      const all = bySlot.get(slot) ?? { days: 0, offered: 0, answered: 0, handle: 0 };
      all.days += 1;
      all.offered += sum.offered;
      all.answered += sum.answered;
      all.handle += sum.handle;
      bySlot.set(slot, all);
    }
  }
  const overallHandle = answered > 0 ? handle / answered : null;
  return input.slots.map((slot) => {
    const sum = bySlot.get(slot);
    if (!sum) return { slot, historyDays: 0, calls: null, handleSeconds: null, need: null };
    const calls = sum.offered / sum.days;
    const handleSeconds =
      input.handleSeconds ?? (sum.answered > 0 ? sum.handle / sum.answered : overallHandle);
    const need = needOf(calls, handleSeconds, input);
    return {
      slot,
      historyDays: sum.days,
      calls: round(calls, 1),
      handleSeconds: handleSeconds === null ? null : round(handleSeconds, 1),
      need,
    };
  });
}

/** Forecast calls a day must have had by now before its run against the forecast is taken as telling. */
export const MIN_CALLS_TO_REFORECAST = 5;

export interface Reforecast {
  /** The day's calls so far over the forecast's for the same intervals (1.2: running 20 % above); null: too few to tell. */
  ratio: number | null;
  /** Per interval, for those still to end: the forecast scaled by the ratio and its need; null otherwise. */
  rest: ({ calls: number; need: StaffingNeed | null } | null)[];
}

/**
 * A day under way, forecast again: how its intervals that have ended ran against the forecast (the calls
 * that came over the calls expected in them) scales the forecast of those still to come, as a planner does
 * at midday to decide on overtime or sending agents home. Too few calls expected so far (under
 * MIN_CALLS_TO_REFORECAST) tell nothing: no ratio.
 */
export function reforecast(
  input: StaffingTerms & {
    forecast: readonly ForecastInterval[];
    /** Each interval's calls that came, null for one that has not ended. */
    actualCalls: readonly (number | null)[];
  },
): Reforecast {
  let expected = 0;
  let came = 0;
  for (const [i, f] of input.forecast.entries()) {
    const actual = input.actualCalls[i];
    if (actual === null || actual === undefined || f.calls === null) continue;
    expected += f.calls;
    came += actual;
  }
  if (expected < MIN_CALLS_TO_REFORECAST) return { ratio: null, rest: input.forecast.map(() => null) };
  const ratio = came / expected;
  return {
    ratio: round(ratio, 2),
    rest: input.forecast.map((f, i) => {
      if (input.actualCalls[i] !== null || f.calls === null) return null;
      const calls = round(f.calls * ratio, 1);
      return { calls, need: needOf(calls, f.handleSeconds, input) };
    }),
  };
}

/** The arrivals the live need is worked from: recent enough to follow a surge, long enough to count. */
export const LIVE_WINDOW_MS = 30 * 60_000;

export interface StaffingNow {
  /** Calls that entered the queue in the last half hour. */
  callsLastHalfHour: number;
  /**
   * Agents Erlang C asks for at that rate and today's handle time (null: calls but no handle time yet, or
   * more than it counts to: then `agentsNeededOver`).
   */
  agentsNeeded: number | null;
  /** Set when the need is past Erlang C's range: more than this many agents (MAX_AGENTS). */
  agentsNeededOver?: number;
  /** The queue's members free, on calls or in wrap-up now. */
  agentsStaffed: number;
}

/**
 * The queue's need now against who is there: the last half hour's calls as the rate, today's handle time,
 * the queue's aim; the members in the staffed states. What a supervisor weighs before calling agents back
 * from a break.
 */
export function staffingNow(input: {
  enqueuedAt: readonly number[];
  now: number;
  handleSeconds: number | null;
  aim: ServiceLevelAim;
  byState: Readonly<Record<string, number>>;
}): StaffingNow {
  const calls = input.enqueuedAt.filter((at) => at > input.now - LIVE_WINDOW_MS && at <= input.now).length;
  const handleSeconds = (input.handleSeconds ?? 0) > 0 ? input.handleSeconds : null;
  let need: StaffingNeed | null = null;
  let beyondRange = false;
  try {
    need = needOf(calls, handleSeconds, { intervalSeconds: LIVE_WINDOW_MS / 1000, aim: input.aim });
  } catch (error) {
    // Past MAX_AGENTS (thousands of erlangs): not a figure to staff by; the queue's other figures still show.
    if (!(error instanceof RangeError)) throw error;
    beyondRange = true;
  }
  return {
    callsLastHalfHour: calls,
    agentsNeeded: need?.agents ?? null,
    ...(beyondRange ? { agentsNeededOver: MAX_AGENTS } : {}),
    agentsStaffed: staffedIn(input.byState),
  };
}
