import type { DataflowCardAlert, DataflowPresenter } from '../notifications/dataflowAlert';
import type { DataflowRefresh, TableRefresh } from '../integration/port';
import { ENGLISH, said, type CardText, type MessageId, type Said, type Words } from '../words/words';
import { type AdaptiveCardJson, cardAttachment, cardTemplate } from './cardRenderer';
import { durationFact, durationWords } from './cardText';

/** Tables whose first error message the card shows; the rest are counted. */
export const CARD_TABLE_ERRORS = 3;
/**
 * Tables the card lists at most; the rest are counted. A line weighs about 140 bytes, 500 at most (a name of 200
 * characters outside ASCII), so even the longest card stays below the 28 KB Teams accepts: without a bound a refresh
 * of about 190 tables made a card Teams refused, and its alert never went out.
 */
export const CARD_TABLES = 40;

type Facts = Array<{ title: CardText; value: CardText }>;

/** What the template shows; every sentence comes from the catalogue. */
interface DataflowAlertData {
  headline: CardText;
  facts: Facts;
  details: CardText[];
  tables: Array<{ line: CardText }>;
  errors: CardText[];
  dataflowId: string;
  makerUrl: string;
  /** False once the watch ended: its buttons would act on nothing (the link to the environment's dataflows stays). */
  watching: boolean;
}

const template = cardTemplate<DataflowAlertData>('dataflowAlert');

/** The environment's dataflows in the maker portal (no documented link to one dataflow's page). */
export function makerPortalUrl(environmentName: string): string {
  return `https://make.powerapps.com/environments/${encodeURIComponent(environmentName)}/dataintegration`;
}

const HEADLINES: Record<DataflowRefresh['outcome'], MessageId> = {
  succeeded: 'dataflow.refresh.succeeded', failed: 'dataflow.refresh.failed', cancelled: 'dataflow.refresh.cancelled', unrecognised: 'dataflow.refresh.unrecognised',
};
const OUTCOMES: Record<Exclude<DataflowRefresh['outcome'], 'unrecognised'>, MessageId> = {
  succeeded: 'dataflow.outcome.succeeded', failed: 'dataflow.outcome.failed', cancelled: 'dataflow.outcome.cancelled',
};

/** The outcome as a person reads it; a status the bot does not recognise is shown exactly as Dataverse wrote it. */
export function outcomeWords(refresh: Pick<DataflowRefresh, 'outcome' | 'status'>): Said {
  if (refresh.outcome !== 'unrecognised') return said(OUTCOMES[refresh.outcome]);
  return refresh.status ? said('dataflow.outcome.unrecognised', { status: refresh.status }) : said('dataflow.outcome.noStatus');
}

const count = (n: number | undefined): number | Said => (n === undefined ? said('dataflow.table.unknownCount') : n);

function tableParts(tables: readonly TableRefresh[] | undefined, w: Words): Pick<DataflowAlertData, 'tables' | 'errors' | 'details'> {
  if (!tables) return { tables: [], errors: [], details: [w.card('dataflow.tables.notRead')] };
  if (tables.length === 0) return { tables: [], errors: [], details: [w.card('dataflow.tables.none')] };
  // Over the bound, the tables that did not load well come first, so none of them is among those only counted.
  const troubled = (t: TableRefresh) => t.outcome !== 'succeeded' || (t.errors ?? 0) > 0;
  const listed = tables.length <= CARD_TABLES ? tables : [...tables.filter(troubled), ...tables.filter((t) => !troubled(t))].slice(0, CARD_TABLES);
  // errorCount picks "error" or "errors"; an unknown count reads as many ("? errors").
  const lines = listed.map((t) => ({ line: w.card('dataflow.table.line', { table: t.tableName, inserted: count(t.inserted), upserted: count(t.upserted), errors: count(t.errors), errorCount: t.errors ?? 0 }) }));
  if (tables.length > listed.length) lines.push({ line: w.card('dataflow.tables.more', { count: tables.length - listed.length }) });
  const failing = tables.filter((t) => t.errorMessage);
  const errors = failing.slice(0, CARD_TABLE_ERRORS).map((t) => w.card('dataflow.table.error', { table: t.tableName, message: { long: t.errorMessage! } }));
  if (failing.length > CARD_TABLE_ERRORS) errors.push(w.card('dataflow.table.moreErrors', { count: failing.length - CARD_TABLE_ERRORS }));
  return { tables: lines, errors, details: [] };
}

const environmentName = (alert: DataflowCardAlert): string => alert.environment.displayName || alert.environment.name;

function environmentFact(alert: DataflowCardAlert, w: Words): Facts {
  return [{ title: w.card('dataflow.fact.environment'), value: w.card('text.asGiven', { text: environmentName(alert) }) }];
}

function refreshParts(alert: Extract<DataflowCardAlert, { kind: 'refresh' }>, w: Words): Partial<DataflowAlertData> {
  const { refresh } = alert;
  const dataflow = alert.dataflowName;
  const headline = refresh.outcome === 'unrecognised' && !refresh.status
    ? w.card('dataflow.refresh.noStatus', { dataflow })
    : w.card(HEADLINES[refresh.outcome], { dataflow, status: refresh.status });
  const facts = [...environmentFact(alert, w), { title: w.card('dataflow.fact.outcome'), value: w.card(outcomeWords(refresh)) }];
  if (refresh.startedAt) {
    facts.push({ title: w.card('dataflow.fact.started'), value: w.card('text.asGiven', { text: { moment: refresh.startedAt } }) });
    const ms = Date.parse(refresh.endedAt) - Date.parse(refresh.startedAt);
    if (Number.isFinite(ms) && ms >= 0) facts.push(...durationFact(ms, w));
  }
  const parts = tableParts(alert.tables, w);
  const info = refresh.outcome !== 'succeeded' && refresh.errorInfo && parts.errors.length === 0 ? [w.card('dataflow.refresh.errorInfo', { info: { long: refresh.errorInfo } })] : [];
  return { headline, facts, ...parts, errors: [...parts.errors, ...info] };
}

/** The card of a dataflow alert: a refresh (outcome, timing, per-table counts, first errors), a stall, a return, unreadable, or gone. */
export function dataflowAlertCard(alert: DataflowCardAlert, w: Words = ENGLISH): AdaptiveCardJson {
  const dataflow = alert.dataflowName;
  const base: DataflowAlertData = {
    headline: w.card('text.asGiven', { text: dataflow }), facts: [], details: [], tables: [], errors: [],
    dataflowId: alert.dataflowId, makerUrl: makerPortalUrl(alert.environment.name), watching: alert.kind !== 'gone',
  };
  switch (alert.kind) {
    case 'refresh': return template({ ...base, ...refreshParts(alert, w) }, w);
    case 'stalled': return template({
      ...base, facts: environmentFact(alert, w),
      headline: w.card('dataflow.stalled.headline', { dataflow, last: { moment: alert.lastRefreshAt } }),
      details: [w.card('dataflow.stalled.detail', { interval: durationWords(alert.usualIntervalMs) })],
    }, w);
    case 'resumed': return template({
      ...base, facts: environmentFact(alert, w), headline: w.card('dataflow.resumed.headline', { dataflow }),
      details: [w.card('dataflow.resumed.detail', { ended: { moment: alert.refreshEndedAt }, stalled: { moment: alert.stalledAt } })],
    }, w);
    case 'unreadable': return template({
      ...base, facts: environmentFact(alert, w), headline: w.card('dataflow.unreadable.headline', { dataflow, more: alert.more }),
      details: [w.card('dataflow.unreadable.detail', { why: alert.why, next: alert.next })],
    }, w);
    case 'gone': return template({
      ...base, facts: environmentFact(alert, w), headline: w.card('dataflow.gone.headline', { dataflow, environment: environmentName(alert) }),
      details: [w.card('dataflow.gone.detail')],
    }, w);
  }
}

/** The notification line of an alert. */
function summaryOf(alert: DataflowCardAlert): Said {
  const dataflow = alert.dataflowName;
  switch (alert.kind) {
    // A status the bot does not know, as written (shorter than the card's "(as Dataverse wrote it)"); none at all is said so.
    case 'refresh': return said('dataflow.summary.refresh', { dataflow, outcome: alert.refresh.outcome === 'unrecognised' && alert.refresh.status ? alert.refresh.status : outcomeWords(alert.refresh) });
    case 'stalled': return said('dataflow.summary.stalled', { dataflow });
    case 'resumed': return said('dataflow.summary.resumed', { dataflow });
    case 'unreadable': return said('dataflow.summary.unreadable', { dataflow, more: alert.more });
    case 'gone': return said('dataflow.summary.gone', { dataflow });
  }
}

/** The dataflow watcher's alerts as cards, in the given words. */
export const dataflowPresenter: DataflowPresenter = Object.assign(
  (alert: DataflowCardAlert, w: Words) => ({ attachment: cardAttachment(dataflowAlertCard(alert, w)), summary: w.reply(summaryOf(alert)) }),
  { prepare: () => template.prepare() },
);
