import { Connection, DataIntegration, Environment } from '../integration/port';

/** A connection the setup needs but the tenant lacks, and where the user creates it. */
export interface MissingConnection {
  environment: Environment;
  connector: 'dynamics365' | 'dataverse';
  connectionsUrl: string;
}

/** An environment with the connections that Data Integration can use in it. */
export interface EnvironmentConnections {
  environment: Environment;
  /** Connections usable as the Dynamics 365 side: Dynamics 365 ones, or in the Sales environment Dataverse ones. */
  dynamics: Connection[];
  dataverse: Connection[];
}

/** What the setup found: the usable environments and connections, or what is missing. */
export interface PrerequisiteReport {
  environments: EnvironmentConnections[];
  missing: MissingConnection[];
  /** The environment most likely to be the Dynamics 365 (source) and CDS (destination) one. */
  source?: EnvironmentConnections;
  destination?: EnvironmentConnections;
}

/** Where a maker creates a connection in an environment (the seed's "Connections" tab). */
export function connectionsUrl(environment: Environment): string {
  return `https://make.powerapps.com/environments/${encodeURIComponent(environment.name)}/connections`;
}

const looksLikeSales = (e: Environment) => /sales|dynamics|d365|crm/i.test(e.displayName);

/**
 * Checks the prerequisites of the seed: a Dynamics 365 connection in the source environment
 * and a Dataverse connection in another environment (the destination).
 */
export async function checkPrerequisites(di: DataIntegration): Promise<PrerequisiteReport> {
  const environments = (await di.listEnvironments()).filter((e) => e.instanceApiUrl);
  const withConnections = await Promise.all(
    environments.map(async (environment): Promise<EnvironmentConnections> => {
      const connections = (await di.listConnections(environment.name)).filter((c) => c.connected);
      return {
        environment,
        dynamics: connections.filter((c) => c.connector === 'dynamics365'),
        dataverse: connections.filter((c) => c.connector === 'dataverse'),
      };
    }),
  );
  const sourceCandidate = withConnections.find((e) => looksLikeSales(e.environment)) ?? withConnections[0];
  // The Dynamics 365 connector takes no new connections since April 2022: a Dataverse connection in the Sales
  // environment reads the same data, so it stands in for the Dynamics 365 side where no old connection exists.
  if (sourceCandidate && sourceCandidate.dynamics.length === 0) sourceCandidate.dynamics = sourceCandidate.dataverse;
  const destinationCandidate = withConnections.find((e) => e !== sourceCandidate && !looksLikeSales(e.environment))
    ?? withConnections.find((e) => e !== sourceCandidate);
  const missing: MissingConnection[] = [];
  if (sourceCandidate && sourceCandidate.dynamics.length === 0) {
    missing.push({ environment: sourceCandidate.environment, connector: 'dynamics365', connectionsUrl: connectionsUrl(sourceCandidate.environment) });
  }
  if (destinationCandidate && destinationCandidate.dataverse.length === 0) {
    missing.push({ environment: destinationCandidate.environment, connector: 'dataverse', connectionsUrl: connectionsUrl(destinationCandidate.environment) });
  }
  return { environments: withConnections, missing, source: sourceCandidate, destination: destinationCandidate };
}
