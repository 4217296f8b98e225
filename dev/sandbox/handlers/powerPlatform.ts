import { type Handler, ok } from '../http/router';
import { notFound } from '../http/sandboxHttpError';
import { TABLES } from '../seed/tables';
import { SANDBOX_USER } from '../seed/tenant';
import { entitySetNamed, idsOfFilter, type RecordPageWire, selectedColumns } from '../wire/dataverse';
import type { ConnectionWire, EnvironmentWire, PageWire, WhoAmIWire } from '../wire/powerPlatform';
import type { RouteName } from '../wire/routes';
import type { EnvironmentRecord } from '../model';
import type { TenantStore } from '../store/tenantStore';
import type { SandboxContext } from './context';
import { connectionWire, environmentWire } from './toWire';

type PowerPlatformRoute = 'listEnvironments' | 'listConnections' | 'whoAmI' | 'listRecords';

/** An environment of the tenant, or 404. */
export function environmentNamed(tenant: TenantStore, name: string | undefined): EnvironmentRecord {
  const env = tenant.environments.get(name ?? '');
  if (!env) throw notFound(`Environment "${name}"`);
  return env;
}

/** The Dataverse database of an environment, or 404. */
export function databaseIn(tenant: TenantStore, name: string | undefined): NonNullable<EnvironmentRecord['dataverse']> {
  const { dataverse } = environmentNamed(tenant, name);
  if (!dataverse) throw notFound(`A Dataverse database in environment "${name}"`);
  return dataverse;
}

/** BAP environments, PowerApps connections, Dataverse WhoAmI and table rows. */
export function powerPlatformHandlers({ tenant, records }: SandboxContext): Record<PowerPlatformRoute, Handler> {
  const environment = (name: string | undefined) => environmentNamed(tenant, name);
  const databaseOf = (name: string | undefined) => databaseIn(tenant, name);
  return {
    listEnvironments: ({ origin }) => {
      const page: PageWire<EnvironmentWire> = { value: tenant.environments.list().map((e) => environmentWire(e, origin)) };
      return ok(page);
    },
    listConnections: ({ params }) => {
      const page: PageWire<ConnectionWire> = { value: tenant.connections(environment(params.environmentName).name).map(connectionWire) };
      return ok(page);
    },
    whoAmI: ({ params }) => {
      const dataverse = databaseOf(params.environmentName);
      const body: WhoAmIWire = {
        '@odata.context': `${dataverse.instanceUrl}api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: dataverse.businessUnitId,
        UserId: SANDBOX_USER.id,
        OrganizationId: dataverse.organizationId,
      };
      return ok(body);
    },
    listRecords: ({ params, query }) => {
      const { instanceUrl } = databaseOf(params.environmentName);
      const set = entitySetNamed(params.entitySetName ?? '');
      const columns = selectedColumns(set, Object.keys(TABLES[set.entity] ?? {}), query.get('$select'));
      const rows = records.table(params.environmentName ?? '', set.entity).byIds(idsOfFilter(set, query.get('$filter')));
      const body: RecordPageWire = {
        '@odata.context': `${instanceUrl}api/data/v9.2/$metadata#${params.entitySetName}(${columns?.join(',') ?? ''})`,
        value: rows.map(({ recordId, data }) => {
          const value = (c: string) => (c === set.idColumn ? recordId : (set.computed?.[c]?.(data) ?? data[c] ?? null));
          const shown = columns ?? [set.idColumn, ...Object.keys(data), ...Object.keys(set.computed ?? {})];
          return { '@odata.etag': `W/"${recordId.slice(0, 8)}"`, ...Object.fromEntries(shown.map((c) => [c, value(c)])) };
        }),
      };
      return ok(body);
    },
  } satisfies Partial<Record<RouteName, Handler>>;
}
