import type { DataflowWatch } from '../notifications/dataflowWatchStore';
import { refreshOutcomeOf } from '../integration/port';
import { said, type Said, type Words } from '../words/words';
import type { AdaptiveCardJson } from './cardRenderer';
import { outcomeWords } from './dataflowCards';
import { answeredSetupCard } from './setupCards';

/** The words for a notify level in a reply. */
export function levelWords(level: DataflowWatch['notifyLevel']): Said {
  return said(level === 'failures' ? 'dataflow.reply.levelFailures' : 'dataflow.reply.levelAll');
}

/** "Watching "A", "B" in Contoso here: every refresh…" after Watch. */
export function watchingReply(names: readonly string[], environment: string, level: DataflowWatch['notifyLevel'], inChannel: boolean): Said {
  return said('dataflow.reply.watching', {
    names: { names, join: 'and' }, environment, level: levelWords(level),
    where: said(inChannel ? 'dataflow.reply.whereChannel' : 'dataflow.reply.whereChat'),
  });
}

/** What a dataflow's alerts become once it is no longer watched (who stopped it, when known): no button is left on them. */
export function stoppedAlertCard(dataflow: string, by: string | undefined, words: Words): AdaptiveCardJson {
  const answer = by ? said('dataflow.stopped.by', { who: by, dataflow }) : said('dataflow.reply.stopped', { dataflow });
  return answeredSetupCard({ stepTitle: said('dataflow.stopped.title', { dataflow }), answer }, words);
}

/** What a button of an alert answers once its watch ended with the dataflow deleted: that it no longer exists, and how to pick it again if recreated. */
export function deletedReply(watch: Pick<DataflowWatch, 'dataflowName' | 'environment'>): Said {
  return said('dataflow.reply.deleted', { dataflow: watch.dataflowName, environment: watch.environment.displayName || watch.environment.name });
}

/** A stored status in a text reply: a recognised outcome in words, any other value as written. */
function outcomeOf(status: string): Said {
  const outcome = refreshOutcomeOf(status);
  if (outcome !== 'unrecognised' || !status) return outcomeWords({ outcome, status });
  return said('dataflow.status.outcomeAsWritten', { status });
}

/**
 * How many watched dataflows `status` lists: it is one reply, which Teams refuses past about 28 KB, and a line may reach
 * some 600 bytes (a 100-character name and environment, escaped); the rest are counted.
 */
export const STATUS_DATAFLOWS_SHOWN = 40;

/** Which watched dataflows `status` lists first: stalled, then last refreshed with a failure, then the others as kept. */
const needsALook = (d: DataflowWatch) => (d.stalledAt ? 0 : d.lastRefresh?.outcome === 'failed' ? 1 : 2);

/** The lines `status` adds for the conversation's watched dataflows, one sentence each; undefined when it watches none. */
export function watchedDataflowsWords(watches: readonly DataflowWatch[]): Said[] | undefined {
  if (watches.length === 0) return undefined;
  const shown = watches.map((d, i) => ({ d, i })).sort((a, b) => needsALook(a.d) - needsALook(b.d) || a.i - b.i).slice(0, STATUS_DATAFLOWS_SHOWN);
  const lines = shown.map(({ d }) => {
    const last = d.lastRefresh
      ? said('dataflow.status.last', { outcome: outcomeOf(d.lastRefresh.status), ended: { moment: d.lastRefresh.endedAt } })
      : said('dataflow.status.never');
    return said(d.stalledAt ? 'dataflow.status.lineStalled' : 'dataflow.status.line', {
      dataflow: d.dataflowName, environment: d.environment.displayName || d.environment.name, last, level: levelWords(d.notifyLevel),
    });
  });
  const more = watches.length - shown.length;
  return [said('dataflow.status.heading'), ...lines, ...(more > 0 ? [said('dataflow.status.more', { count: more })] : [])];
}
