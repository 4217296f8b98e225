import type { RouteName } from '../../../src/integration/routes';
import type { WhoAmIWire } from '../../../src/integration/wire/dataverse';
import { notFound } from '../http/sandboxHttpError';
import { type Handler, ok } from '../http/router';
import { SANDBOX_USER } from '../seed/tenant';
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
    listEnvironments: ({ origin }) => ok({ value: tenant.environments.list().map((e) => environmentWire(e, origin)) }),
    listConnections: ({ params }) => ok({ value: tenant.connections(environment(params.environmentName).name).map(connectionWire) }),
    whoAmI: ({ params }) => {
      const { dataverse } = environment(params.environmentName);
      if (!dataverse) throw notFound(`A Dataverse database in environment "${params.environmentName}"`);
      const body: WhoAmIWire & { '@odata.context': string } = {
        '@odata.context': `${dataverse.instanceUrl}api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: dataverse.businessUnitId,
        UserId: SANDBOX_USER.id,
        OrganizationId: dataverse.organizationId,
      };
      return ok(body);
    },
  } satisfies Partial<Record<RouteName, Handler>>;
}
