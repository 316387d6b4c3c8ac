import type { SupervisorRef } from '../acd/router-types.js';

/**
 * A wall display: a screen on the floor (a TV by the team, a monitor in the corridor) that shows the
 * queues' figures and who is free, opened with a link of its own rather than a supervisor's sign-in, so
 * nobody's session sits on a screen anyone can walk up to. It stands until a supervisor withdraws it.
 */
export interface WallDisplay {
  id: string;
  /** What the screen is to the people who set it up ("Billing floor TV"): unique among those standing. */
  name: string;
  createdAt: number;
  /** Who made it; absent on the supervisor token. */
  createdBy?: SupervisorRef;
  /**
   * The queues it shows (a team's screen shows the team's queues, and the agents in them); absent: every
   * queue and every signed-in agent.
   */
  queueIds?: string[];
}

export interface WallDisplayRefusal {
  code:
    | 'DISPLAY_NAME_INVALID'
    | 'DISPLAY_NAME_TAKEN'
    | 'DISPLAY_QUEUES_INVALID'
    | 'TOO_MANY_DISPLAYS'
    | 'DISPLAY_NOT_FOUND';
  message: string;
}

export type WallDisplayOutcome = { display: WallDisplay } | { refused: WallDisplayRefusal };

/** Longest name a display may have: it is a label in a list, not a description. */
export const DISPLAY_NAME_MAX = 80;
/** More links than screens any site has: each one is a standing key to the figures. */
export const DISPLAYS_MAX = 100;

/** The wall displays standing now: made, and withdrawn with a reason when they cannot be. No I/O. */
export class WallDisplays {
  private readonly displays = new Map<string, WallDisplay>();

  constructor(
    standing: readonly WallDisplay[],
    private readonly newId: () => string,
  ) {
    for (const display of standing) this.displays.set(display.id, display);
  }

  /** The displays standing, the oldest first. */
  list(): WallDisplay[] {
    return [...this.displays.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  get(id: string): WallDisplay | undefined {
    return this.displays.get(id);
  }

  /**
   * A new display named `name` (trimmed), showing `queueIds` (all when absent); refused for a blank,
   * overlong or taken name, queues that are not among `queuesDefined` (or none, or one twice), or past the
   * limit.
   */
  make(
    request: { name: string; queueIds?: readonly string[] | undefined },
    at: number,
    queuesDefined: readonly string[],
    by?: SupervisorRef,
  ): WallDisplayOutcome {
    const queues = queuesRefusal(request.queueIds, queuesDefined);
    if (queues) return { refused: queues };
    const trimmed = request.name.trim();
    if (trimmed.length === 0 || trimmed.length > DISPLAY_NAME_MAX || /\p{Cc}/u.test(trimmed)) {
      return refused(
        'DISPLAY_NAME_INVALID',
        `a wall display's name is 1 to ${DISPLAY_NAME_MAX} characters on one line (say where the screen is: "Billing floor TV")`,
      );
    }
    const taken = this.list().find((d) => d.name.toLowerCase() === trimmed.toLowerCase());
    if (taken) {
      return refused(
        'DISPLAY_NAME_TAKEN',
        `a wall display named "${taken.name}" stands already: give this one another name, or use that one's link`,
      );
    }
    if (this.displays.size >= DISPLAYS_MAX) {
      return refused(
        'TOO_MANY_DISPLAYS',
        `${DISPLAYS_MAX} wall displays stand already: withdraw the ones no screen shows any more first`,
      );
    }
    const display: WallDisplay = {
      id: this.newId(),
      name: trimmed,
      createdAt: at,
      ...(by ? { createdBy: by } : {}),
      ...(request.queueIds ? { queueIds: [...request.queueIds] } : {}),
    };
    this.displays.set(display.id, display);
    return { display };
  }

  /** Changes the queues the display shows (null: every queue); refused as `make` refuses them. */
  showQueues(
    id: string,
    queueIds: readonly string[] | null,
    queuesDefined: readonly string[],
  ): WallDisplayOutcome {
    const display = this.displays.get(id);
    if (!display) return notFound(id);
    const queues = queuesRefusal(queueIds ?? undefined, queuesDefined);
    if (queues) return { refused: queues };
    const { queueIds: _was, ...rest } = display;
    const changed: WallDisplay = { ...rest, ...(queueIds ? { queueIds: [...queueIds] } : {}) };
    this.displays.set(id, changed);
    return { display: changed };
  }

  /** A display back as it stood, after a change to it that could not be kept on record. */
  putBack(display: WallDisplay): void {
    if (this.displays.has(display.id)) this.displays.set(display.id, display);
  }

  /** Withdraws the display (its link opens nothing from now on); refused for one not standing. */
  withdraw(id: string): WallDisplayOutcome {
    const display = this.displays.get(id);
    if (!display) return notFound(id);
    this.displays.delete(id);
    return { display };
  }
}

const refused = (code: WallDisplayRefusal['code'], message: string): WallDisplayOutcome => ({
  refused: { code, message },
});

const notFound = (id: string): WallDisplayOutcome =>
  refused('DISPLAY_NOT_FOUND', `no wall display ${id} stands (it was withdrawn already, or never made)`);

/** Most queues one screen shows by name: past that it is every queue, which leaving them out says. */
export const DISPLAY_QUEUES_MAX = 50;

/** Why `queueIds` cannot be a display's queues, or undefined when they can (or are absent: all). */
function queuesRefusal(
  queueIds: readonly string[] | undefined,
  defined: readonly string[],
): WallDisplayRefusal | undefined {
  if (queueIds === undefined) return undefined;
  const problem = (message: string): WallDisplayRefusal => ({ code: 'DISPLAY_QUEUES_INVALID', message });
  if (queueIds.length === 0)
    return problem('a wall display shows at least one queue: leave `queueIds` out for every queue');
  if (queueIds.length > DISPLAY_QUEUES_MAX)
    return problem(
      `a wall display names at most ${DISPLAY_QUEUES_MAX} queues: leave \`queueIds\` out for every queue`,
    );
  const twice = queueIds.find((id, i) => queueIds.indexOf(id) !== i);
  if (twice !== undefined) return problem(`queue ${twice} is given twice`);
  const unknown = queueIds.filter((id) => !defined.includes(id));
  if (unknown.length > 0)
    return problem(
      `no queue ${unknown.map((id) => `"${id}"`).join(', ')}: the queues are ${defined.join(', ') || 'none'}`,
    );
  return undefined;
}
