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
}

export interface WallDisplayRefusal {
  code: 'DISPLAY_NAME_INVALID' | 'DISPLAY_NAME_TAKEN' | 'TOO_MANY_DISPLAYS' | 'DISPLAY_NOT_FOUND';
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

  /** A new display named `name` (trimmed); refused for a blank, overlong or taken name, or past the limit. */
  make(name: string, at: number, by?: SupervisorRef): WallDisplayOutcome {
    const trimmed = name.trim();
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
    };
    this.displays.set(display.id, display);
    return { display };
  }

  /** Withdraws the display (its link opens nothing from now on); refused for one not standing. */
  withdraw(id: string): WallDisplayOutcome {
    const display = this.displays.get(id);
    if (!display) {
      return refused(
        'DISPLAY_NOT_FOUND',
        `no wall display ${id} stands (it was withdrawn already, or never made)`,
      );
    }
    this.displays.delete(id);
    return { display };
  }
}

const refused = (code: WallDisplayRefusal['code'], message: string): WallDisplayOutcome => ({
  refused: { code, message },
});
