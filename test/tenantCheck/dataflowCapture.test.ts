import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Har } from '../../tools/tenantCheck/har';
import type { Report } from '../../tools/tenantCheck/report';
import { runCheck } from './runCheck';

const ORG = 'https://contoso.crm4.dynamics.com/api/data/v9.2/';
const DATAFLOW = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const REFRESH = '0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e';

/** What a browser shows of a maker-portal session that read the dataflow tables (shapes of Learn's reference). */
function capture(tableRow: Record<string, unknown> = {}): Har {
  const get = (query: string, body: unknown) => ({
    request: { method: 'GET', url: `${ORG}${query}`, headers: [{ name: 'Authorization', value: 'Bearer e30.e30.sig' }] },
    response: { status: 200, headers: [], content: { text: JSON.stringify(body) } },
  });
  return { log: { entries: [
    get('msdyn_dataflows?$select=msdyn_dataflowid,msdyn_name', { '@odata.context': 'c', value: [{ '@odata.etag': 'W/"1"', msdyn_dataflowid: DATAFLOW, msdyn_name: 'Accounts from SQL' }] }),
    get(`msdyn_dataflowrefreshhistories?$filter=msdyn_dataflowid eq '${DATAFLOW}'&$orderby=msdyn_endtime desc`, {
      value: [{ msdyn_dataflowrefreshhistoryid: REFRESH, msdyn_dataflowid: DATAFLOW, msdyn_refreshstatus: 'Success', msdyn_starttime: '2026-12-06T10:00:00Z', msdyn_endtime: '2026-12-06T10:02:10Z' }],
      '@odata.nextLink': `${ORG}msdyn_dataflowrefreshhistories?$skiptoken=abc`,
    }),
    get(`msdyn_entityrefreshhistories?$filter=_msdyn_dataflowhistorylookup_value eq ${REFRESH}`, {
      value: [{ msdyn_entityrefreshhistoryid: DATAFLOW, _msdyn_dataflowhistorylookup_value: REFRESH, msdyn_entityname: 'account', msdyn_insertcount: 3, msdyn_upsertcount: 40, msdyn_errorcount: 0, ...tableRow }],
    }),
  ] } };
}

async function check(har: Har): Promise<{ code: number; report: Report }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dataflow-har-')), 'capture.har');
  fs.writeFileSync(file, JSON.stringify(har));
  const { code, stdout } = await runCheck('--har', file, '--json');
  return { code, report: JSON.parse(stdout) as Report };
}

describe('tenant-check recognises the dataflow tables in a capture', () => {
  test('each entity set is its own documented route, matched with the client\'s schema (not the generic listRecords)', async () => {
    const { code, report } = await check(capture());
    expect(code).toBe(0);
    const seen = report.routes.filter((r) => r.seen > 0).map(({ name, evidence, status, service }) => ({ name, evidence, status, service }));
    expect(seen).toEqual(['listDataflows', 'listDataflowRefreshes', 'listTableRefreshes'].map((name) => ({ name, evidence: 'documented', status: 'matched', service: 'dataverse' })));
  });

  test('a column of another type than Learn documents is named as a mismatch', async () => {
    const { code, report } = await check(capture({ msdyn_insertcount: '3' }));
    expect(code).toBe(1);
    expect(report.routes.find((r) => r.name === 'listTableRefreshes')).toMatchObject({
      status: 'mismatch', problems: ['response value[0].msdyn_insertcount: expected number, got string'],
    });
  });
});
