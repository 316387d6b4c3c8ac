// Types of wall-text.js for the unit tests (the page itself is plain JavaScript, no build step).

export declare const STATE_ORDER: string[];
export declare function waitNow(
  queue: { waiting: number; longestWaitSeconds: number },
  boardAt: number,
  now: number,
): number;
export declare function serviceLevel(queue: {
  serviceLevelPercent: number | null;
  serviceLevelSeconds: number;
  serviceLevelTargetPercent: number | null;
}): { text: string; aim: string; tone: 'good' | 'near' | 'bad' | 'none' };
export declare function peopleLine(byState: Record<string, number>): string;
export declare function dayLine(queue: {
  answered: number;
  abandoned: number;
  abandonRatePercent: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
}): string;
export declare function agentLine(
  agent: { state: string; reasonLabel?: string; reason?: string; since: string },
  now: number,
): { state: string; time: string };
export declare function agentsInOrder<A extends { state: string; name: string }>(agents: A[]): A[];
export declare function closedText(refusal: { code?: string; message?: string } | undefined): {
  final: boolean;
  text: string;
};
export declare function keyFromHash(hash: string): string;
