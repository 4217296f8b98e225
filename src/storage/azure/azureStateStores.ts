import { TableClient } from '@azure/data-tables';
import { ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../../logger';
import type { StateStores } from '../stateStores';
import { AzureTarget, containerClient, statusOf, tableClient } from './azureTarget';
import { BlobLeaseLeadership } from './blobLeaseLeadership';
import { BlobStateStorage } from './blobStateStorage';
import { TableApprovalStore } from './tableApprovalStore';
import { TableConversationReferenceStore } from './tableConversationReferenceStore';
import { TableFlowLocks } from './tableFlowLocks';
import { TableDataflowWatchRecords } from './tableDataflowWatchRecords';
import { TableWatchRecords } from './tableWatchRecords';
import { unreadableTo } from '../readEach';

/** Thrown at start when Azure Storage cannot be used; the message names the resource and the role or key to fix. */
export class AzureStateError extends Error {}

/** @azure/identity's errors (by name: the module is loaded only with a managed identity): no token was had, storage was never asked. */
const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

/** Creates (if needed) and checks a table or container, turning a refusal into a message an operator can act on. */
async function ensure(what: string, role: string, create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if (err instanceof Error && CREDENTIAL_ERRORS.has(err.name)) {
      throw new AzureStateError(`The managed identity gave no token for Azure Storage (${err.message.slice(0, 300)}): check that the Web App has the user-assigned identity whose client id AZURE_CLIENT_ID holds (or, with AZURE_CLIENT_ID empty, a system-assigned identity).`);
    }
    const status = statusOf(err);
    if (status === 403) {
      throw new AzureStateError(`Azure Storage refused access to ${what} (403): give the bot's identity the role "${role}" on the storage account, or check AZURE_STORAGE_CONNECTION_STRING. `
        + 'A role granted in the last minutes (a first deployment) can take up to 10 minutes to reach storage; App Service starts the bot again meanwhile.');
    }
    if (status === 401) throw new AzureStateError(`Azure Storage did not accept the credentials for ${what} (401): check AZURE_STORAGE_CONNECTION_STRING or the managed identity.`);
    throw new AzureStateError(`Azure Storage could not be reached for ${what} (${status ?? (err as Error).message}): check AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL.`);
  }
}

/** STATE_STORE=azure: bot state in Blob storage, the rest in Tables, a blob lease for the one alert sender. */
export async function openAzureStateStores(target: AzureTarget, logger: Logger, leaseSeconds: number): Promise<StateStores> {
  const tables: Record<'approvals' | 'watches' | 'refs' | 'locks', TableClient> = {
    approvals: tableClient(target, 'approvals'), watches: tableClient(target, 'watches'), refs: tableClient(target, 'refs'), locks: tableClient(target, 'locks'),
  };
  const containers: Record<'state' | 'lease', ContainerClient> = { state: containerClient(target, 'state'), lease: containerClient(target, 'lease') };
  // The six round trips at once (the start waits for one, not six in a row); a refusal is named in this order.
  const ensured = await Promise.allSettled([
    ...Object.values(tables).map((t) => ensure(`table ${t.tableName}`, 'Storage Table Data Contributor', () => t.createTable())),
    ...Object.values(containers).map((c) => ensure(`container ${c.containerName}`, 'Storage Blob Data Contributor', () => c.createIfNotExists())),
  ]);
  const refused = ensured.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (refused) throw refused.reason;
  logger.info({ store: 'azure', account: containers.state.accountName, prefix: target.prefix }, 'state in Azure Storage');
  return {
    kind: 'azure',
    storage: new BlobStateStorage(containers.state),
    refs: new TableConversationReferenceStore(tables.refs),
    approvals: new TableApprovalStore(tables.approvals),
    watches: new TableWatchRecords(tables.watches, unreadableTo(logger)),
    dataflowWatches: new TableDataflowWatchRecords(tables.watches, unreadableTo(logger)),
    flowLocks: new TableFlowLocks(tables.locks),
    leadership: new BlobLeaseLeadership(containers.lease, { leaseSeconds }, logger.child({ component: 'leader-lease' })),
    close: async () => undefined,
  };
}
