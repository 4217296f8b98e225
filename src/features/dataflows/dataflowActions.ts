import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { failureText } from '../../integration/errorCatalogue';
import type { DataIntegration, Environment } from '../../integration/port';
import type { DataflowWatch, DataflowWatchStore } from '../../notifications/dataflowWatchStore';
import { notifyLevelSchema } from '../../notifications/watchStore';
import { dataflowsPickCard, environmentPickCard } from '../../render/dataflowPickCard';
import { cardMessage } from '../../render/cardRenderer';
import { deletedReply, levelWords, stoppedAlertCard, watchingReply } from '../../render/dataflowReplies';
import { answeredSetupCard } from '../../render/setupCards';
import type { ActionReply, CardAction } from '../../teams/cardActions';
import { baseConversationId } from '../../teams/conversationIds';
import { replyText, speechOf, wordsOf } from '../../teams/say';
import { actingPerson } from '../../person';
import { said, type Said, wordsFor } from '../../words/words';
import { VERBS } from '../../verbs';
import { DATAFLOW_FILTER_MAX } from '../../commands';
import type { ProactiveSender } from '../../notifications/proactiveSender';
import type { BackgroundWork } from '../backgroundWork';
import type { DataIntegrationSource } from '../integrationSource';

/** The name filter typed with "watch dataflows", which each step's button carries on ('' for none). */
const filterSchema = z.string().max(DATAFLOW_FILTER_MAX).catch('');
/** Watches started by one click (each is a write): more would outlast the few seconds Teams waits for the answer. */
const MAX_PICKED = 100;
const environmentSchema = z.object({ environment: z.string().min(1).max(200) });
const watchSchema = environmentSchema.extend({
  filter: filterSchema,
  dataflows: z.string().max(40_000).transform((s) => s.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean)).pipe(z.array(z.guid()).min(1).max(MAX_PICKED, { error: 'tooMany' })),
  level: notifyLevelSchema.exclude(['mute']).catch('all'),
});
const dataflowSchema = z.object({ dataflowId: z.guid().transform((id) => id.toLowerCase()) });
const levelSchema = dataflowSchema.extend({ level: notifyLevelSchema.exclude(['mute']) });

/** The environments a person can watch dataflows in: as setup lists them, those with a Dataverse database. */
export async function dataflowEnvironments(di: DataIntegration): Promise<Array<Environment & { instanceUrl: string; instanceApiUrl: string }>> {
  return (await di.listEnvironments()).filter((e): e is Environment & { instanceUrl: string; instanceApiUrl: string } => Boolean(e.instanceApiUrl && e.instanceUrl));
}

/** The environments whose shown name or id contains `part` (any case), as "watch dataflows in NAME" picks them. */
export function environmentsNamed<E extends Environment>(environments: readonly E[], part: string): E[] {
  const wanted = part.toLocaleLowerCase();
  return environments.filter((e) => [e.displayName, e.name].some((n) => n?.toLocaleLowerCase().includes(wanted)));
}

/**
 * A button of an alert whose dataflow is no longer watched here (stopped from a later alert of its thread): the
 * alert is frozen for everyone, so its buttons stop looking as if they would act.
 */
function noLongerWatched(context: TurnContext): ActionReply {
  return frozenAnswer(context, said('dataflow.stale.title'), said('dataflow.reply.notWatched'));
}

/**
 * A button of an alert whose watch ended because its dataflow was deleted (the watch is kept a while for this): it says
 * so, and the alert is frozen as for a watch no longer watched.
 */
function deletedDataflow(context: TurnContext, watch: DataflowWatch): ActionReply {
  return frozenAnswer(context, said('dataflow.stopped.title', { dataflow: watch.dataflowName }), deletedReply(watch));
}

/** The answer, and the clicked alert replaced by it for everyone (no button left on it). */
function frozenAnswer(context: TurnContext, stepTitle: Said, answer: Said): ActionReply {
  const card = answeredSetupCard({ stepTitle, answer }, wordsOf(context));
  return { text: replyText(context, answer), card, replacesCard: true };
}

/** What the dataflow buttons need from the composition root. */
export interface DataflowActionDeps {
  source: DataIntegrationSource;
  store: DataflowWatchStore;
  /** Freezes the alerts of a watch that stopped (at Teams' rate limits, as alerts are sent). */
  sender: Pick<ProactiveSender, 'update'>;
  background: BackgroundWork;
}

/**
 * Once a watch stops, every button of its alerts would only say it is no longer watched: each alert it kept
 * (but `clicked`, which the click itself replaces) is frozen for everyone, in the watch's language, after the
 * click is answered.
 */
function freezeAlerts(deps: DataflowActionDeps, watch: DataflowWatch, clicked: string | undefined, by: string | undefined): void {
  const cards = (watch.alertCards ?? []).filter((id) => id !== clicked);
  if (cards.length === 0) return;
  const activity = cardMessage(stoppedAlertCard(watch.dataflowName, by, wordsFor(watch.speaks)));
  deps.background.run('freeze the alerts of a dataflow no longer watched', async () => {
    for (const id of cards) await deps.sender.update(watch.conversationId, id, activity);
  });
}

/** True in a Teams channel (each dataflow then gets its own thread). */
export const inChannel = (context: TurnContext): boolean => context.activity.conversation.conversationType === 'channel';

/** The buttons of "watch dataflows" and of the dataflow alerts. Dataflows are read with the bot's own identity (the clicker's client, whose Dataverse calls carry it); anyone in the conversation may change or stop a watch, as with project alerts. */
export function dataflowActions(deps: DataflowActionDeps): Record<string, CardAction> {
  const { source, store } = deps;
  const conversationOf = (context: TurnContext) => baseConversationId(context.activity.conversation.id);
  return {
    [VERBS.dataflowPickEnvironment]: async (context, data) => {
      const words = wordsOf(context);
      try {
        const di = await source(context);
        const environments = await dataflowEnvironments(di);
        const picked = environmentSchema.safeParse(data);
        const filter = filterSchema.parse(data.filter);
        const environment = picked.success ? environments.find((e) => e.name === picked.data.environment) : undefined;
        if (!environment) {
          const missing = said('dataflow.pick.environmentMissing');
          return { text: words.reply(missing), card: environmentPickCard(environments, inChannel(context), missing, words, filter), postCardOnSubmit: true };
        }
        const card = dataflowsPickCard(environment, await di.listDataflows(environment), undefined, words, filter);
        return { text: words.reply('dataflow.pick.title'), card, postCardOnSubmit: true };
      } catch (err) {
        return { text: words.reply(failureText(err, said('what.listDataflows'))) };
      }
    },
    [VERBS.dataflowWatch]: async (context, data): Promise<ActionReply> => {
      const words = wordsOf(context);
      const person = actingPerson(context.activity);
      if (!person) return { text: words.reply('dataflow.reply.whoAreYou') };
      const owner = { aadObjectId: person.aadObjectId, name: person.name, userId: person.userId };
      const parsed = watchSchema.safeParse(data);
      if (!parsed.success) {
        const tooMany = parsed.error.issues.some((i) => i.message === 'tooMany');
        return { text: words.reply(tooMany ? said('dataflow.pick.tooMany', { max: MAX_PICKED }) : said('dataflow.pick.dataflowsMissing')) };
      }
      try {
        const di = await source(context);
        const environment = (await dataflowEnvironments(di)).find((e) => e.name === parsed.data.environment);
        if (!environment) return { text: words.reply('dataflow.pick.problemEnvironment') };
        const listed = await di.listDataflows(environment);
        const picked = parsed.data.dataflows.map((id) => listed.find((d) => d.id === id));
        if (picked.some((d) => !d)) {
          const problem = said('dataflow.pick.problemDataflows', { environment: environment.displayName || environment.name });
          return { text: words.reply(problem), card: dataflowsPickCard(environment, listed, problem, words, parsed.data.filter) };
        }
        const { name, displayName, instanceUrl, instanceApiUrl } = environment;
        for (const d of picked) {
          await store.watch({ dataflowId: d!.id, dataflowName: d!.name, environment: { name, displayName, instanceUrl, instanceApiUrl }, conversationId: conversationOf(context), owner, speaks: speechOf(context), notifyLevel: parsed.data.level });
        }
        const names = picked.map((d) => d!.name);
        return {
          text: words.reply(watchingReply(names, displayName || name, parsed.data.level, inChannel(context))),
          card: answeredSetupCard({ stepTitle: said('dataflow.pick.title'), answer: said('dataflow.pick.answered', { names: names.join(', '), level: levelWords(parsed.data.level) }) }, words),
        };
      } catch (err) {
        return { text: words.reply(failureText(err, said('what.watchDataflows'))) };
      }
    },
    [VERBS.dataflowNotify]: async (context, data) => {
      const parsed = levelSchema.safeParse(data);
      if (!parsed.success) return { text: replyText(context, 'dataflow.reply.missingDataflow') };
      const watch = await store.setNotifyLevel({ dataflowId: parsed.data.dataflowId, conversationId: conversationOf(context) }, parsed.data.level);
      if (!watch) return noLongerWatched(context);
      if (watch.deletedAt) return deletedDataflow(context, watch);
      return { text: replyText(context, 'dataflow.reply.levelChanged', { level: levelWords(watch.notifyLevel), dataflow: watch.dataflowName }) };
    },
    [VERBS.dataflowStop]: async (context, data) => {
      const parsed = dataflowSchema.safeParse(data);
      if (!parsed.success) return { text: replyText(context, 'dataflow.reply.missingDataflow') };
      const key = { dataflowId: parsed.data.dataflowId, conversationId: conversationOf(context) };
      const watch = await store.stop(key);
      if (!watch) return noLongerWatched(context);
      if (watch.deletedAt) return deletedDataflow(context, watch);
      // Answered means frozen: the alerts' buttons would only say it is no longer watched, the clicked one's and the others'.
      const by = actingPerson(context.activity)?.name;
      freezeAlerts(deps, watch, context.activity.replyToId, by);
      const card = stoppedAlertCard(watch.dataflowName, by, wordsOf(context));
      return { text: replyText(context, 'dataflow.reply.stopped', { dataflow: watch.dataflowName }), card, replacesCard: true };
    },
  };
}
