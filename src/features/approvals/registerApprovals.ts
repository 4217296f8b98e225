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
import { approvalActions, tellRequester, updateApprovalCards } from './approvalActions';
import { remindApprovers } from './approvalReminder';
import { approvalCommands, requestSchedule } from './approvalCommands';
import { said } from '../../words/words';

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
  /** How often expired requests are looked for (their cards then say so). */
  expirySweepMs: number;
}

/** Schedule approvals as the bot offers them; `requestSchedule` is for the setup flow. */
export interface Approvals {
  requestSchedule(context: TurnContext, projectName: string, recurrence: RecurringRecurrence): Promise<void>;
  start(): void;
  stop(): void;
}

/** "schedule …", "history …", the Approve / Reject / refresh buttons, and the sweep that expires old requests. */
export function registerApprovals(bot: DataIntegrationBot, deps: ApprovalsDeps): Approvals {
  const commandDeps = { approvals: deps.approvals, refs: deps.refs, sender: deps.sender, source: deps.source };
  const commands = approvalCommands(commandDeps);
  bot
    .onTextCommand('schedule', commands.schedule)
    .onTextCommand('history', commands.history, { stateless: true })
    .onCardActions(approvalActions(deps));

  const sweepExpired = async () => {
    for (const request of await deps.approvals.expireDue()) {
      deps.background.run('update an expired approval card', async () => {
        await updateApprovalCards(deps, request);
        await tellRequester(deps, request, said('approval.expiredTell', { project: request.projectName }));
      });
    }
    for (const request of await deps.approvals.dueForReminder()) {
      // One reminder per request, recorded with it: not again after a restart, not twice from two instances.
      if (await deps.approvals.claimReminder(request.id)) deps.background.run('remind the approvers', () => remindApprovers(deps, request));
    }
  };
  let sweeper: NodeJS.Timeout | undefined;
  return {
    requestSchedule: (context, projectName, recurrence) => requestSchedule(commandDeps, context, projectName, recurrence),
    start() { sweeper ??= setInterval(() => deps.background.run('expire due approvals', sweepExpired), deps.expirySweepMs); },
    stop() { clearInterval(sweeper); sweeper = undefined; },
  };
}
