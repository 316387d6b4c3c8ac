import { withoutSeparators } from '../../acd/callback.js';
import { NumberPlan } from '../number-plan.js';
/**
 * Pure rules for the numbers an agent may dial on the carrier trunk (call out, transfer, consult,
 * conference) and the caller ID customers see. Built from the `outbound` section of the configuration.
 */
export class DestinationRefused extends Error {
  readonly code = 'DESTINATION_NOT_ALLOWED';
}

export interface OutboundPolicyConfig {
  callerId: { mode: 'fixed' | 'withheld'; number: string; name?: string };
  allowedDestinations: string[];
  deniedDestinations: string[];
  ringSeconds: number;
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicyConfig = {
  callerId: { mode: 'fixed', number: 'contact-center' },
  allowedDestinations: ['^\\+?[1-9][0-9]{2,14}$'],
  deniedDestinations: ['^\\+?1?900', '^\\+?0?90[0-9]'],
  ringSeconds: 30,
};

/** Compiles a list of patterns, naming the one that is not a valid regular expression. */
function compile(patterns: string[], field: string): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(pattern);
    } catch (error) {
      throw new Error(
        `outbound.${field}: "${pattern}" is not a valid regular expression (${(error as Error).message})`,
      );
    }
  });
}

export class OutboundPolicy {
  private readonly allowed: RegExp[];
  private readonly denied: RegExp[];

  /**
   * `numbers`: the site's numbering plan. A number is allowed when it matches an allowed pattern as typed or
   * in its E.164 form (so `+44…` rules take `07700…` typed nationally), and barred when either form matches
   * a denied one.
   */
  constructor(
    readonly config: OutboundPolicyConfig = DEFAULT_OUTBOUND_POLICY,
    private readonly numbers: NumberPlan = NumberPlan.asDelivered,
  ) {
    this.allowed = compile(config.allowedDestinations, 'allowedDestinations');
    this.denied = compile(config.deniedDestinations, 'deniedDestinations');
  }

  get ringSeconds(): number {
    return this.config.ringSeconds;
  }

  /** The number as dialled: spaces, dots, dashes and brackets a person types are dropped. */
  static normalise(number: string): string {
    return withoutSeparators(number);
  }

  /** Why `number` may not be dialled, or null when it may. */
  refusal(number: string): string | null {
    if (number === '') return 'no number was given';
    const forms = [number, this.numbers.canonical(number)];
    if (this.denied.some((r) => forms.some((form) => r.test(form)))) {
      return `${number} is a barred destination (premium rate or otherwise denied by the outbound rules)`;
    }
    if (!this.allowed.some((r) => forms.some((form) => r.test(form)))) {
      return `${number} is not a number agents may dial: type it in international format, e.g. +15551230000`;
    }
    return null;
  }

  /** Throws DestinationRefused when `number` may not be dialled. */
  check(number: string): void {
    const why = this.refusal(number);
    if (why) throw new DestinationRefused(why);
  }

  /** The channel Asterisk dials for a number on a carrier trunk, in the numbering plan's `dialAs` form. */
  trunkEndpoint(number: string, trunk: string): string {
    return this.numbers.trunkEndpoint(number, trunk);
  }

  /** What ARI's originate gets: the caller ID string and any channel variables the policy needs. */
  callerId(): { callerId: string; variables: Record<string, string>; shown: string } {
    const c = this.config.callerId;
    if (c.mode === 'withheld') {
      return {
        callerId: 'anonymous <anonymous>',
        variables: { 'CALLERID(pres)': 'prohib' },
        shown: 'withheld',
      };
    }
    const callerId = c.name ? `"${c.name.replace(/"/g, '')}" <${c.number}>` : c.number;
    return { callerId, variables: {}, shown: c.number };
  }
}

/** Hold time: the seconds already counted plus the current hold period, if the call is on hold now. */
export function holdSecondsAt(total: number, heldAt: number | undefined, now: number): number {
  return total + (heldAt === undefined ? 0 : Math.max(0, now - heldAt) / 1000);
}
