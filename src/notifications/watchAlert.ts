import type { OutboundAttachment } from './outbound';
import type { Execution, RecordError, Recurrence } from '../integration/port';
import type { Said, Words } from '../words/words';

/** What the run watcher has to tell a conversation; src/render turns each into a card. */
export type WatchAlert =
  | { kind: 'run'; alert: RunAlert }
  /** Many runs at once (e.g. after a restart), oldest first. */
  | { kind: 'digest'; alerts: RunAlert[] }
  /** A schedule stopped firing, or fires again. */
  | { kind: 'stalled'; projectName: string; recurrence: Recurrence; lastRunAt: string; recovered: boolean }
  /** A run in progress for longer than any run should take (said once per run): not a stalled schedule. */
  | { kind: 'longRun'; projectName: string; startedAt: string; hours: number }
  /** A run started from chat finished: its "running" card shows the result; `endedBy` as in RunAlert. */
  | { kind: 'runResult'; projectName: string; execution: Execution; endedBy?: string }
  /** The owner's sign-in no longer works; `more`: how many more of their projects in this conversation wait on it. */
  | { kind: 'signInNeeded'; projectName: string; ownerName: string; ownerId: string; more: number }
  /** The project's runs could not be read for a while (the service fails or does not answer): said once. */
  | { kind: 'unreadable'; projectName: string; why: Said };

/** Turns an alert into what goes into the message, in the watch's words (the composition root passes the card renderer). */
export type AlertPresenter = (alert: WatchAlert, words: Words) => OutboundAttachment;

/** How a finished run ended, as an alert shows it. */
export type RunOutcome = 'succeeded' | 'warning' | 'failed';

/** The schedule as an alert's actions need it. */
export type ScheduleView = 'recurring' | 'paused' | 'manual';

/** Everything a run-completed alert says. */
export interface RunAlert {
  projectName: string;
  executionId: string;
  outcome: RunOutcome;
  upserts: number;
  errorCount: number;
  /** The first per-record errors. */
  recordErrors: RecordError[];
  /** Errors the alert does not list. */
  moreErrors: number;
  message?: string;
  startedAt: string;
  /** When the run ended; absent when the service gave no end time. */
  endedAt?: string;
  /** Without an end time: when the watcher first saw the run finished, so it had ended by then. */
  endedBy?: string;
  /** Absent when the service gave no end time (the card then shows no duration rather than 0). */
  durationMs?: number;
  nextRunAt?: string;
  schedule: ScheduleView;
}
