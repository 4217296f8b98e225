import type { z } from 'zod';
import { DATAFLOW_TABLES } from '../../dev/sandbox/wire/dataflowTables';
import { ROUTES } from '../../src/integration/routes';
import {
  DATAFLOW_COLUMNS, DATAFLOW_ENTITY_SETS, dataflowPageWireSchema, dataflowRefreshPageWireSchema, dataflowRefreshWireSchema,
  dataflowWireSchema, tableRefreshWireSchema,
} from '../../src/integration/wire/dataflow';

type Documented = 'Uniqueidentifier' | 'String' | 'Integer' | 'DateTime' | 'State' | 'Lookup';

/**
 * The columns of Learn's table reference pages (power-apps/developer/data-platform/reference/entities/…), logical
 * name and type, copied by hand: the contract the client's schemas are held to. Only the columns the client reads.
 */
const DOCUMENTED: Record<'dataflow' | 'refresh' | 'tableRefresh', Record<string, Documented>> = {
  dataflow: {
    msdyn_dataflowid: 'Uniqueidentifier', msdyn_name: 'String', msdyn_description: 'String', statecode: 'State', modifiedon: 'DateTime',
  },
  refresh: {
    msdyn_dataflowrefreshhistoryid: 'Uniqueidentifier', msdyn_dataflowid: 'String', msdyn_dataflowname: 'String',
    msdyn_refreshstatus: 'String', msdyn_refreshtype: 'String', msdyn_starttime: 'DateTime', msdyn_endtime: 'DateTime',
    msdyn_errorinfojson: 'String', msdyn_jobid: 'String',
  },
  tableRefresh: {
    msdyn_entityrefreshhistoryid: 'Uniqueidentifier', msdyn_dataflowhistorylookup: 'Lookup', msdyn_dataflowid: 'String',
    msdyn_entityname: 'String', msdyn_refreshstatus: 'String', msdyn_starttime: 'DateTime', msdyn_endtime: 'DateTime',
    msdyn_insertcount: 'Integer', msdyn_upsertcount: 'Integer', msdyn_errorcount: 'Integer',
    msdyn_errorinfoerrorcode: 'String', msdyn_errorinfoerrormessage: 'String',
  },
};

const SCHEMAS = { dataflow: dataflowWireSchema, refresh: dataflowRefreshWireSchema, tableRefresh: tableRefreshWireSchema };
/** A lookup column `x` reads as `_x_value` in the Web API (documented convention for lookup properties). */
const webApiName = (column: string, type: Documented) => (type === 'Lookup' ? `_${column}_value` : column);
const GOOD: Record<Documented, unknown> = {
  Uniqueidentifier: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', String: 'Any text', Integer: 12, DateTime: '2026-12-06T22:15:03Z', State: 0,
  Lookup: '0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e',
};
const BAD: Record<Documented, unknown> = {
  Uniqueidentifier: 'not-a-guid', String: 12, Integer: '12', DateTime: 'yesterday', State: 'Active', Lookup: 'not-a-guid',
};

describe.each(Object.keys(DOCUMENTED) as (keyof typeof DOCUMENTED)[])('the %s wire schema against Learn', (table) => {
  const schema: z.ZodObject = SCHEMAS[table];
  const documented = Object.entries(DOCUMENTED[table]).map(([column, type]) => ({ column, type, wire: webApiName(column, type) }));
  const row = Object.fromEntries(documented.map(({ wire, type }) => [wire, GOOD[type]]));

  test('reads exactly the documented columns, and asks for them all in $select', () => {
    expect(Object.keys(schema.shape).sort()).toEqual(documented.map((d) => d.wire).sort());
    expect([...DATAFLOW_COLUMNS[table]].sort()).toEqual(documented.map((d) => d.wire).sort());
  });

  test('a row as the Web API writes it parses (etag and columns not asked for are ignored)', () => {
    expect(schema.safeParse({ '@odata.etag': 'W/"1"', ownerid: 'x', ...row }).success).toBe(true);
  });

  test.each(documented)('$column ($type): a value of another type is refused, null is accepted unless it is the key', ({ wire, type }) => {
    expect(schema.safeParse({ ...row, [wire]: BAD[type] }).success).toBe(false);
    const isKey = type === 'Uniqueidentifier';
    expect(schema.safeParse({ ...row, [wire]: null }).success).toBe(!isKey);
  });
});

describe('the refresh status', () => {
  const refresh = { msdyn_dataflowrefreshhistoryid: GOOD.Uniqueidentifier, msdyn_endtime: GOOD.DateTime };
  test('is a plain string with no documented values: any value is kept as sent', () => {
    for (const status of ['Success', 'Failed', 'Cancelled', 'PartiallySucceeded', 'Something new']) {
      expect(dataflowRefreshWireSchema.parse({ ...refresh, msdyn_refreshstatus: status }).msdyn_refreshstatus).toBe(status);
    }
  });
});

describe('pages and routes', () => {
  test('a page keeps its rows and its @odata.nextLink as nextLink; the last page has none', () => {
    const next = 'https://org.crm.dynamics.com/api/data/v9.2/msdyn_dataflowrefreshhistories?$skiptoken=x';
    expect(dataflowRefreshPageWireSchema.parse({ '@odata.context': 'c', value: [], '@odata.nextLink': next })).toEqual({ value: [], nextLink: next });
    expect(dataflowPageWireSchema.parse({ value: [] }).nextLink).toBeUndefined();
  });

  test('the three entity sets are documented Dataverse routes', () => {
    const routes = [ROUTES.listDataflows, ROUTES.listDataflowRefreshes, ROUTES.listTableRefreshes];
    expect(routes.map((r) => r.path)).toEqual(Object.values(DATAFLOW_ENTITY_SETS).map((set) => `api/data/v9.2/${set}`));
    expect(routes.every((r) => r.service === 'dataverse' && r.evidence === 'documented' && r.method === 'GET')).toBe(true);
  });
});

describe('the sandbox serves what the client asks for', () => {
  const SANDBOX_TYPE: Record<Documented, string> = { Uniqueidentifier: 'guid', Lookup: 'guid', String: 'string', Integer: 'int', State: 'int', DateTime: 'datetime' };
  test.each(Object.entries(DATAFLOW_ENTITY_SETS))('%s: every column of the client\'s $select, with the documented type', (table, set) => {
    const served: Readonly<Record<string, string>> = DATAFLOW_TABLES[set].columns;
    const expected = Object.entries(DOCUMENTED[table as keyof typeof DOCUMENTED]).map(([column, type]) => [webApiName(column, type), SANDBOX_TYPE[type]]);
    expect(expected.map(([wire]) => [wire, served[wire!]])).toEqual(expected);
  });
});
