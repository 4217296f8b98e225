import type { DataflowCardAlert, DataflowPresenter } from '../notifications/dataflowAlert';
import type { DataflowRefresh, TableRefresh } from '../integration/port';
import { type AdaptiveCardJson, cardAttachment, cardTemplate, factText, literal } from './cardRenderer';
import { cardDateTime, durationText } from './cardText';
import { dataflowWords as w, type DataflowWordId } from './dataflowWords';

/** Tables whose first error message the card shows; the rest are counted. */
export const CARD_TABLE_ERRORS = 3;

/** What the template shows; every sentence comes from dataflowWords. */
interface DataflowAlertData {
  headline: string;
  color: 'Good' | 'Attention' | 'Warning' | 'Default';
  facts: Array<{ title: string; value: string }>;
  details: string[];
  tablesHeading: string;
  tables: Array<{ line: string }>;
  errors: string[];
  signIn: boolean;
  dataflowId: string;
  makerUrl: string;
  labels: Record<'everyRefresh' | 'failuresOnly' | 'stop' | 'open' | 'signIn', string>;
}

const template = cardTemplate<DataflowAlertData>('dataflowAlert');

/** The environment's dataflows in the maker portal (no documented link to one dataflow's page). */
export function makerPortalUrl(environmentName: string): string {
  return `https://make.powerapps.com/environments/${encodeURIComponent(environmentName)}/dataintegration`;
}

const HEADLINES: Record<DataflowRefresh['outcome'], DataflowWordId> = {
  succeeded: 'refresh.succeeded', failed: 'refresh.failed', cancelled: 'refresh.cancelled', unrecognised: 'refresh.unrecognised',
};

/** The outcome as a person reads it; a status the bot does not recognise is shown exactly as Dataverse wrote it. */
export function outcomeText(refresh: Pick<DataflowRefresh, 'outcome' | 'status'>): string {
  if (refresh.outcome !== 'unrecognised') return w(`outcome.${refresh.outcome}`);
  return refresh.status ? w('outcome.unrecognised', { status: literal(refresh.status) }) : w('outcome.noStatus');
}

function count(n: number | undefined): string {
  return n === undefined ? w('table.unknownCount') : n.toLocaleString('en-US');
}

function tableParts(tables: readonly TableRefresh[] | undefined): Pick<DataflowAlertData, 'tables' | 'errors' | 'details'> {
  if (!tables) return { tables: [], errors: [], details: [w('tables.notRead')] };
  if (tables.length === 0) return { tables: [], errors: [], details: [w('tables.none')] };
  const lines = tables.map((t) => ({ line: w('table.line', { table: literal(t.tableName), inserted: count(t.inserted), upserted: count(t.upserted), errors: count(t.errors) }) }));
  const failing = tables.filter((t) => t.errorMessage);
  const errors = failing.slice(0, CARD_TABLE_ERRORS).map((t) => w('table.error', { table: literal(t.tableName), message: literal(t.errorMessage!) }));
  if (failing.length > CARD_TABLE_ERRORS) errors.push(w('table.moreErrors', { count: failing.length - CARD_TABLE_ERRORS }));
  return { tables: lines, errors, details: [] };
}

function refreshParts(alert: Extract<DataflowCardAlert, { kind: 'refresh' }>): Partial<DataflowAlertData> {
  const { refresh } = alert;
  const dataflow = literal(alert.dataflowName);
  const headline = refresh.outcome === 'unrecognised' && !refresh.status
    ? w('refresh.noStatus', { dataflow })
    : w(HEADLINES[refresh.outcome], { dataflow, status: literal(refresh.status) });
  const facts = [{ title: w('fact.environment'), value: factText(alert.environment.displayName || alert.environment.name) }, { title: w('fact.outcome'), value: outcomeText(refresh) }];
  if (refresh.startedAt) {
    facts.push({ title: w('fact.started'), value: cardDateTime(refresh.startedAt) });
    const ms = Date.parse(refresh.endedAt) - Date.parse(refresh.startedAt);
    if (Number.isFinite(ms) && ms >= 0) facts.push({ title: w('fact.duration'), value: durationText(ms) });
  }
  const parts = tableParts(alert.tables);
  const info = refresh.outcome !== 'succeeded' && refresh.errorInfo && parts.errors.length === 0 ? [w('refresh.errorInfo', { info: literal(refresh.errorInfo.slice(0, 500)) })] : [];
  const color = refresh.outcome === 'succeeded' ? 'Good' : refresh.outcome === 'failed' ? 'Attention' : 'Warning';
  return { headline, color, facts, ...parts, errors: [...parts.errors, ...info] };
}

/** The card of a dataflow alert: a refresh (outcome, timing, per-table counts, first errors), a stall, a return, or sign-in needed. */
export function dataflowAlertCard(alert: DataflowCardAlert): AdaptiveCardJson {
  const dataflow = literal(alert.dataflowName);
  const base: DataflowAlertData = {
    headline: '', color: 'Default', facts: [], details: [], tablesHeading: w('tables.heading'), tables: [], errors: [], signIn: false,
    dataflowId: alert.dataflowId, makerUrl: makerPortalUrl(alert.environment.name),
    labels: { everyRefresh: w('action.everyRefresh'), failuresOnly: w('action.failuresOnly'), stop: w('action.stop'), open: w('action.open'), signIn: w('action.signIn') },
  };
  const environment = [{ title: w('fact.environment'), value: factText(alert.environment.displayName || alert.environment.name) }];
  switch (alert.kind) {
    case 'refresh': return template({ ...base, ...refreshParts(alert) });
    case 'stalled': return template({
      ...base, color: 'Attention', facts: environment,
      headline: w('stalled.headline', { dataflow, last: cardDateTime(alert.lastRefreshAt) }),
      details: [w('stalled.detail', { interval: durationText(alert.usualIntervalMs) })],
    });
    case 'resumed': return template({
      ...base, color: 'Good', facts: environment, headline: w('resumed.headline', { dataflow }),
      details: [w('resumed.detail', { ended: cardDateTime(alert.refreshEndedAt), stalled: cardDateTime(alert.stalledAt) })],
    });
    case 'signInNeeded': return template({
      ...base, color: 'Warning', signIn: true, headline: w('signIn.headline', { dataflow }),
      details: [w('signIn.detail', { dataflow, owner: literal(alert.ownerName) })],
    });
  }
}

/** The notification line of an alert (plain text: the names as written). */
function summaryOf(alert: DataflowCardAlert): string {
  const dataflow = alert.dataflowName;
  switch (alert.kind) {
    case 'refresh': return w('summary.refresh', { dataflow, outcome: alert.refresh.outcome === 'unrecognised' ? alert.refresh.status : w(`outcome.${alert.refresh.outcome}`) });
    case 'stalled': return w('summary.stalled', { dataflow });
    case 'resumed': return w('summary.resumed', { dataflow });
    case 'signInNeeded': return w('summary.signIn', { dataflow });
  }
}

/** The dataflow watcher's alerts as cards. */
export const dataflowPresenter: DataflowPresenter = (alert) => ({ attachment: cardAttachment(dataflowAlertCard(alert)), summary: summaryOf(alert) });
