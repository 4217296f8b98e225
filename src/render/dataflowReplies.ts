import type { DataflowWatch } from '../notifications/dataflowWatchStore';
import { echo } from '../text/sanitize';
import { plainDateTime } from './cardText';
import { refreshOutcomeOf } from '../integration/port';
import { dataflowWords as w } from './dataflowWords';

/** The words for a notify level in a reply. */
export function levelWords(level: DataflowWatch['notifyLevel']): string {
  return level === 'failures' ? w('reply.levelFailures') : w('reply.levelAll');
}

/** "Watching A, B in Contoso here: every refresh…" after Watch. */
export function watchingReply(names: readonly string[], environment: string, level: DataflowWatch['notifyLevel'], inChannel: boolean): string {
  return w('reply.watching', {
    names: names.map((n) => `"${echo(n)}"`).join(', '), environment: echo(environment), level: levelWords(level),
    where: inChannel ? w('reply.whereChannel') : w('reply.whereChat'),
  });
}

/** A stored status in a text reply: a recognised outcome in words, any other value as written. */
function outcomeOf(status: string): string {
  const outcome = refreshOutcomeOf(status);
  if (outcome !== 'unrecognised') return w(`outcome.${outcome}`);
  return status ? `"${echo(status)}"` : w('outcome.noStatus');
}

/** The lines `status` adds for the conversation's watched dataflows; undefined when it watches none. */
export function watchedDataflowsText(watches: readonly DataflowWatch[]): string | undefined {
  if (watches.length === 0) return undefined;
  const lines = watches.map((d) => {
    const last = d.lastRefresh
      ? w('status.last', { outcome: outcomeOf(d.lastRefresh.status), ended: plainDateTime(d.lastRefresh.endedAt) })
      : w('status.never');
    return w('status.line', {
      dataflow: echo(d.dataflowName), environment: echo(d.environment.displayName || d.environment.name),
      last: `${last}${d.stalledAt ? w('status.stalled') : ''}`, level: levelWords(d.notifyLevel),
    });
  });
  return [w('status.heading'), ...lines].join('\n');
}
