/**
 * Every action verb of every card, declared once: templates in cards/ spell these strings
 * (test/render/verbs.test.ts checks both ways) and handlers route on them.
 */
export const VERBS = {
  /** A button that stands for a typed command (welcome card, sign-in needed). */
  command: 'command',
  /** A step of the guided setup. */
  setup: 'setup',
  approveSchedule: 'scheduleApprove',
  rejectSchedule: 'scheduleReject',
  /** Per-person view of an approval card (refresh, or "Approve or reject"). */
  refreshApproval: 'scheduleRefresh',
  runAgain: 'runAgain',
  pauseSchedule: 'schedulePause',
  resumeSchedule: 'scheduleResume',
  showRunErrors: 'runShowErrors',
  /** A dataflow watch's level: every refresh or failures only. */
  dataflowNotify: 'dataflowNotify',
  /** Stop watching a dataflow in this conversation. */
  dataflowStop: 'dataflowStop',
  /** "watch dataflows": the environment picked, show its dataflows. */
  dataflowPickEnvironment: 'dataflowPickEnvironment',
  /** "watch dataflows": watch the dataflows picked. */
  dataflowWatch: 'dataflowWatch',
} as const;

/** One of the declared verbs. */
export type Verb = (typeof VERBS)[keyof typeof VERBS];
