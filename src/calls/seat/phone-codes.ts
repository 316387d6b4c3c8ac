import type { Logger } from 'pino';
import type { AgentCommand } from '../../acd/index.js';
import {
  type PhoneCodeAction,
  type PhoneCodes,
  phoneCodeSounds,
  readPhoneCode,
} from '../../agents/phone-codes.js';
import type { AgentDefinition, ReasonCode } from '../../agents/schema.js';
import type { AgentStateType } from '../../agents/seat.js';
import type { AriRest } from '../../telephony/ari/rest.js';
import type { AcdRefusal } from '../acd/acd-runtime.js';
import type { AgentAnnouncementOutcome } from '../acd/agent-announcements.js';
import type { HelpDesk } from '../supervise/help-desk.js';

/** The agent whose phone placed a call: by its endpoint (`PJSIP/<name>`), or an endpoint named as the agent. */
export function agentOfPhone(roster: readonly AgentDefinition[], endpointName: string) {
  return (
    roster.find((a) => a.endpoint === `PJSIP/${endpointName}`) ?? roster.find((a) => a.id === endpointName)
  );
}

/** Why a code was not carried out, with the seat's state when the seat refused it (the phone hears it). */
type Refused = { code: string; reason: string; state?: AgentStateType };

export interface DeskPhoneCodesOptions {
  codes: PhoneCodes;
  reasonCodes: readonly ReasonCode[];
  agents: () => readonly AgentDefinition[];
  /** The seat's state machine, as the agent's page reaches it (AcdRuntime.seatCommand). */
  command: (agentId: string, input: AgentCommand) => AcdRefusal[];
  seatState: (agentId: string) => AgentStateType | undefined;
  help: Pick<HelpDesk, 'ask' | 'end'>;
  ari: Pick<AriRest, 'answer' | 'hangup'>;
  /** Plays to the phone's channel and waits until heard (AgentAnnouncements.playOn). */
  play: (
    channelId: string,
    media: readonly string[],
    context: Record<string, string | undefined>,
  ) => Promise<AgentAnnouncementOutcome>;
  logger: Logger;
}

/**
 * Codes dialled on an agent's desk phone (src/agents/phone-codes.ts): carried out as the page's buttons
 * are (the same state machine and refusals, the same help desk), then the phone is answered, hears what
 * came of it, and is hung up. No interaction is opened: this is no contact with a customer; the seat's
 * change is in the agent-state log as any other.
 */
export class DeskPhoneCodes {
  constructor(private readonly options: DeskPhoneCodesOptions) {}

  /** True when `dialled` was a code and has been dealt with; false: an ordinary number (or not an agent's phone). */
  async handle(channelId: string, endpointName: string, dialled: string): Promise<boolean> {
    const { options } = this;
    const reading = readPhoneCode(dialled, options.codes, options.reasonCodes);
    if (!reading) return false;
    const agent = agentOfPhone(options.agents(), endpointName);
    if (!agent) return false; // refused as any call from an unknown phone is (403)
    const outcome: Refused | undefined =
      'refused' in reading ? reading.refused : await this.carryOut(agent, reading.action);
    const context = { callId: channelId, agentId: agent.id };
    const action = 'action' in reading ? reading.action : undefined;
    const sounds = outcome
      ? phoneCodeSounds({ refused: outcome.code, state: outcome.state })
      : phoneCodeSounds({ done: action! });
    let heard: AgentAnnouncementOutcome | 'not answered' = 'not answered';
    try {
      await options.ari.answer(channelId);
      heard = await options.play(
        channelId,
        sounds.map((sound) => `sound:${sound}`),
        context,
      );
    } catch (error) {
      options.logger.warn({ ...context, err: error }, 'the phone could not be told what came of its code');
    }
    // One line per code: what was asked, what came of it, and what the phone heard of that.
    options.logger[heard === 'played' ? 'info' : 'warn'](
      { ...context, dialled, action: action?.type, code: outcome?.code, sounds, heard },
      outcome
        ? `code dialled on the phone refused: ${outcome.reason}`
        : `code dialled on the phone: ${action?.type}`,
    );
    await options.ari.hangup(channelId, 'normal').catch(() => undefined);
    return true;
  }

  /** Undefined when done; else why not. */
  private async carryOut(agent: AgentDefinition, action: PhoneCodeAction): Promise<Refused | undefined> {
    const { options } = this;
    if (action.type === 'help' || action.type === 'withdrawHelp') {
      const outcome =
        action.type === 'help'
          ? await options.help.ask(agent.id, null)
          : await options.help.end(agent.id, 'withdrawn');
      return 'refused' in outcome ? outcome.refused : undefined;
    }
    const input: AgentCommand =
      action.type === 'login' ? { type: 'login', endpoint: agent.endpoint } : action;
    const [refusal] = options.command(agent.id, input);
    if (!refusal) return undefined;
    return { code: refusal.code, reason: refusal.reason, state: options.seatState(agent.id) };
  }
}
