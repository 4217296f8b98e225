import { DataIntegrationError } from '../errors';
import type { HttpClient } from '../http/httpClient';
import type { Environment } from '../port';
import { ROUTES, SCOPES } from '../routes';
import { whoAmIWireSchema } from '../wire/dataverse';

/** The Dataverse Web API of an environment; its URL comes from the environment itself. */
export class DataverseClient {
  constructor(private readonly http: HttpClient) {}

  /** The organization id of the environment's Dataverse database (WhoAmI). */
  async organizationId(environment: Environment): Promise<string> {
    const { instanceUrl, instanceApiUrl } = environment;
    if (!instanceUrl || !instanceApiUrl) {
      throw new DataIntegrationError(`Environment "${environment.displayName}" has no Dataverse database`, {
        service: 'dataverse', code: 'no_dataverse',
      });
    }
    const whoAmI = await this.http.send({
      route: ROUTES.whoAmI,
      baseUrl: instanceApiUrl,
      scope: SCOPES.dataverse(instanceUrl),
      schema: whoAmIWireSchema,
    });
    return whoAmI.OrganizationId;
  }
}
