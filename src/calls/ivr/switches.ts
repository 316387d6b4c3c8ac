import type { SupervisorRef } from '../../acd/router-types.js';
import type { SwitchConfig } from '../../config/schema.js';
import type { EventHub } from '../../events/event-hub.js';
import type { StoredSwitch, SwitchStore } from '../../store/switch-store.js';

/** A switch as supervisors and flows see it. */
export interface SwitchState extends SwitchConfig {
  on: boolean;
  /** When it was last set; absent for one never set (off). */
  changedAt?: number;
  /** Who last set it, when a named supervisor did. */
  changedBy?: SupervisorRef;
}

/**
 * The switches supervisors turn on and off (config `switches`) and IVR flows route on (whenSwitch). Each
 * change is stored before it takes effect and is told on the live stream; flows read it at once, so the next
 * caller reaching the step goes the new way. Changes are applied one at a time, in the order asked.
 */
export class Switches {
  private readonly states = new Map<string, StoredSwitch>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly definitions: readonly SwitchConfig[],
    private readonly store: SwitchStore,
    private readonly hub: EventHub,
    private readonly supervisorName: (id: string) => SupervisorRef | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads the stored states (a switch gone from the config keeps its row, unused). */
  async load(): Promise<void> {
    const stored = await this.store.all();
    for (const d of this.definitions) {
      const state = stored.get(d.id);
      if (state) this.states.set(d.id, state);
    }
  }

  /** The ids flows may name. */
  ids(): Set<string> {
    return new Set(this.definitions.map((d) => d.id));
  }

  /** Whether the switch is on; undefined for one the config does not define. */
  readonly isOn = (id: string): boolean | undefined => {
    if (!this.definitions.some((d) => d.id === id)) return undefined;
    return this.states.get(id)?.on ?? false;
  };

  list(): SwitchState[] {
    return this.definitions.map((d) => this.view(d));
  }

  get(id: string): SwitchState | undefined {
    const d = this.definitions.find((x) => x.id === id);
    return d ? this.view(d) : undefined;
  }

  /**
   * Turns the switch on or off for `supervisor` (absent: the supervisor token). Resolves with its state
   * before and after once stored; a switch already so is left as it was (no write, no event).
   */
  set(
    id: string,
    on: boolean,
    supervisor?: SupervisorRef,
  ): Promise<{ before: SwitchState; after: SwitchState }> {
    const run = this.queue.then(async () => {
      const before = this.get(id);
      if (!before) throw new Error(`no switch ${id}`);
      if (before.on === on) return { before, after: before };
      const state: StoredSwitch = {
        on,
        changedAt: this.now(),
        ...(supervisor ? { supervisorId: supervisor.id } : {}),
      };
      await this.store.put(id, state);
      this.states.set(id, state);
      this.hub.publish('switch.changed', {
        switchId: id,
        on,
        by: supervisor ? { supervisor: { id: supervisor.id, name: supervisor.name } } : {},
      });
      return { before, after: this.get(id)! };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private view(d: SwitchConfig): SwitchState {
    const s = this.states.get(d.id);
    const by = s?.supervisorId ? this.supervisorName(s.supervisorId) : undefined;
    return {
      ...d,
      on: s?.on ?? false,
      ...(s ? { changedAt: s.changedAt } : {}),
      ...(by ? { changedBy: by } : {}),
    };
  }
}
