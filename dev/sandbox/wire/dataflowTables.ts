/**
 * The three tables of the "Power Platform Dataflows" solution as the sandbox serves them, read from Learn's table
 * reference independently of the bot's client (src/integration/wire/dataflow.ts): the contract tests compare both.
 * Columns are Web API names: a lookup `x` is the property `_x_value`.
 */

/** The Edm types of the columns the sandbox keeps. */
export type ColumnType = 'guid' | 'string' | 'int' | 'datetime';

/** An entity set: its table's logical name, its key, and its columns with their types. */
export interface DataflowTable {
  entity: string;
  idColumn: string;
  columns: Readonly<Record<string, ColumnType>>;
}

const common: Readonly<Record<string, ColumnType>> = { createdon: 'datetime', modifiedon: 'datetime', statecode: 'int', statuscode: 'int' };

/** The entity sets, by their Web API names. */
export const DATAFLOW_TABLES = {
  msdyn_dataflows: {
    entity: 'msdyn_dataflow', idColumn: 'msdyn_dataflowid',
    columns: { ...common, msdyn_dataflowid: 'guid', msdyn_name: 'string', msdyn_description: 'string', msdyn_refreshsettings: 'string' },
  },
  msdyn_dataflowrefreshhistories: {
    entity: 'msdyn_dataflowrefreshhistory', idColumn: 'msdyn_dataflowrefreshhistoryid',
    columns: {
      ...common, msdyn_dataflowrefreshhistoryid: 'guid', msdyn_name: 'string', msdyn_dataflowid: 'string', msdyn_dataflowname: 'string',
      msdyn_refreshstatus: 'string', msdyn_refreshtype: 'string', msdyn_starttime: 'datetime', msdyn_endtime: 'datetime',
      msdyn_errorinfojson: 'string', msdyn_jobid: 'string', msdyn_requestid: 'string', msdyn_transactionid: 'string',
    },
  },
  msdyn_entityrefreshhistories: {
    entity: 'msdyn_entityrefreshhistory', idColumn: 'msdyn_entityrefreshhistoryid',
    columns: {
      ...common, msdyn_entityrefreshhistoryid: 'guid', _msdyn_dataflowhistorylookup_value: 'guid', msdyn_name: 'string',
      msdyn_dataflowid: 'string', msdyn_dataflowname: 'string', msdyn_entityname: 'string', msdyn_refreshstatus: 'string',
      msdyn_starttime: 'datetime', msdyn_endtime: 'datetime', msdyn_insertcount: 'int', msdyn_upsertcount: 'int', msdyn_errorcount: 'int',
      msdyn_errorinfoerrorcode: 'string', msdyn_errorinfoerrormessage: 'string', msdyn_transactionid: 'string',
    },
  },
} as const satisfies Record<string, DataflowTable>;

/** The name of a dataflow entity set. */
export type DataflowSetName = keyof typeof DATAFLOW_TABLES;

/** A row as the Web API answers it (without its etag). */
export type DataflowRow = Record<string, string | number | null>;
