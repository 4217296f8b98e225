import { randomUUID } from 'node:crypto';
import { type Handler, created, ok } from '../http/router';
import { nameTaken, notFound, parseRequest, validationFailed } from '../http/sandboxHttpError';
import type { ConnectionSetRecord } from '../model';
import { SANDBOX_USER } from '../seed/tenant';
import { connectionSetRequestSchema } from '../wire/connectionSet';
import { mappingFromPartitions } from '../wire/partition';
import type { SandboxContext } from './context';
import { connectionSetIssues } from './rules';
import { connectionSetWire } from './toWire';

/** List, get and create connection sets. */
export function connectionSetHandlers(
  ctx: SandboxContext,
): Record<'listConnectionSets' | 'getConnectionSet' | 'createConnectionSet', Handler> {
  const { connectionSets, tenant } = ctx;
  const wire = (set: ConnectionSetRecord) => connectionSetWire(set, (name) => tenant.environments.get(name));
  return {
    listConnectionSets: () => ok(connectionSets.list().map(wire)),
    getConnectionSet: ({ params }) => {
      const set = connectionSets.get(params.connectionSetName ?? '');
      if (!set) throw notFound(`Connection set "${params.connectionSetName}"`);
      return ok(wire(set));
    },
    createConnectionSet: ({ params, body }) => {
      const request = parseRequest(connectionSetRequestSchema, body);
      const issues = connectionSetIssues(request, tenant, params.connectionSetName ?? '');
      if (issues.length > 0) throw validationFailed(issues);
      if (connectionSets.get(request.name)) throw nameTaken('name', 'connection set', request.name);
      const { dynamics365, dataverse } = request.environments;
      const set = connectionSets.insert({
        id: randomUUID(),
        name: request.name,
        createdAt: new Date().toISOString(),
        owner: SANDBOX_USER.userPrincipalName,
        dynamics: { connectionName: dynamics365.name, environmentName: dynamics365.powerAppsEnvironment },
        dataverse: { connectionName: dataverse.name, environmentName: dataverse.powerAppsEnvironment },
        organizationMappings: request.dataPartitionMappings.map(mappingFromPartitions),
        integrationKeys: [dynamics365, dataverse]
          .flatMap((side) => side.schemas ?? [])
          .flatMap((s) => s.keys)
          .map((k) => ({ entity: k.name, fields: k.fields })),
      });
      return created(wire(set));
    },
  };
}
