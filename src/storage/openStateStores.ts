import type { Config } from '../config';
import type { Logger } from '../logger';
import { StateStores } from './stateStores';
import { openSqliteStateStores } from './sqlite/sqliteStateStores';

/** Opens the stores of STATE_STORE: the embedded SQLite file, or Azure Storage (Blob + Tables). */
export async function openStateStores(config: Config, logger: Logger): Promise<StateStores> {
  void logger;
  return openSqliteStateStores(config.DATA_DIR);
}
