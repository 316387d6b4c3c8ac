/**
 * Starts the FlowRegistry the service runs calls on: the flows directory, checked against what is
 * real — the queues the ACD has now, the sounds in the Asterisk root (as they are at each load), the flow
 * ids of the directory.
 */
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import {
  defaultAsteriskRoot,
  type FlowArchive,
  type FlowCheckMemo,
  FlowRegistry,
  languagePromptsFromAsteriskRoot,
  languagesFromAsteriskRoot,
  promptsFromAsteriskRoot,
} from '../../flow-loader/index.js';

export interface StartFlowsOptions {
  dir: string;
  /** Queue ids as they are at each (re)load. */
  queueIds: () => Iterable<string>;
  /** Switch ids flows may route on (config `switches`). */
  switchIds?: () => Iterable<string>;
  /** Agent ids a direct line in a flow may name (config `agents`). */
  agentIds?: () => Iterable<string>;
  logger: Logger;
  /** Keeps every version that goes live (the last good one serves a file refused after a restart). */
  archive?: FlowArchive;
  /** Sources that passed the type check before (not checked again against the same flow API). */
  checkMemo?: FlowCheckMemo;
  /** Asterisk root whose `usr/share/asterisk/sounds/<language>` holds the prompts. */
  asteriskRoot?: string;
  language?: string;
  /** What else sends callers to a flow (routes, queues' after-call flows): a deleted file's flow goes on. */
  usedElsewhere?: (flowId: string) => string[];
}

/** The registry, or undefined (logged) when the directory does not exist. */
export async function startFlowRegistry(o: StartFlowsOptions): Promise<FlowRegistry | undefined> {
  if (!existsSync(o.dir)) {
    o.logger.warn({ dir: o.dir }, 'no IVR flows directory; routes to flows will apologise and hang up');
    return undefined;
  }
  const root = o.asteriskRoot ?? defaultAsteriskRoot();
  const readPrompts = () => promptsFromAsteriskRoot(root, o.language ?? 'en');
  // Read again at every (re)load: a sound added since start-up is found by the flow edited to play it.
  let startUp: Set<string> | undefined = await readPrompts();
  if (startUp.size === 0) {
    o.logger.warn({ root }, 'no Asterisk sounds found; flow prompts are not checked against the sounds');
  }
  const logger = o.logger.child({ room: 'flows' });
  return FlowRegistry.start({
    dir: o.dir,
    logger,
    ...(o.archive ? { archive: o.archive } : {}),
    ...(o.checkMemo ? { checkMemo: o.checkMemo } : {}),
    typeCheckInThread: true,
    ...(o.usedElsewhere ? { usedElsewhere: o.usedElsewhere } : {}),
    catalogue: async () => {
      const prompts = startUp ?? (await readPrompts());
      startUp = undefined;
      const languages = await languagesFromAsteriskRoot(root);
      const languagePrompts = await languagePromptsFromAsteriskRoot(root, languages);
      return {
        ...(languages.size > 0 ? { languages, languagePrompts } : {}),
        queues: new Set(o.queueIds()),
        switches: new Set(o.switchIds?.() ?? []),
        ...(o.agentIds ? { agents: new Set(o.agentIds()) } : {}),
        ...(prompts.size > 0 ? { prompts } : {}),
      };
    },
  });
}
