import { ActivityTypes, TurnContext } from 'botbuilder';
import { eligibleApprovers } from '../../scheduleApprovals/approvalPolicy';
import { ApprovalRequest } from '../../scheduleApprovals/approvalRequest';
import { ApprovalService } from '../../scheduleApprovals/approvalService';
import { describeRecurrence, splitProjectAndRecurrence } from '../../scheduleApprovals/recurrence';
import type { Recurrence } from '../../integration/port';
import type { ConversationReferenceStore } from '../../notifications/conversationReferenceStore';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import { approvalHistoryCard, approvalRequestCard, PendingView } from '../../render/approvalCards';
import { cardAttachment } from '../../render/cardRenderer';
import { approverContacts } from './approverContacts';
import { actorOf } from '../../teams/cardActions';
import { baseConversationId, threadRootOf } from '../../teams/conversationIds';
import type { DataIntegrationSource } from '../integrationSource';
import { failureText } from '../../integration/errorCatalogue';
import type { CommandHandler } from '../../teams/dataIntegrationBot';
import { echo } from '../../text/sanitize';

/** What the schedule and history commands need. */
export interface ApprovalCommandDeps {
  approvals: ApprovalService;
  refs: ConversationReferenceStore;
  sender: Pick<ProactiveSender, 'send'>;
  source: DataIntegrationSource;
}

const cardActivity = (request: ApprovalRequest, view: PendingView) => ({ type: 'message' as const, attachments: [cardAttachment(approvalRequestCard(request, view))] });

/**
 * Asks for approval of a schedule where the person asked: in a channel or group chat the card goes
 * there; from a personal chat it goes to each approver's personal chat (and a copy to the requester).
 * The setup flow calls this too.
 */
export async function requestSchedule(deps: ApprovalCommandDeps, context: TurnContext, projectName: string, recurrence: Recurrence): Promise<void> {
  const actor = actorOf(context);
  if (!actor) {
    await context.sendActivity('I could not tell who you are (Teams sent no Azure AD id), so I cannot ask for a schedule on your behalf.');
    return;
  }
  const personal = context.activity.conversation.conversationType === 'personal';
  const contacts = await approverContacts(context, deps.refs, eligibleApprovers(deps.approvals.policy, actor.aadObjectId));
  const reachable = contacts.filter((c) => c.personalConversationId);
  if (personal && contacts.length > 0 && reachable.length === 0) {
    await context.sendActivity('None of the schedule approvers has chatted with me yet, so I cannot reach them from here. Ask again in the team channel, or ask an approver to say "help" to me first.');
    return;
  }
  const conversationId = baseConversationId(context.activity.conversation.id);
  const approverUserIds = contacts.flatMap((c) => (c.userId ? [c.userId] : []));
  const approverNames = contacts.filter((c) => c.userId).concat(contacts.filter((c) => !c.userId)).flatMap((c) => (c.name ? [c.name] : []));
  let outcome;
  try {
    outcome = await deps.approvals.request({ projectName, recurrence, requestedBy: actor, conversationId, approverUserIds, approverNames, threadActivityId: threadRootOf(context.activity.conversation.id) }, await deps.source(context));
  } catch (err) {
    await context.sendActivity(failureText(err, `ask for a schedule of "${echo(projectName)}"`));
    return;
  }
  if (outcome.kind !== 'requested') {
    await context.sendActivity(refusalText(outcome, projectName));
    return;
  }
  const { request } = outcome;
  const mine = await context.sendActivity(cardActivity(request, { viewer: 'everyone', approverUserIds }));
  if (mine?.id) await deps.approvals.recordCard(request.id, { conversationId, activityId: mine.id });
  if (!personal) return;
  const asked: string[] = [];
  for (const c of reachable) {
    const sent = await deps.sender.send({ conversationId: c.personalConversationId! }, cardActivity(request, { viewer: 'approver', approverUserIds: c.userId ? [c.userId] : [] }));
    if (sent.status === 'sent' && sent.activityId) {
      await deps.approvals.recordCard(request.id, { conversationId: c.personalConversationId!, activityId: sent.activityId });
      asked.push(c.name ?? 'an approver');
    }
  }
  const missed = contacts.length - asked.length;
  await context.sendActivity(`I asked ${asked.join(', ') || 'nobody'} to approve it.${missed > 0 ? ` ${missed} approver(s) have never chatted with me, so I could not reach them.` : ''}`);
}

function refusalText(outcome: Exclude<Awaited<ReturnType<ApprovalService['request']>>, { kind: 'requested' }>, projectName: string): string {
  switch (outcome.kind) {
    case 'noApprovers':
      return 'Nobody can approve this schedule: SCHEDULE_APPROVERS lists no one else. Ask your admin to add approvers (Azure AD object ids).';
    case 'notRecurring':
      return 'A schedule must recur, e.g. "every 5 minutes" (at least 1 minute).';
    case 'projectNotFound':
      return `I could not find a project named "${echo(projectName)}". Type "status" to see the projects.`;
    case 'alreadyPending':
      return `A schedule request for "${outcome.request.projectName}" (${describeRecurrence(outcome.request.recurrence)}, asked by ${outcome.request.requestedBy.name}) is already waiting for an approver. Type "history ${outcome.request.projectName}" to see it.`;
  }
}

/** "schedule PROJECT every N UNIT" and "history PROJECT". */
export function approvalCommands(deps: ApprovalCommandDeps): { schedule: CommandHandler; history: CommandHandler } {
  return {
    schedule: async (context, command) => {
      if (command.name !== 'schedule') return;
      const { project, recurrence } = splitProjectAndRecurrence(command.project);
      if (!recurrence) {
        const name = echo(project);
        await context.sendActivity(`How often should "${name}" run? Say for example "schedule ${name} every 5 minutes" (at least every minute; "hours", "days", "weeks" and "months" work too).`);
        return;
      }
      await requestSchedule(deps, context, project, recurrence);
    },
    history: async (context, command) => {
      if (command.name !== 'history') return;
      const entries = await deps.approvals.history(command.project);
      // The card shows the name as typed (its renderer makes it safe): echoing it here would escape it twice.
      const name = entries[0]?.projectName ?? command.project;
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [cardAttachment(approvalHistoryCard(name, entries))] });
    },
  };
}
