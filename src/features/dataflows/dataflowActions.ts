import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { failureText } from '../../integration/errorCatalogue';
import type { DataIntegration, Environment } from '../../integration/port';
import type { DataflowWatchStore } from '../../notifications/dataflowWatchStore';
import { notifyLevelSchema } from '../../notifications/watchStore';
import { dataflowsPickCard, environmentPickCard } from '../../render/dataflowPickCard';
import { levelWords, watchingReply } from '../../render/dataflowReplies';
import { dataflowWords as w } from '../../render/dataflowWords';
import { answeredSetupCard } from '../../render/setupCards';
import { actorOf, type ActionReply, type CardAction } from '../../teams/cardActions';
import { baseConversationId } from '../../teams/conversationIds';
import { echo } from '../../text/sanitize';
import { VERBS } from '../../verbs';
import type { DataIntegrationSource } from '../integrationSource';

const environmentSchema = z.object({ environment: z.string().min(1).max(200) });
const watchSchema = environmentSchema.extend({
  dataflows: z.string().max(20_000).transform((s) => s.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean)).pipe(z.array(z.guid()).min(1).max(100)),
  level: notifyLevelSchema.exclude(['mute']).catch('all'),
});
const dataflowSchema = z.object({ dataflowId: z.guid().transform((id) => id.toLowerCase()) });
const levelSchema = dataflowSchema.extend({ level: notifyLevelSchema.exclude(['mute']) });

/** The environments a person can watch dataflows in: as setup lists them, those with a Dataverse database. */
export async function dataflowEnvironments(di: DataIntegration): Promise<Array<Environment & { instanceUrl: string; instanceApiUrl: string }>> {
  return (await di.listEnvironments()).filter((e): e is Environment & { instanceUrl: string; instanceApiUrl: string } => Boolean(e.instanceApiUrl && e.instanceUrl));
}

/** True in a Teams channel (each dataflow then gets its own thread). */
export const inChannel = (context: TurnContext): boolean => context.activity.conversation.conversationType === 'channel';

/** The buttons of "watch dataflows" and of the dataflow alerts. Reading acts with the clicker's sign-in; anyone in the conversation may change or stop a watch, as with project alerts. */
export function dataflowActions(source: DataIntegrationSource, store: DataflowWatchStore): Record<string, CardAction> {
  const conversationOf = (context: TurnContext) => baseConversationId(context.activity.conversation.id);
  return {
    [VERBS.dataflowPickEnvironment]: async (context, data) => {
      try {
        const di = await source(context);
        const environments = await dataflowEnvironments(di);
        const picked = environmentSchema.safeParse(data);
        const environment = picked.success ? environments.find((e) => e.name === picked.data.environment) : undefined;
        if (!environment) return { text: w('pick.environmentMissing'), card: environmentPickCard(environments, inChannel(context), w('pick.environmentMissing')), postCardOnSubmit: true };
        return { text: w('pick.title'), card: dataflowsPickCard(environment, await di.listDataflows(environment)), postCardOnSubmit: true };
      } catch (err) {
        return { text: failureText(err, 'list the dataflows') };
      }
    },
    [VERBS.dataflowWatch]: async (context, data): Promise<ActionReply> => {
      const owner = actorOf(context);
      if (!owner) return { text: w('reply.whoAreYou') };
      const parsed = watchSchema.safeParse(data);
      if (!parsed.success) return { text: w('pick.dataflowsMissing') };
      try {
        const di = await source(context);
        const environment = (await dataflowEnvironments(di)).find((e) => e.name === parsed.data.environment);
        if (!environment) return { text: w('pick.problemEnvironment') };
        const listed = await di.listDataflows(environment);
        const picked = parsed.data.dataflows.map((id) => listed.find((d) => d.id === id));
        if (picked.some((d) => !d)) return { text: w('pick.problemDataflows', { environment: echo(environment.displayName) }), card: dataflowsPickCard(environment, listed, w('pick.problemDataflows', { environment: environment.displayName })) };
        const { name, displayName, instanceUrl, instanceApiUrl } = environment;
        for (const d of picked) {
          await store.watch({ dataflowId: d!.id, dataflowName: d!.name, environment: { name, displayName, instanceUrl, instanceApiUrl }, conversationId: conversationOf(context), owner, notifyLevel: parsed.data.level });
        }
        const names = picked.map((d) => d!.name);
        return {
          text: watchingReply(names, displayName, parsed.data.level, inChannel(context)),
          card: answeredSetupCard(w('pick.title'), w('pick.answered', { names: names.join(', '), level: levelWords(parsed.data.level) })),
        };
      } catch (err) {
        return { text: failureText(err, 'watch the dataflows') };
      }
    },
    [VERBS.dataflowNotify]: async (context, data) => {
      const parsed = levelSchema.safeParse(data);
      if (!parsed.success) return { text: w('reply.missingDataflow') };
      const watch = await store.setNotifyLevel({ dataflowId: parsed.data.dataflowId, conversationId: conversationOf(context) }, parsed.data.level);
      if (!watch) return { text: w('reply.notWatched') };
      return { text: w('reply.levelChanged', { level: levelWords(watch.notifyLevel), dataflow: `"${echo(watch.dataflowName)}"` }) };
    },
    [VERBS.dataflowStop]: async (context, data) => {
      const parsed = dataflowSchema.safeParse(data);
      if (!parsed.success) return { text: w('reply.missingDataflow') };
      const key = { dataflowId: parsed.data.dataflowId, conversationId: conversationOf(context) };
      const watch = await store.get(key);
      if (!watch || !(await store.stop(key))) return { text: w('reply.notWatched') };
      return { text: w('reply.stopped', { dataflow: `"${echo(watch.dataflowName)}"` }) };
    },
  };
}
