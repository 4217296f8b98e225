import type { Connector } from '../model';

/** A page of an ARM-style list. The sandbox answers in one page, so it writes no `nextLink`. */
export interface PageWire<T> {
  value: T[];
}

/** The Dataverse database linked to an environment; `instanceApiUrl` is the Web API root. */
export interface LinkedEnvironmentWire {
  instanceUrl: string;
  instanceApiUrl: string;
  uniqueName: string;
  domainName: string;
}

/** An environment as the BAP admin API lists it. */
export interface EnvironmentWire {
  id: string;
  name: string;
  location: string;
  properties: {
    displayName: string;
    isDefault: boolean;
    environmentSku: string;
    /** Absent when the environment has no database. */
    linkedEnvironmentMetadata?: LinkedEnvironmentWire;
  };
}

/** A connection as the PowerApps admin API lists it. */
export interface ConnectionWire {
  name: string;
  id: string;
  properties: {
    apiId: string;
    displayName: string;
    createdTime: string;
    createdBy: { displayName: string; userPrincipalName: string };
    statuses: { status: 'Connected' | 'Error' }[];
  };
}

/** Dataverse `WhoAmI()`, an OData function answer. */
export interface WhoAmIWire {
  '@odata.context': string;
  BusinessUnitId: string;
  UserId: string;
  OrganizationId: string;
}

/** The PowerApps API behind each connector Data Integration works with. */
export const API_OF_CONNECTOR: Readonly<Record<Connector, string>> = {
  dynamics365: '/providers/Microsoft.PowerApps/apis/shared_dynamicscrmonline',
  dataverse: '/providers/Microsoft.PowerApps/apis/shared_commondataservice',
};
