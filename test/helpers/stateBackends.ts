import { createLogger } from '../../src/logger';
import { openAzureStateStores } from '../../src/storage/azure/azureStateStores';
import { azureTarget } from '../../src/storage/azure/azureTarget';
import { openSqliteStateStores } from '../../src/storage/sqlite/sqliteStateStores';
import { readableState } from '../../src/storage/readableState';
import type { BotStateStore, StateStores } from '../../src/storage/stateStores';
import { Azurite, freshPrefix, launchAzurite, startAzurite } from './azurite';
import { tempDataDir } from './harness';

/** One backend under test: `open()` gives a fresh state; `again()` a second connection (another instance) to that same state. */
export interface StateBackend {
  name: 'sqlite' | 'azure';
  open(): Promise<{ stores: StateStores; again(): Promise<StateStores> }>;
  /** The bot's environment keys for a fresh state on this backend. */
  env(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

const silent = createLogger('silent');

/** A bot state value as the bot reads it (readableState), its eTag included; undefined when there is none. */
export async function botStateValue(store: BotStateStore, key: string): Promise<Record<string, unknown> | undefined> {
  return (await readableState(store, silent).read([key]))[key] as Record<string, unknown> | undefined;
}

export function sqliteBackend(): StateBackend {
  return {
    name: 'sqlite',
    async open() {
      const dir = tempDataDir();
      return { stores: openSqliteStateStores(dir), again: async () => openSqliteStateStores(dir) };
    },
    env: async () => ({ STATE_STORE: 'sqlite' }),
    stop: async () => undefined,
  };
}

/**
 * The Azure backend on the run's shared Azurite (stop() leaves it running), or on an Azurite of its own
 * (`ownAzurite`: started by the first open(), really stopped by stop()) for a test that takes storage away.
 */
export function azureBackend(leaseSeconds = 15, options: { ownAzurite?: boolean } = {}): StateBackend & { azurite(): Promise<Azurite> } {
  let azurite: Promise<Azurite> | undefined;
  const started = () => (azurite ??= options.ownAzurite ? launchAzurite() : startAzurite());
  const storesFor = async (prefix: string) => openAzureStateStores(
    azureTarget({ AZURE_STORAGE_CONNECTION_STRING: (await started()).connectionString, AZURE_STATE_PREFIX: prefix }), silent, leaseSeconds);
  return {
    name: 'azure',
    azurite: started,
    async open() {
      const prefix = freshPrefix();
      return { stores: await storesFor(prefix), again: () => storesFor(prefix) };
    },
    env: async () => ({ STATE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: (await started()).connectionString, AZURE_STATE_PREFIX: freshPrefix() }),
    async stop() {
      await (await azurite)?.stop();
    },
  };
}

/** Two instances on one fresh state of `backend`, opened before the suite's tests and closed (with the backend) after them. */
export function twoInstances(backend: StateBackend): { one(): StateStores; other(): StateStores } {
  let one: StateStores | undefined;
  let other: StateStores | undefined;
  beforeAll(async () => {
    const opened = await backend.open();
    one = opened.stores;
    other = await opened.again();
  });
  afterAll(async () => {
    await other?.close();
    await one?.close();
    await backend.stop();
  });
  return { one: () => one!, other: () => other! };
}
