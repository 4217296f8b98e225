/**
 * Power Query dataflows of a Dataverse environment and their refresh history, in domain terms (read-only: no
 * documented API starts a refresh or changes a schedule). Times are ISO 8601 strings.
 */
/**
 * What the bot makes of a refresh status. The status column is a documented String whose values Learn does not list:
 * only the few words below are recognised (inferred, not yet seen in a tenant's rows: a capture checked with
 * `npm run tenant-check` shows the real ones); any other value is `unrecognised`, shown exactly as Dataverse wrote it
 * and never given a meaning.
 */
export type RefreshOutcome = 'succeeded' | 'failed' | 'cancelled' | 'unrecognised';

/** The status values recognised, lower-cased (inferred, see RefreshOutcome). */
const RECOGNISED: Readonly<Record<string, Exclude<RefreshOutcome, 'unrecognised'>>> = {
  success: 'succeeded', succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled', canceled: 'cancelled',
};

/** The outcome a raw `msdyn_refreshstatus` stands for, as far as the bot recognises it. */
export function refreshOutcomeOf(status: string): RefreshOutcome {
  return RECOGNISED[status.trim().toLowerCase()] ?? 'unrecognised';
}

/**
 * The `msdyn_refreshtype` values read as "started by hand" (lower-cased, spaces, hyphens and underscores dropped). The
 * column is a documented String whose values Learn does not list: inferred, as the statuses are (a capture checked with
 * `npm run tenant-check` shows the real ones).
 */
const BY_HAND = new Set(['manual', 'ondemand']);

/**
 * Whether a refresh's type says someone started it by hand: only such a refresh is known not to come from a schedule.
 * Any other value, or none, may (a flow that refreshes the dataflow every hour through the connector is a schedule too).
 */
export function refreshedByHand(refreshType: string | undefined): boolean {
  return refreshType !== undefined && BY_HAND.has(refreshType.toLowerCase().replace(/[\s_-]/g, ''));
}

/** Where a dataflow lives: an environment's name and the Dataverse URLs its history is read from (part of the port's Environment). */
export interface DataflowEnvironment {
  name: string;
  displayName: string;
  /** Public instance URL, e.g. https://contososales.crm.dynamics.com (also the token audience). */
  instanceUrl?: string;
  /** Web API root used for calls (in the sandbox it points at loopback). */
  instanceApiUrl?: string;
}

/** One finished refresh of a dataflow (a row of msdyn_dataflowrefreshhistory with an end time). */
export interface DataflowRefresh {
  /** msdyn_dataflowrefreshhistoryid. */
  id: string;
  /** The dataflow's id, lower-case. */
  dataflowId: string;
  dataflowName?: string;
  /** msdyn_refreshstatus exactly as written ('' when empty). */
  status: string;
  outcome: RefreshOutcome;
  /** msdyn_refreshtype as written (values not documented; see refreshedByHand). */
  refreshType?: string;
  startedAt?: string;
  endedAt: string;
  /** msdyn_errorinfojson as written (its format is not documented), at most 4,000 characters. */
  errorInfo?: string;
}

/** A dataflow, with its last finished refresh when one ended within the look-back window of the listing. */
export interface Dataflow {
  /** msdyn_dataflowid, lower-case. */
  id: string;
  name: string;
  description?: string;
  /** statecode 0 (Active); an inactive dataflow is listed but does not refresh. */
  active: boolean;
  lastRefresh?: DataflowRefresh;
}

/** One table loaded by a refresh (a row of msdyn_entityrefreshhistory). Counts are absent when Dataverse left them empty. */
export interface TableRefresh {
  tableName: string;
  status: string;
  outcome: RefreshOutcome;
  inserted?: number;
  upserted?: number;
  errors?: number;
  errorCode?: string;
  errorMessage?: string;
  startedAt?: string;
  endedAt?: string;
}

/** The dataflow part of the port: reads of the documented Dataverse tables, with the same token as WhoAmI. */
export interface DataflowHistory {
  /**
   * The dataflows of an environment by name, each with its last refresh that ended in the last
   * LAST_REFRESH_LOOKBACK_DAYS days: two queries (the dataflows, then the refreshes of the window), pages followed.
   */
  listDataflows(environment: DataflowEnvironment | string): Promise<Dataflow[]>;
  /**
   * The id of every dataflow the environment lists (lower-case): one query of msdyn_dataflows with no `$filter` and
   * no `$top`, every page followed. It answers only a whole listing: a failed page, a page that is not a list or more
   * pages than the client follows reject instead, so a dataflow left out of the answer is one the table does not hold
   * (for this identity).
   */
  listedDataflowIds(environment: DataflowEnvironment | string): Promise<string[]>;
  /**
   * Every refresh of the given dataflows whose end time is after `since`, oldest end first: one OData query
   * (`$filter` on the ids and `msdyn_endtime gt since`, `$orderby`, `$select`, `@odata.nextLink` followed) for up to
   * MAX_DATAFLOWS_PER_QUERY ids. Ids that are not GUIDs are never sent. A string environment costs a BAP call first.
   */
  refreshesEndedSince(environment: DataflowEnvironment | string, dataflowIds: readonly string[], since: string): Promise<DataflowRefresh[]>;
  /** The tables one refresh loaded, by table name: one query on the lookup from msdyn_entityrefreshhistory to its refresh. */
  tableRefreshes(environment: DataflowEnvironment | string, refreshId: string): Promise<TableRefresh[]>;
}
