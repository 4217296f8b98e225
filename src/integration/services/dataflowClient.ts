import type { z } from 'zod';
import { DataIntegrationError } from '../errors';
import type { Dataflow, DataflowEnvironment, DataflowRefresh, TableRefresh } from '../dataflows';
import { refreshOutcomeOf } from '../dataflows';
import type { HttpClient } from '../http/httpClient';
import { collectPages } from '../http/pages';
import { ROUTES, type RouteSpec } from '../routes';
import {
  DATAFLOW_COLUMNS, dataflowPageWireSchema, dataflowRefreshPageWireSchema, type dataflowRefreshWireSchema, tableRefreshPageWireSchema,
  type tableRefreshWireSchema,
} from '../wire/dataflow';
import { dataverseWebApi, odataUrl, type WebApiOf } from './dataverseClient';

/**
 * Dataflow ids in one `$filter` at most: each costs about 75 characters once encoded, so a query stays near 8 KB,
 * far below the Web API's documented 32 KB URL limit (and below the 16 KB request line Node servers accept).
 */
export const MAX_DATAFLOWS_PER_QUERY = 100;
/** How far back the listing looks for each dataflow's last refresh (a week of a half-hourly dataflow is 336 rows). */
export const LAST_REFRESH_LOOKBACK_DAYS = 7;
/** The columns the listing reads of each refresh of the window: enough for "last refresh: outcome, time". */
const LAST_REFRESH_COLUMNS = ['msdyn_dataflowrefreshhistoryid', 'msdyn_dataflowid', 'msdyn_refreshstatus', 'msdyn_starttime', 'msdyn_endtime'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

/** The documented dataflow tables of an environment's Dataverse, read with the token WhoAmI uses. */
export class DataflowClient {
  constructor(private readonly http: HttpClient, private readonly webApi: WebApiOf = dataverseWebApi(), private readonly now: () => number = Date.now) {}

  /** The environment's dataflows by name, each with its last refresh that ended in the look-back window. */
  async listDataflows(environment: DataflowEnvironment): Promise<Dataflow[]> {
    const rows = await this.read(environment, ROUTES.listDataflows, dataflowPageWireSchema, {
      $select: DATAFLOW_COLUMNS.dataflow.join(','), $orderby: 'msdyn_name asc',
    });
    const since = new Date(this.now() - LAST_REFRESH_LOOKBACK_DAYS * DAY_MS).toISOString();
    const recent = await this.refreshes(environment, `msdyn_endtime gt ${since}`, 'desc', LAST_REFRESH_COLUMNS);
    const last = new Map<string, DataflowRefresh>();
    for (const refresh of recent) if (!last.has(refresh.dataflowId)) last.set(refresh.dataflowId, refresh);
    return rows.map((row) => {
      const id = row.msdyn_dataflowid.toLowerCase();
      const lastRefresh = last.get(id);
      return {
        id, name: row.msdyn_name ?? '', active: (row.statecode ?? 0) === 0,
        ...(row.msdyn_description ? { description: row.msdyn_description } : {}), ...(lastRefresh ? { lastRefresh } : {}),
      };
    });
  }

  /** Every dataflow id the environment lists: the whole table, no filter, pages followed (collectPages rejects rather than stop short). */
  async listedDataflowIds(environment: DataflowEnvironment): Promise<string[]> {
    const rows = await this.read(environment, ROUTES.listDataflows, dataflowPageWireSchema, { $select: 'msdyn_dataflowid' });
    return rows.map((row) => row.msdyn_dataflowid.toLowerCase());
  }

  /** Every refresh of the dataflows that ended after `since`, oldest end first; one query per MAX_DATAFLOWS_PER_QUERY ids. */
  async refreshesEndedSince(environment: DataflowEnvironment, dataflowIds: readonly string[], since: string): Promise<DataflowRefresh[]> {
    const ids = [...new Set(dataflowIds.filter((id) => GUID.test(id)).map((id) => id.toLowerCase()))];
    if (ids.length === 0) return [];
    if (Number.isNaN(Date.parse(since))) {
      throw new DataIntegrationError(`"${since}" is not a time`, { service: 'dataverse', code: 'validation' });
    }
    const after = new Date(since).toISOString();
    const found: DataflowRefresh[] = [];
    for (let start = 0; start < ids.length; start += MAX_DATAFLOWS_PER_QUERY) {
      const chunk = ids.slice(start, start + MAX_DATAFLOWS_PER_QUERY);
      // Both history tables hold the dataflow id as a String column: a quoted literal, not a GUID one.
      const which = chunk.map((id) => `msdyn_dataflowid eq '${id}'`).join(' or ');
      found.push(...await this.refreshes(environment, `(${which}) and msdyn_endtime gt ${after}`, 'asc'));
    }
    return ids.length > MAX_DATAFLOWS_PER_QUERY ? found.sort((a, b) => Date.parse(a.endedAt) - Date.parse(b.endedAt)) : found;
  }

  /** The tables one refresh loaded, by table name. */
  async tableRefreshes(environment: DataflowEnvironment, refreshId: string): Promise<TableRefresh[]> {
    if (!GUID.test(refreshId)) return [];
    const rows = await this.read(environment, ROUTES.listTableRefreshes, tableRefreshPageWireSchema, {
      $select: DATAFLOW_COLUMNS.tableRefresh.join(','),
      $filter: `_msdyn_dataflowhistorylookup_value eq ${refreshId.toLowerCase()}`,
      $orderby: 'msdyn_entityname asc',
    });
    return rows.map(toTableRefresh);
  }

  private async refreshes(environment: DataflowEnvironment, filter: string, order: 'asc' | 'desc', columns: readonly string[] = DATAFLOW_COLUMNS.refresh): Promise<DataflowRefresh[]> {
    const rows = await this.read(environment, ROUTES.listDataflowRefreshes, dataflowRefreshPageWireSchema, {
      $select: columns.join(','), $filter: filter, $orderby: `msdyn_endtime ${order}`,
    });
    return rows.flatMap(toRefresh);
  }

  private read<Row>(environment: DataflowEnvironment, route: RouteSpec, schema: z.ZodType<{ value: Row[]; nextLink?: string | null }>, query: Record<`$${string}`, string>): Promise<Row[]> {
    const call = this.webApi(environment);
    return collectPages(this.http, { ...call, route, schema, url: odataUrl(call.baseUrl, route, query) });
  }
}

const present = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;
const optional = <K extends string, T>(key: K, value: T | null | undefined): Partial<Record<K, T>> =>
  (present(value) && value !== '' ? { [key]: value } as Record<K, T> : {});

/** A refresh row in domain terms; a row without an end time (still running, or never finished) is left out. */
function toRefresh(row: z.infer<typeof dataflowRefreshWireSchema>): DataflowRefresh[] {
  if (!row.msdyn_endtime) return [];
  const status = row.msdyn_refreshstatus ?? '';
  return [{
    id: row.msdyn_dataflowrefreshhistoryid.toLowerCase(), dataflowId: (row.msdyn_dataflowid ?? '').toLowerCase(),
    status, outcome: refreshOutcomeOf(status), endedAt: row.msdyn_endtime,
    ...optional('dataflowName', row.msdyn_dataflowname), ...optional('refreshType', row.msdyn_refreshtype),
    ...optional('startedAt', row.msdyn_starttime), ...optional('errorInfo', row.msdyn_errorinfojson?.slice(0, 4000)),
  }];
}

function toTableRefresh(row: z.infer<typeof tableRefreshWireSchema>): TableRefresh {
  const status = row.msdyn_refreshstatus ?? '';
  return {
    tableName: row.msdyn_entityname ?? '', status, outcome: refreshOutcomeOf(status),
    ...optional('inserted', row.msdyn_insertcount), ...optional('upserted', row.msdyn_upsertcount), ...optional('errors', row.msdyn_errorcount),
    ...optional('errorCode', row.msdyn_errorinfoerrorcode), ...optional('errorMessage', row.msdyn_errorinfoerrormessage),
    ...optional('startedAt', row.msdyn_starttime), ...optional('endedAt', row.msdyn_endtime),
  };
}
