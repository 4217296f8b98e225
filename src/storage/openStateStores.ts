import type { Config } from '../config';
import type { Logger } from '../logger';
import { openAzureStateStores } from './azure/azureStateStores';
import { azureTarget } from './azure/azureTarget';
import { StateStores } from './stateStores';
import { tracedStores } from './tracedStores';
import { boundedStores } from './boundedStores';

/** Opens the stores of STATE_STORE: the embedded SQLite file, or Azure Storage (Blob + Tables). */
export async function openStateStores(config: Config, logger: Logger): Promise<StateStores> {
  if (config.STATE_STORE === 'sqlite') {
    // Loaded only when chosen: production keeps its state in Azure Storage and never needs the native SQLite driver.
    const { openSqliteStateStores } = await import('./sqlite/sqliteStateStores');
    return tracedStores(openSqliteStateStores(config.DATA_DIR, logger.child({ component: 'state' })));
  }
  return tracedStores(boundedStores(await openAzureStateStores(azureTarget(config), logger.child({ component: 'state' }), config.LEADER_LEASE_SECONDS), config.STATE_TIMEOUT_MS));
}
