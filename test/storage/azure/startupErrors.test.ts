import { ConfigError, loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { AzureStateError, openAzureStateStores } from '../../../src/storage/azure/azureStateStores';
import { azureTarget } from '../../../src/storage/azure/azureTarget';
import { Azurite, freshPrefix, startAzurite } from '../../helpers/azurite';

describe('STATE_STORE=azure refuses to start with a clear message', () => {
  let azurite: Azurite;
  beforeAll(async () => { azurite = await startAzurite(); }, 60_000);
  afterAll(() => azurite.stop());

  test('without a connection string or an account URL the configuration names both keys', () => {
    expect(() => loadConfig({ STATE_STORE: 'azure' })).toThrow(ConfigError);
    expect(() => loadConfig({ STATE_STORE: 'azure' })).toThrow(/AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL: required when STATE_STORE=azure/);
    expect(loadConfig({ STATE_STORE: 'azure', AZURE_STORAGE_ACCOUNT_URL: 'https://acct.blob.core.windows.net' }).STATE_STORE).toBe('azure');
    expect(loadConfig({}).STATE_STORE).toBe('sqlite');
  });

  test('a refused key names the resource and the role to grant, and never prints the key', async () => {
    const wrongKey = Buffer.from('not the account key, 64 bytes long, padded to look like one.....').toString('base64');
    const connectionString = azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${wrongKey}`);
    const opening = openAzureStateStores(azureTarget({ AZURE_STORAGE_CONNECTION_STRING: connectionString, AZURE_STATE_PREFIX: freshPrefix() }), createLogger('silent'), 15);
    await expect(opening).rejects.toThrow(AzureStateError);
    const message = await opening.catch((err: Error) => err.message);
    expect(message).toMatch(/refused access to table \w+approvals \(403\): give the bot's identity the role "Storage Table Data Contributor"/);
    expect(message).not.toContain(wrongKey);
  }, 30_000);
});
