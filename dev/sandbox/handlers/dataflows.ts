import { type Handler, ok } from '../http/router';
import { DATAFLOW_TABLES, type DataflowRow, type DataflowSetName } from '../wire/dataflowTables';
import { parseODataQuery } from '../wire/odataQuery';
import type { SandboxContext } from './context';
import { databaseIn } from './powerPlatform';

type DataflowRoute = 'listDataflows' | 'listDataflowRefreshes' | 'listTableRefreshes';

/** A page of rows as Dataverse writes it: context, rows with their etags, and the next page's link while more follow. */
interface DataflowPageWire {
  '@odata.context': string;
  value: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
}

/** The three dataflow tables, queried with `$select`, `$filter`, `$orderby` and paged by `@odata.nextLink`. */
export function dataflowHandlers({ tenant, dataflowRows, dataversePageSize }: SandboxContext): Record<DataflowRoute, Handler> {
  const serve = (set: DataflowSetName): Handler => ({ params, query, origin }) => {
    const environment = params.environmentName ?? '';
    const { instanceUrl } = databaseIn(tenant, environment);
    const table = DATAFLOW_TABLES[set];
    const { select, where, order, offset } = parseODataQuery(table, query);
    const rows = dataflowRows.rows(set, environment).filter(where).sort(order);
    const page = rows.slice(offset, offset + dataversePageSize);
    const shown = (row: DataflowRow) => (select ? Object.fromEntries(select.map((c) => [c, row[c] ?? null])) : row);
    const body: DataflowPageWire = {
      '@odata.context': `${instanceUrl}api/data/v9.2/$metadata#${set}(${select?.join(',') ?? ''})`,
      value: page.map((row) => ({ '@odata.etag': `W/"${String(row[table.idColumn]).slice(0, 8)}"`, ...shown(row) })),
    };
    if (offset + dataversePageSize < rows.length) {
      const next = new URL(`${origin}/dataverse/${encodeURIComponent(environment)}/api/data/v9.2/${set}`);
      query.forEach((value, key) => { if (key !== '$skiptoken') next.searchParams.append(key, value); });
      next.searchParams.set('$skiptoken', String(offset + dataversePageSize));
      body['@odata.nextLink'] = next.href;
    }
    return ok(body);
  };
  return {
    listDataflows: serve('msdyn_dataflows'),
    listDataflowRefreshes: serve('msdyn_dataflowrefreshhistories'),
    listTableRefreshes: serve('msdyn_entityrefreshhistories'),
  };
}
