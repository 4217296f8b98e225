import { randomUUID } from 'node:crypto';
import type { DataflowRow, DataflowSetName } from '../wire/dataflowTables';
import { SANDBOX_ENVIRONMENTS } from './tenant';

/** How a seeded dataflow's refreshes turn out. */
export type DataflowBehaviour = 'steady' | 'flaky' | 'twoTables';

/** A seeded dataflow: id, name, the tables it loads and how its refreshes go. */
export interface SeedDataflow {
  id: string;
  name: string;
  description: string;
  tables: readonly string[];
  behaviour: DataflowBehaviour;
}

/** The environment whose Dataverse holds the dataflows. */
export const DATAFLOW_ENVIRONMENT = SANDBOX_ENVIRONMENTS.cds;

/** One that always succeeds, one that fails now and then with per-table errors, one that loads two tables. */
export const SANDBOX_DATAFLOWS: readonly SeedDataflow[] = [
  { id: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', name: 'Accounts from SQL Server', description: 'Nightly copy of the ERP customers', tables: ['account'], behaviour: 'steady' },
  { id: '5b2e1d3f-8c4a-4f6e-9b0c-2d3e4f5a6b7c', name: 'Contacts from Salesforce', description: 'Replaces the retired Salesforce connector', tables: ['contact'], behaviour: 'flaky' },
  { id: '6c3f2e4a-9d5b-4a7f-8c1d-3e4f5a6b7c8d', name: 'Products and price lists', description: 'Catalogue from the product database', tables: ['product', 'pricelevel'], behaviour: 'twoTables' },
];

/** The flaky dataflow fails on every fourth refresh (the 4th, 8th…): often enough to see, rarely enough to be "now and then". */
export const FLAKY_FAILS_EVERY = 4;

/** A row to write: its entity set, its id and its columns. */
export interface RowToSave { set: DataflowSetName; id: string; row: DataflowRow }

/** The dataflow rows themselves. */
export function dataflowRows(at: string): RowToSave[] {
  return SANDBOX_DATAFLOWS.map((d) => ({
    set: 'msdyn_dataflows', id: d.id,
    row: { msdyn_dataflowid: d.id, msdyn_name: d.name, msdyn_description: d.description, msdyn_refreshsettings: null, statecode: 0, statuscode: 1, createdon: at, modifiedon: at },
  }));
}

/**
 * The rows of a dataflow's `n`-th refresh (from 1) that ended at `endMs`: the refresh, then one row per table.
 * The status words are the ones the maker portal shows; Learn lists none, so the sandbox picks these.
 */
export function refreshRows(dataflow: SeedDataflow, n: number, endMs: number, durationMs: number, refreshId: string = randomUUID()): RowToSave[] {
  const failed = dataflow.behaviour === 'flaky' && n % FLAKY_FAILS_EVERY === 0;
  const [start, end] = [new Date(endMs - durationMs).toISOString(), new Date(endMs).toISOString()];
  const status = failed ? 'Failed' : 'Success';
  const common = { statecode: 0, statuscode: 1, createdon: start, modifiedon: end, msdyn_starttime: start, msdyn_endtime: end, msdyn_dataflowid: dataflow.id, msdyn_dataflowname: dataflow.name };
  const refresh: RowToSave = {
    set: 'msdyn_dataflowrefreshhistories', id: refreshId,
    row: {
      ...common, msdyn_dataflowrefreshhistoryid: refreshId, msdyn_name: `${dataflow.name} ${end}`, msdyn_refreshstatus: status,
      msdyn_refreshtype: 'Scheduled', msdyn_jobid: randomUUID(), msdyn_requestid: randomUUID(), msdyn_transactionid: randomUUID(),
      msdyn_errorinfojson: failed ? JSON.stringify({ errorCode: 'EntityRefreshFailed', message: 'One or more tables failed to refresh.' }) : null,
    },
  };
  const tables = dataflow.tables.map((table, t): RowToSave => {
    const id = randomUUID();
    const errors = failed && t === 0 ? 3 + (n % 5) : 0;
    return {
      set: 'msdyn_entityrefreshhistories', id,
      row: {
        ...common, msdyn_entityrefreshhistoryid: id, _msdyn_dataflowhistorylookup_value: refreshId, msdyn_name: `${table} ${end}`,
        msdyn_entityname: table, msdyn_refreshstatus: errors > 0 ? 'Failed' : 'Success', msdyn_transactionid: refresh.row.msdyn_transactionid ?? null,
        msdyn_insertcount: errors > 0 ? 0 : (n * 7 + t * 3) % 25, msdyn_upsertcount: errors > 0 ? 0 : 40 + ((n * 13 + t * 11) % 60), msdyn_errorcount: errors,
        msdyn_errorinfoerrorcode: errors > 0 ? 'DataFormat.Error' : null,
        msdyn_errorinfoerrormessage: errors > 0 ? `We couldn't convert to Number. Details: Email=unknown; row ${n * 10 + 1}` : null,
      },
    };
  });
  return [refresh, ...tables];
}

/** The row of a refresh that is still running: a start time, no end time and no status yet, no table rows. */
export function runningRow(dataflow: SeedDataflow, refreshId: string, startMs: number): RowToSave {
  const start = new Date(startMs).toISOString();
  return {
    set: 'msdyn_dataflowrefreshhistories', id: refreshId,
    row: {
      msdyn_dataflowrefreshhistoryid: refreshId, msdyn_name: `${dataflow.name} ${start}`, msdyn_dataflowid: dataflow.id, msdyn_dataflowname: dataflow.name,
      msdyn_refreshstatus: null, msdyn_refreshtype: 'Scheduled', msdyn_starttime: start, msdyn_endtime: null, msdyn_errorinfojson: null,
      statecode: 0, statuscode: 1, createdon: start, modifiedon: start,
    },
  };
}
