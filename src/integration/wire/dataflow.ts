/**
 * The Dataverse tables of the "Power Platform Dataflows" solution, as Learn's table reference documents them
 * (msdyn_dataflow, msdyn_dataflowrefreshhistory, msdyn_entityrefreshhistory; Web API v9.2).
 *
 * Documented: the entity sets, every column named below and its type (Guid, String with its MaxLength, Integer,
 * DateTime as an ISO 8601 DateTimeOffset, Memo), the lookup from a table's row to its refresh.
 * Not documented, so never interpreted here: the values of `msdyn_refreshstatus` (a plain String of at most 100
 * characters, no option set), the format of `msdyn_refreshsettings` / `msdyn_refreshhistory` / `msdyn_errorinfojson`.
 * Inferred: that the history rows' `msdyn_dataflowid` (a String) holds the dataflow's `msdyn_dataflowid` (a Guid),
 * and that the lookup `msdyn_dataflowhistorylookup` is filled; the client reads both and shows what it finds.
 */
import { z } from 'zod';

/** The entity sets (documented EntitySetName of each table). */
export const DATAFLOW_ENTITY_SETS = {
  dataflow: 'msdyn_dataflows',
  refresh: 'msdyn_dataflowrefreshhistories',
  tableRefresh: 'msdyn_entityrefreshhistories',
} as const;

/** Text columns: the documented MaxLength is what Dataverse holds; the schema accepts longer rather than fail a poll. */
const text = z.string().nullish();
/** DateTime columns (UserLocal behaviour): the Web API answers an ISO 8601 date-time with offset, or null. */
const dateTime = z.iso.datetime({ offset: true }).nullish();
/** Integer columns (Int32 in the Web API). */
const count = z.number().int().nullish();

/** msdyn_dataflow: one row per dataflow (`msdyn_refreshsettings`, a Memo with no published format, is not read). */
export const dataflowWireSchema = z.object({
  msdyn_dataflowid: z.guid(),
  msdyn_name: text,
  msdyn_description: text,
  /** State (documented option set): 0 Active, 1 Inactive. */
  statecode: z.number().int().nullish(),
  modifiedon: dateTime,
});

/** msdyn_dataflowrefreshhistory: one row per refresh of a dataflow. */
export const dataflowRefreshWireSchema = z.object({
  msdyn_dataflowrefreshhistoryid: z.guid(),
  msdyn_dataflowid: text,
  msdyn_dataflowname: text,
  /** Documented as a String of at most 100 characters; its values are not listed. */
  msdyn_refreshstatus: text,
  msdyn_refreshtype: text,
  msdyn_starttime: dateTime,
  msdyn_endtime: dateTime,
  msdyn_errorinfojson: text,
  msdyn_jobid: text,
});

/** msdyn_entityrefreshhistory: one row per table a refresh loaded; `_msdyn_dataflowhistorylookup_value` is its refresh (Web API lookup property). */
export const tableRefreshWireSchema = z.object({
  msdyn_entityrefreshhistoryid: z.guid(),
  _msdyn_dataflowhistorylookup_value: z.guid().nullish(),
  msdyn_dataflowid: text,
  msdyn_entityname: text,
  msdyn_refreshstatus: text,
  msdyn_starttime: dateTime,
  msdyn_endtime: dateTime,
  msdyn_insertcount: count,
  msdyn_upsertcount: count,
  msdyn_errorcount: count,
  msdyn_errorinfoerrorcode: text,
  msdyn_errorinfoerrormessage: text,
});

/** The columns the client asks for (`$select`), per table: exactly the keys of its schema. */
export const DATAFLOW_COLUMNS = {
  dataflow: Object.keys(dataflowWireSchema.shape),
  refresh: Object.keys(dataflowRefreshWireSchema.shape),
  tableRefresh: Object.keys(tableRefreshWireSchema.shape),
};

/** A Dataverse page: rows, and `@odata.nextLink` while more follow (renamed `nextLink`, as collectPages reads it). */
function odataPage<T extends z.ZodType>(row: T) {
  return z.object({ value: z.array(row), '@odata.nextLink': z.string().nullish() })
    .transform(({ value, '@odata.nextLink': nextLink }) => ({ value, nextLink }));
}

/** A page of `GET msdyn_dataflows`. */
export const dataflowPageWireSchema = odataPage(dataflowWireSchema);
/** A page of `GET msdyn_dataflowrefreshhistories`. */
export const dataflowRefreshPageWireSchema = odataPage(dataflowRefreshWireSchema);
/** A page of `GET msdyn_entityrefreshhistories`. */
export const tableRefreshPageWireSchema = odataPage(tableRefreshWireSchema);

/** Wire types, as the sandbox writes them. */
export type DataflowWire = z.input<typeof dataflowWireSchema>;
/** A refresh row on the wire. */
export type DataflowRefreshWire = z.input<typeof dataflowRefreshWireSchema>;
/** A per-table row on the wire. */
export type TableRefreshWire = z.input<typeof tableRefreshWireSchema>;
