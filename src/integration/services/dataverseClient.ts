import { DataIntegrationError } from '../errors';
import type { HttpClient } from '../http/httpClient';
import type { DataflowEnvironment } from '../dataflows';
import type { Environment, RecordName } from '../port';
import { ROUTES, type RouteSpec, routeUrl, SCOPES } from '../routes';
import { primaryColumnsOf, recordNamesPageWireSchema, toRecordName, whoAmIWireSchema } from '../wire/dataverse';

/** Records named in one request at most: the `$filter` stays a short URL. */
export const MAX_RECORD_NAMES = 25;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Dataverse Web API of an environment; its URL comes from the environment itself. */
export class DataverseClient {
  constructor(private readonly http: HttpClient, private readonly webApi: WebApiOf = dataverseWebApi()) {}

  /** The organization id of the environment's Dataverse database (WhoAmI). */
  async organizationId(environment: Environment): Promise<string> {
    const whoAmI = await this.http.send({ ...this.webApi(environment), route: ROUTES.whoAmI, schema: whoAmIWireSchema });
    return whoAmI.OrganizationId;
  }

  /**
   * The primary name (and number) of records of one table, in one request: `$filter` with `or`
   * over the first MAX_RECORD_NAMES ids. Ids that are not GUIDs are never put in the filter, and a
   * table not known here asks nothing. Keyed by the ids as given; records not found are absent.
   */
  async recordNames(environment: Environment, entity: string, recordIds: readonly string[]): Promise<Map<string, RecordName>> {
    const columns = primaryColumnsOf(entity);
    const asked = new Map(recordIds.filter((id) => GUID.test(id)).map((id) => [id.toLowerCase(), id]));
    const ids = [...asked.keys()].slice(0, MAX_RECORD_NAMES);
    if (!columns || ids.length === 0) return new Map();
    const call = this.webApi(environment);
    const select = [columns.id, columns.name, ...(columns.number ? [columns.number] : [])].join(',');
    const filter = ids.map((id) => `${columns.id} eq ${id}`).join(' or ');
    const url = odataUrl(call.baseUrl, ROUTES.listRecords, { $select: select, $filter: filter }, { entitySetName: columns.entitySet });
    const page = await this.http.send({ ...call, route: ROUTES.listRecords, schema: recordNamesPageWireSchema(columns), url });
    return new Map(page.value.flatMap((row) => {
      const id = asked.get(row.id.toLowerCase());
      return id ? [[id, toRecordName(row)] as const] : [];
    }));
  }

}

/** Where an environment's Web API is and the scope of its token. */
export type WebApiOf = (environment: DataflowEnvironment) => { baseUrl: string; scope: string };

/**
 * Where environments' Web APIs are: rejects with `no_dataverse` when one has no database, and with `refused_address`
 * when its Web API is not on the instance its token is asked for (https on the instance's host or its `.api.` host,
 * org.crm.dynamics.com → org.api.crm.dynamics.com), so a false answer cannot send the token elsewhere. `standIn`: the
 * origin of a stand-in that serves BAP and Dataverse alike (the sandbox), whose Web API addresses are its own.
 */
export function dataverseWebApi(standIn?: string): WebApiOf {
  const standInOrigin = standIn && new URL(standIn).origin;
  return (environment) => {
    const { instanceUrl, instanceApiUrl } = environment;
    if (!instanceUrl || !instanceApiUrl) {
      throw new DataIntegrationError(`Environment "${environment.displayName}" has no Dataverse database`, {
        service: 'dataverse', code: 'no_dataverse',
      });
    }
    const instance = new URL(instanceUrl);
    const api = new URL(instanceApiUrl);
    if (api.origin !== standInOrigin && !onInstance(instance, api)) {
      throw new DataIntegrationError(`Environment "${environment.displayName}": its Web API ${api.origin} is not on its instance ${instance.origin}; no token was sent`, {
        service: 'dataverse', code: 'refused_address',
      });
    }
    return { baseUrl: instanceApiUrl, scope: SCOPES.dataverse(instanceUrl) };
  };
}

function onInstance(instance: URL, api: URL): boolean {
  const [org, ...domain] = instance.hostname.split('.');
  const hosts = [instance.hostname, [org, 'api', ...domain].join('.')];
  return instance.protocol === 'https:' && api.protocol === 'https:' && api.port === instance.port && hosts.includes(api.hostname);
}

/** A route's URL with OData system query options (`$select`, `$filter`, `$orderby`…), in the order given. */
export function odataUrl(baseUrl: string, route: RouteSpec, options: Readonly<Record<`$${string}`, string>>, params?: Readonly<Record<string, string>>): URL {
  const url = routeUrl(baseUrl, route, params);
  // Written by hand: URLSearchParams would turn the spaces of a filter into "+" and "$" into "%24".
  url.search = `?${Object.entries(options).map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
  return url;
}
