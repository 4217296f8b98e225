import type { ApprovalRequest } from '../../scheduleApprovals/approvalRequest';
import type { ApprovalService } from '../../scheduleApprovals/approvalService';
import { recurrenceWords } from '../../recurrence/recurrence';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import { mentionText, said, wordsFor } from '../../words/words';

/**
 * The one reminder of a request nobody has decided at half its time to live: a reply under each
 * copy of its card that approvers see (the requester's own personal copy is left out), with the
 * approvers @mentioned where the bot knows their Teams ids.
 */
export async function remindApprovers(deps: { approvals: ApprovalService; sender: Pick<ProactiveSender, 'send'> }, request: ApprovalRequest): Promise<void> {
  const copies = await deps.approvals.cards(request.id);
  const forApprovers = copies.length > 1 ? copies.filter((c) => c.conversationId !== request.conversationId) : copies;
  const names = request.approverNames ?? [];
  // Names and Teams ids line up only when every approver's id is known; otherwise the names are said without a mention.
  const mentions = names.length === request.approverUserIds.length ? request.approverUserIds.map((id, i) => ({ id, name: names[i] })) : [];
  // Like the cards it answers, the reminder speaks the requester's language (the approvers' are not known).
  const who = mentions.length > 0 ? { names: mentions.map((m) => m.name), join: 'and' as const, mention: true } : names.length > 0 ? { names, join: 'and' as const } : said('approval.approvers');
  const text = wordsFor(request.requestedIn).reply('approval.reminder', {
    who, by: request.requestedBy.name, project: request.projectName,
    recurrence: recurrenceWords(request.recurrence), expires: { moment: request.expiresAt },
  });
  for (const card of forApprovers) {
    await deps.sender.send({ conversationId: card.conversationId, replyToId: card.activityId }, {
      type: 'message',
      text,
      entities: mentions.map((m) => ({ type: 'mention', text: mentionText(m.name), mentioned: { id: m.id, name: m.name } })),
    });
  }
}
