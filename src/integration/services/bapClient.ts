import { collectPages } from '../http/pages';
import type { HttpClient } from '../http/httpClient';
import type { Environment } from '../port';
import { ROUTES, SCOPES } from '../routes';
import { environmentPageWireSchema, toEnvironment } from '../wire/bap';

/** The Power Platform admin API (BAP): environments. */
export class BapClient {
  constructor(private readonly http: HttpClient, private readonly baseUrl: string) {}

  /** All environments of the tenant. */
  async listEnvironments(): Promise<Environment[]> {
    const environments = await collectPages(this.http, {
      route: ROUTES.listEnvironments,
      baseUrl: this.baseUrl,
      scope: SCOPES.powerPlatform,
      schema: environmentPageWireSchema,
    });
    return environments.map(toEnvironment);
  }
}
