// Types of campaign-text.js for the unit tests (the pages themselves are plain JavaScript, no build step).

export interface CampaignCounts {
  pending: number;
  booked: number;
  reached: number;
  not_reached: number;
  skipped: number;
  cancelled: number;
}
export declare function campaignStatusText(campaign: { status: string; finished: boolean }): string;
export declare function campaignProgressText(campaign: { counts: CampaignCounts }): string;
export declare function contactText(
  contact: {
    seq: number;
    number: string;
    name: string | null;
    state: string;
    reason: string | null;
    conversation: { agentId: string | null; wrapUpCode: string | null } | null;
  },
  agentName: (agentId: string) => string,
): string;
export interface ConversationShare {
  conversations: number;
  talkSeconds: number;
}
export declare function campaignFiguresText(
  figures: ConversationShare & {
    byWrapUpCode: (ConversationShare & { code: string | null })[];
    byAgent: (ConversationShare & { agentId: string | null })[];
    answers?: { people: number; machines: number; unsure: number; messagesLeft: number };
  },
  agentName: (agentId: string) => string,
): string;
export declare function campaignIdOf(name: string): string;
export declare function campaignDayCells(day: {
  date: string;
  attempts: number;
  connected: number;
  noAnswer: number;
  busy: number;
  failed: number;
  machines: number;
  messagesLeft: number;
  conversations: number;
  talkSeconds: number;
}): (string | number)[];
export declare function contactRefusalText(message: string, places: readonly number[]): string;
export declare function contactsShownText(shown: number, total: number): string;
export interface AnsweringMachineSetting {
  action: string;
  message?: string[];
}
export declare function answeringMachineText(setting: AnsweringMachineSetting | undefined): string;
export declare function answeringMachineOf(
  action: string,
  messageText: string,
): AnsweringMachineSetting | string;
