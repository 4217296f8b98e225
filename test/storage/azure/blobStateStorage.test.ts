import { ContainerClient } from '@azure/storage-blob';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { BlobStateStorage } from '../../../src/storage/azure/blobStateStorage';
import { ETagConflictError } from '../../../src/storage/stateStores';
import { Azurite, freshPrefix, startAzurite } from '../../helpers/azurite';
import { botStateValue } from '../../helpers/stateBackends';

// The bot state that instances before this store wrote with botbuilder-azure-blobs' BlobsStorage stays theirs:
// same blob names, same JSON, the same eTag rules, either way round.
describe('bot state in Blob storage, laid out as BlobsStorage lays it out', () => {
  let azurite: Azurite;
  let ours: BlobStateStorage;
  let theirs: BlobsStorage;
  const KEY = 'msteams/conversations/19:général;messageid=1/users/29:ada';
  beforeAll(async () => {
    azurite = await startAzurite();
    const container = new ContainerClient(azurite.connectionString, `${freshPrefix()}-state`);
    await container.createIfNotExists();
    ours = new BlobStateStorage(container);
    theirs = new BlobsStorage(azurite.connectionString, container.containerName);
  });
  afterAll(() => azurite.stop());

  test('what BlobsStorage wrote is read, changed under its eTag and deleted; BlobsStorage reads what it writes', async () => {
    await theirs.write({ [KEY]: { step: 'project', name: 'Grüße' } });
    const read = (await botStateValue(ours, KEY)) as { eTag: string };
    expect(read).toEqual({ step: 'project', name: 'Grüße', eTag: expect.any(String) });
    expect(Object.keys(await ours.readTexts([KEY, 'missing']))).toEqual([KEY]);

    await ours.write({ [KEY]: { step: 'review', name: 'Grüße', eTag: read.eTag } });
    expect((await theirs.read([KEY]))[KEY]).toMatchObject({ step: 'review', name: 'Grüße' });
    await expect(ours.write({ [KEY]: { step: 'stale', eTag: read.eTag } })).rejects.toBeInstanceOf(ETagConflictError);
    await ours.write({ [KEY]: { step: 'last write wins', eTag: '*' } });
    expect((await theirs.read([KEY]))[KEY]).toMatchObject({ step: 'last write wins' });

    await ours.delete([KEY, 'missing']);
    expect(await theirs.read([KEY])).toEqual({});
  });
});
