import { json } from 'node:stream/consumers';
import type { ContainerClient } from '@azure/storage-blob';
import type { Storage, StoreItems } from 'botbuilder';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { z } from 'zod';
import { ETagConflictError } from '../stateStores';
import { statusOf } from './azureTarget';
import { callSignal } from './callSignal';

const storedItem = z.record(z.string(), z.unknown());

/** undefined for a 404 (no such blob), the answer otherwise. */
async function unlessMissing<T>(call: Promise<T>): Promise<T | undefined> {
  return call.catch((err: unknown) => {
    if (statusOf(err) === 404) return undefined;
    throw err;
  });
}

/**
 * botbuilder Storage in a Blob container, laid out as botbuilder-azure-blobs' BlobsStorage lays it out (the same
 * blob names and JSON, so either reads the other's state). Unlike BlobsStorage it hands each request the
 * signal of the call (callSignal): a call that the state deadline gave up on is cancelled, retries and all,
 * instead of landing later.
 */
export class BlobStateStorage implements Storage {
  constructor(private readonly container: ContainerClient) {}

  async read(keys: string[]): Promise<StoreItems> {
    const abortSignal = callSignal();
    const found = await Promise.all(keys.map(async (key) => {
      const blob = await unlessMissing(this.container.getBlobClient(sanitizeBlobKey(key)).download(0, undefined, { abortSignal }));
      if (!blob?.readableStreamBody) return [];
      return [[key, { ...storedItem.parse(await json(blob.readableStreamBody)), eTag: blob.etag }] as const];
    }));
    return Object.fromEntries(found.flat());
  }

  async write(changes: StoreItems): Promise<void> {
    const abortSignal = callSignal();
    await Promise.all(Object.entries(changes).map(async ([key, item]) => {
      const { eTag, ...change } = (item ?? {}) as { eTag?: unknown };
      const body = JSON.stringify(change);
      await this.container.getBlockBlobClient(sanitizeBlobKey(key)).upload(body, Buffer.byteLength(body), {
        abortSignal,
        conditions: typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? { ifMatch: eTag } : {},
        blobHTTPHeaders: { blobContentType: 'application/json' },
      }).catch((err: unknown) => {
        throw statusOf(err) === 412 ? new ETagConflictError(key) : err;
      });
    }));
  }

  async delete(keys: string[]): Promise<void> {
    const abortSignal = callSignal();
    await Promise.all(keys.map((key) => unlessMissing(this.container.deleteBlob(sanitizeBlobKey(key), { abortSignal }))));
  }
}
