import { type Handler, ok } from '../http/router';
import { notFound } from '../http/sandboxHttpError';
import { SANDBOX_USER } from '../seed/tenant';
import type { ConnectionWire, EnvironmentWire, PageWire, WhoAmIWire } from '../wire/powerPlatform';
import type { RouteName } from '../wire/routes';
import type { SandboxContext } from './context';
import { connectionWire, environmentWire } from './toWire';

/** BAP environments, PowerApps connections and Dataverse WhoAmI. */
export function powerPlatformHandlers({ tenant }: SandboxContext): Record<'listEnvironments' | 'listConnections' | 'whoAmI', Handler> {
  const environment = (name: string | undefined) => {
    const env = tenant.environments.get(name ?? '');
    if (!env) throw notFound(`Environment "${name}"`);
    return env;
  };
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
      const { dataverse } = environment(params.environmentName);
      if (!dataverse) throw notFound(`A Dataverse database in environment "${params.environmentName}"`);
      const body: WhoAmIWire = {
        '@odata.context': `${dataverse.instanceUrl}api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: dataverse.businessUnitId,
        UserId: SANDBOX_USER.id,
        OrganizationId: dataverse.organizationId,
      };
      return ok(body);
    },
  } satisfies Partial<Record<RouteName, Handler>>;
}
