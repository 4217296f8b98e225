import type { TurnContext } from 'botbuilder';
import type { ApprovalService } from '../../scheduleApprovals/approvalService';
import type { RecurringRecurrence } from '../../integration/port';
import type { Logger } from '../../logger';
import type { ConversationReferenceStore } from '../../notifications/conversationReferenceStore';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import type { ProjectWatches } from '../runs/projectWatches';
import type { BackgroundWork } from '../backgroundWork';
import type { DataIntegrationBot } from '../../teams/dataIntegrationBot';
import type { DataIntegrationSource } from '../integrationSource';
import type { IntegrationForPerson } from '../integrationSource';
import { approvalActions } from './approvalActions';
import { announceOutcome, saveApproved } from './approvalOutcomes';
import { remindApprovers } from './approvalReminder';
import { approvalCommands, requestSchedule, type ScheduleAsk } from './approvalCommands';

/** What schedule approvals need from the composition root. */
export interface ApprovalsDeps {
  approvals: ApprovalService;
  refs: ConversationReferenceStore;
  sender: ProactiveSender;
  source: DataIntegrationSource;
  integrationFor: IntegrationForPerson;
  background: BackgroundWork;
  /** Sends a project's run alerts to where its schedule was approved. */
  watches?: Pick<ProjectWatches, 'forRequest'>;
  logger: Logger;
  onScheduleChanged?: (projectName: string) => void;
  /** How often the sweep runs: it expires due requests, saves approved schedules left unsaved, tells outcomes not told, and reminds. */
  expirySweepMs: number;
  /** Local mode: one person plays every part, so "history" shows every entry. */
  onePerson?: boolean;
}

/** Schedule approvals as the bot offers them; `requestSchedule` is for the setup flow. */
export interface Approvals {
  requestSchedule(context: TurnContext, projectName: string, recurrence: RecurringRecurrence): Promise<ScheduleAsk>;
  start(): void;
  stop(): void;
}

/**
 * "schedule …", "history …", the Approve / Reject / refresh buttons, and the sweep. The sweep finishes what a click
 * (or "status") left undone, whichever instance it ran on and whether it stopped since: it expires due requests,
 * tells every outcome not told yet (an expiry wherever it happened, a decision whose instance stopped, a telling
 * claimed but not finished a few minutes later: its instance stopped, or the Bot Connector did not take it), saves
 * approved schedules left unsaved (never tried, tried without an answer, or claimed by an instance that stopped),
 * and sends the one reminder. Each of these is claimed in the store, so two instances never do one twice.
 */
export function registerApprovals(bot: DataIntegrationBot, deps: ApprovalsDeps): Approvals {
  const commandDeps = { approvals: deps.approvals, refs: deps.refs, sender: deps.sender, source: deps.source, onePerson: deps.onePerson };
  const commands = approvalCommands(commandDeps);
  bot
    .onTextCommand('schedule', commands.schedule)
    .onTextCommand('history', commands.history, { stateless: true })
    .onCardActions(approvalActions(deps));

  const sweep = async () => {
    await deps.approvals.expireDue();
    for (const request of await deps.approvals.followUps.dueForAnnouncement()) deps.background.run('tell an approval outcome', () => announceOutcome(deps, request));
    for (const request of await deps.approvals.followUps.dueForSaving()) deps.background.run('save an approved schedule', () => saveApproved(deps, request));
    for (const request of await deps.approvals.dueForReminder()) {
      // One reminder per request, recorded with it: not again after a restart, not twice from two instances.
      if (await deps.approvals.claimReminder(request.id)) deps.background.run('remind the approvers', () => remindApprovers(deps, request));
    }
  };
  let sweeper: NodeJS.Timeout | undefined;
  return {
    requestSchedule: (context, projectName, recurrence) => requestSchedule(commandDeps, context, projectName, recurrence),
    start() { sweeper ??= setInterval(() => deps.background.run('sweep the approvals', sweep), deps.expirySweepMs); },
    stop() { clearInterval(sweeper); sweeper = undefined; },
  };
}
