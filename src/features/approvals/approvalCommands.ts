import { TurnContext } from 'botbuilder';
import { eligibleApprovers } from '../../scheduleApprovals/approvalPolicy';
import { ApprovalRequest } from '../../scheduleApprovals/approvalRequest';
import { ApprovalService } from '../../scheduleApprovals/approvalService';
import { recurrenceWords, splitProjectAndRecurrence } from '../../recurrence/recurrence';
import { isDataIntegrationError, projectNamed, type ProjectSummary, type Recurrence } from '../../integration/port';
import type { ConversationReferenceStore } from '../../notifications/conversationReferenceStore';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import { approvalHistoryCard, approvalRequestCard, PendingView } from '../../render/approvalCards';
import { cardMessage } from '../../render/cardRenderer';
import { sendCard } from '../../teams/cardMessages';
import { approverContacts } from './approverContacts';
import { baseConversationId, threadRootOf } from '../../teams/conversationIds';
import type { DataIntegrationSource } from '../integrationSource';
import { failureText, needsSignIn } from '../../integration/errorCatalogue';
import type { CommandHandler } from '../../teams/dataIntegrationBot';
import { said, wordsFor, type Said } from '../../words/words';
import { nameAsMeant } from '../../words/sanitize';
import { say, speechOf, wordsOf } from '../../teams/say';
import { verifiedPerson } from '../../person';

/** What the schedule and history commands need. */
export interface ApprovalCommandDeps {
  approvals: ApprovalService;
  refs: ConversationReferenceStore;
  sender: Pick<ProactiveSender, 'send'>;
  source: DataIntegrationSource;
  /** Local mode: one person at the keyboard plays every part, so "history" shows every entry, as it always did. */
  onePerson?: boolean;
}

/** Every copy of a request's card speaks the requester's language: it is her request, shown where she asked. */
const cardActivity = (request: ApprovalRequest, view: PendingView) => cardMessage(approvalRequestCard(request, view, wordsFor(request.requestedIn)));

/** What a schedule request came to: asked (its approval card sent), or refused or failed, with what the person was told. */
export type ScheduleAsk = { kind: 'requested' } | { kind: 'refused'; said: Said };

/**
 * Asks for approval of a schedule where the person asked: in a channel or group chat the card goes
 * there; from a personal chat it goes to each approver's personal chat (and a copy to the requester).
 * A refusal is said, and returned with what came of it: the setup flow (which calls this too) ends step 5 only once asked.
 */
export async function requestSchedule(deps: ApprovalCommandDeps, context: TurnContext, projectName: string, recurrence: Recurrence): Promise<ScheduleAsk> {
  const asked = await askForSchedule(deps, context, projectName, recurrence);
  if (asked.kind === 'refused') await say(context, asked.said);
  return asked;
}

const REQUESTED: ScheduleAsk = { kind: 'requested' };
const refused = (words: Said): ScheduleAsk => ({ kind: 'refused', said: words });

async function askForSchedule(deps: ApprovalCommandDeps, context: TurnContext, projectName: string, recurrence: Recurrence): Promise<ScheduleAsk> {
  const actor = verifiedPerson(context.activity);
  if (!actor) return refused(said('approval.noActor'));
  const personal = context.activity.conversation.conversationType === 'personal';
  const contacts = await approverContacts(context, deps.refs, eligibleApprovers(deps.approvals.policy, actor.aadObjectId));
  const reachable = contacts.filter((c) => c.personalConversationId);
  if (personal && contacts.length > 0 && reachable.length === 0) return refused(said('approval.approversUnreachable'));
  const conversationId = baseConversationId(context.activity.conversation.id);
  const approverUserIds = contacts.flatMap((c) => (c.userId ? [c.userId] : []));
  const approverNames = contacts.filter((c) => c.userId).concat(contacts.filter((c) => !c.userId)).flatMap((c) => (c.name ? [c.name] : []));
  let outcome;
  try {
    outcome = await deps.approvals.request({ projectName, recurrence, requestedBy: actor, conversationId, approverUserIds, approverNames, threadActivityId: threadRootOf(context.activity.conversation.id), requestedIn: speechOf(context) }, await deps.source(context));
  } catch (err) {
    return refused(failureText(err, said('what.askSchedule', { project: projectName })));
  }
  if (outcome.kind !== 'requested') return refused(refusalText(outcome, projectName));
  const { request } = outcome;
  const mine = await context.sendActivity(cardActivity(request, { viewer: 'everyone', approverUserIds, now: deps.approvals.now() }));
  if (mine?.id) await deps.approvals.recordCard(request.id, { conversationId, activityId: mine.id });
  if (!personal) return REQUESTED;
  const asked: string[] = [];
  for (const c of reachable) {
    const sent = await deps.sender.send({ conversationId: c.personalConversationId! }, cardActivity(request, { viewer: 'approver', approverUserIds: c.userId ? [c.userId] : [], now: deps.approvals.now() }));
    if (sent.status === 'sent' && sent.activityId) {
      await deps.approvals.recordCard(request.id, { conversationId: c.personalConversationId!, activityId: sent.activityId });
      asked.push(c.name ?? wordsOf(context).reply('approval.an'));
    }
  }
  const missed = contacts.length - asked.length;
  const told = asked.length > 0 ? said('approval.asked', { names: { names: asked, join: 'and' } }) : said('approval.askedNobody');
  await say(context, missed > 0 ? said('text.two', { first: told, second: said('approval.missed', { count: missed }) }) : told);
  return REQUESTED;
}

function refusalText(outcome: Exclude<Awaited<ReturnType<ApprovalService['request']>>, { kind: 'requested' }>, projectName: string): Said {
  switch (outcome.kind) {
    case 'noApprovers':
      return said('approval.noApprovers');
    case 'notRecurring':
      return said('approval.notRecurring');
    case 'projectNotFound':
      return said('project.notFound', { project: nameAsMeant(projectName) });
    case 'alreadyPending':
      return said('approval.alreadyPending', { project: outcome.request.projectName, recurrence: recurrenceWords(outcome.request.recurrence), by: outcome.request.requestedBy.name });
  }
}

/** "schedule PROJECT every N UNIT" and "history PROJECT". */
export function approvalCommands(deps: ApprovalCommandDeps): { schedule: CommandHandler; history: CommandHandler } {
  return {
    schedule: async (context, command) => {
      if (command.name !== 'schedule') return;
      const { project, recurrence, refused } = splitProjectAndRecurrence(command.project);
      if (!recurrence) {
        await say(context, refused ?? said('approval.howOften', { project }));
        return;
      }
      await requestSchedule(deps, context, project, recurrence);
    },
    history: async (context, command) => {
      if (command.name !== 'history') return;
      // As "run" takes a name: in any case (the stores match so) and in quotes; a display name, or one the stores do not
      // know, is looked up in the person's own list of projects, where the history is kept under the project's own name.
      const meant = nameAsMeant(command.project);
      const asker = { person: verifiedPerson(context.activity), conversationId: baseConversationId(context.activity.conversation.id) };
      let listed: Promise<ProjectSummary[]> | undefined;
      const ownList = () => (listed ??= deps.source(context).then((di) => di.listProjects()));
      let projectName = meant;
      let trail = await deps.approvals.trailFor(meant, asker);
      if (trail.entries.length === 0) {
        const named = await ownList().then((projects) => projectNamed(projects, command.project)?.name, () => undefined);
        if (named && named.toLowerCase() !== meant.toLowerCase()) trail = await deps.approvals.trailFor((projectName = named), asker);
      }
      // What the person was not shown already is theirs to see only when their own sign-in lists the project (local mode
      // has one person, who sees it all). Nothing is asked of the service when they saw it all, so that answers while it is down.
      const access = deps.onePerson || (!trail.hidden && trail.entries.length > 0) ? 'reads' : await mayRead(ownList(), trail.entries[0]?.projectName ?? projectName);
      const shown = access === 'reads' ? trail.entries : trail.seen;
      // The card shows the name as typed (its renderer makes it safe): echoing it here would escape it twice. A trail none of
      // which is shown is answered as a project nobody asked about: its stored name is not shown either.
      await sendCard(context, approvalHistoryCard(shown[0]?.projectName ?? projectName, shown, wordsOf(context)));
      if (access === 'signIn' || access === 'later') await say(context, shown.length > 0 && trail.hidden ? 'history.someHidden' : 'history.othersOnly', { why: access });
    },
  };
}

/**
 * Whether the person's own sign-in lists the project (`reads`), or does not (`no`: the service refused them the list
 * too); `signIn` or `later` when that could not be checked (no sign-in, or the service or the sign-in's lookup failed).
 */
async function mayRead(ownList: Promise<ProjectSummary[]>, projectName: string): Promise<'reads' | 'no' | 'signIn' | 'later'> {
  try {
    return (await ownList).some((p) => p.name.toLowerCase() === projectName.toLowerCase()) ? 'reads' : 'no';
  } catch (err) {
    // Anything else that failed (the token service, say) could not check either: the answer still shows what was seen.
    if (needsSignIn(err)) return 'signIn';
    return isDataIntegrationError(err, 'forbidden') ? 'no' : 'later';
  }
}
