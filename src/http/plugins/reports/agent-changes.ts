import { AgentReportFold, type ReportBucket } from '../../../acd/reports.js';
import type { AgentEventLog } from '../../../store/agent-event-log.js';

/**
 * One agent's state changes over the buckets folded into their time per state, read a page at a time (only one
 * page held), from the state the agent was in as the first bucket began; the last state runs to `now`. The
 * agent report and the staffing forecast's agents there both read agents this way; the caller finishes it.
 */
export async function foldAgentChanges(
  agentLog: Pick<AgentEventLog, 'lastBefore' | 'changePages'>,
  agentId: string,
  buckets: readonly ReportBucket[],
  now: number,
): Promise<AgentReportFold> {
  const start = buckets[0]?.start ?? now;
  const end = buckets.at(-1)?.end ?? now;
  const fold = new AgentReportFold(agentId, buckets, await agentLog.lastBefore(agentId, start), now);
  for await (const page of agentLog.changePages(agentId, start, end)) fold.addChanges(page);
  return fold;
}
