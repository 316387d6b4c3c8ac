/** The handler for every step kind. Typed `StepHandlers`, so adding a kind without a handler fails to compile. */
import { runAnswer } from './answer.js';
import { runCollect } from './collect.js';
import { runDataDip, runSetData, runSetLanguage } from './data.js';
import { runCallback, runHangup, runQueue, runSurvey, runTransfer, runVoicemail } from './endings.js';
import type { StepHandlers } from './handler.js';
import { runMenu } from './menu.js';
import { runPlay } from './prompts.js';
import { runBranch, runBusinessHours, runGotoFlow, runQueueCheck, runSwitch } from './routing.js';

export const STEP_HANDLERS: StepHandlers = {
  answer: runAnswer,
  play: runPlay,
  collect: runCollect,
  menu: runMenu,
  set: runSetData,
  language: runSetLanguage,
  dip: runDataDip,
  hours: runBusinessHours,
  switch: runSwitch,
  'queue-check': runQueueCheck,
  branch: runBranch,
  'goto-flow': runGotoFlow,
  queue: runQueue,
  voicemail: runVoicemail,
  callback: runCallback,
  transfer: runTransfer,
  survey: runSurvey,
  hangup: runHangup,
};
