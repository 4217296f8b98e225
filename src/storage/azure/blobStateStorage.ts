import { text } from 'node:stream/consumers';
import type { ContainerClient } from '@azure/storage-blob';
import type { StoreItems } from 'botbuilder';
import { sanitizeBlobKey } from 'botbuilder-azure-blobs/lib/sanitizeBlobKey';
import { type BotStateStore, ETagConflictError, type StoredText } from '../stateStores';
import { SET_ASIDE_PREFIX, setAsideBefore } from '../readableState';
import { inRounds, statusOf } from './azureTarget';
import { callSignal } from './callSignal';

/** undefined for a 404 (no such blob), the answer otherwise. */
async function unlessMissing<T>(call: Promise<T>): Promise<T | undefined> {
  return call.catch((err: unknown) => {
    if (statusOf(err) === 404) return undefined;
    throw err;
  });
}

/** The names of the blobs set aside begin so: sanitizeBlobKey URI-encodes a key (and drops a trailing '/'). */
const SET_ASIDE_BLOBS = encodeURIComponent(SET_ASIDE_PREFIX);

/** Every bot state value is stored as JSON, as BlobsStorage stores it. */
const JSON_BLOB = { blobContentType: 'application/json' };

/**
 * Bot state in a Blob container, laid out as botbuilder-azure-blobs' BlobsStorage lays it out (the same blob names
 * and JSON, so either reads the other's state); read as stored text (readableState.ts parses it). Unlike BlobsStorage
 * it hands each request the signal of the call (callSignal): a call that the state deadline gave up on is cancelled,
 * retries and all, instead of landing later.
 */
export class BlobStateStorage implements BotStateStore {
  constructor(private readonly container: ContainerClient) {}

  async readTexts(keys: string[]): Promise<Record<string, StoredText>> {
    const abortSignal = callSignal();
    const found = await Promise.all(keys.map(async (key) => {
      const blob = await unlessMissing(this.container.getBlobClient(sanitizeBlobKey(key)).download(0, undefined, { abortSignal }));
      if (!blob?.readableStreamBody || !blob.etag) return [];
      return [[key, { text: await text(blob.readableStreamBody), eTag: blob.etag }] as const];
    }));
    return Object.fromEntries(found.flat());
  }

  /**
   * Blob storage has no rename: the text read is written under `asideKey`, then the value is deleted (or `rest` written
   * over it) if it is still the version read. If it is not (412) or is gone (404), the copy is taken back and the value
   * left to whoever wrote it.
   */
  async setAside(key: string, read: StoredText, asideKey: string, rest?: string): Promise<boolean> {
    const abortSignal = callSignal();
    const aside = this.container.getBlockBlobClient(sanitizeBlobKey(asideKey));
    await aside.upload(read.text, Buffer.byteLength(read.text), { abortSignal, conditions: { ifNoneMatch: '*' } });
    const conditions = { ifMatch: read.eTag };
    try {
      if (rest === undefined) await this.container.deleteBlob(sanitizeBlobKey(key), { abortSignal, conditions });
      else await this.container.getBlockBlobClient(sanitizeBlobKey(key)).upload(rest, Buffer.byteLength(rest), { abortSignal, conditions, blobHTTPHeaders: JSON_BLOB });
      return true;
    } catch (err) {
      if (statusOf(err) !== 412 && statusOf(err) !== 404) throw err;
      await aside.deleteIfExists({ abortSignal });
      return false;
    }
  }

  /**
   * One page of the blobs set aside, in name order, which is the order they were set aside in (readableState.ts): those
   * before `before` are deleted, a few at a time, and the rest of the page is younger. No scan to keep: the next pass
   * starts at the oldest again, which this one deleted. Blobs another instance deleted first are not counted.
   */
  async pruneSetAside(before: Date, max: number): Promise<number> {
    const abortSignal = callSignal();
    const bound = sanitizeBlobKey(setAsideBefore(before));
    const page = await this.container.listBlobsFlat({ prefix: SET_ASIDE_BLOBS, abortSignal }).byPage({ maxPageSize: max }).next();
    const due = (page.done ? [] : page.value.segment.blobItems).map(({ name }) => name).filter((name) => name < bound);
    const deleted = await inRounds(due, (name) => unlessMissing(this.container.deleteBlob(name, { abortSignal })));
    return deleted.filter((answer) => answer !== undefined).length;
  }

  async write(changes: StoreItems): Promise<void> {
    const abortSignal = callSignal();
    await Promise.all(Object.entries(changes).map(async ([key, item]) => {
      const { eTag, ...change } = (item ?? {}) as { eTag?: unknown };
      const body = JSON.stringify(change);
      await this.container.getBlockBlobClient(sanitizeBlobKey(key)).upload(body, Buffer.byteLength(body), {
        abortSignal,
        conditions: typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? { ifMatch: eTag } : {},
        blobHTTPHeaders: JSON_BLOB,
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
