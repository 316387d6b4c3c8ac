/** Flow ids the service itself uses; a flow file may not take one. */

/** The flow a queue's voicemail target runs (src/calls/ivr/flow-script.ts builds it per mailbox). */
export const QUEUE_VOICEMAIL_FLOW_ID = 'queue-voicemail';

export const RESERVED_FLOW_IDS: ReadonlySet<string> = new Set([QUEUE_VOICEMAIL_FLOW_ID]);
