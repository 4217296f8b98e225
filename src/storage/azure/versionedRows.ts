import type { TableClient, TableEntity } from '@azure/data-tables';
import type { z } from 'zod';
import type { Stored } from '../../notifications/watchChanges';
import { readEach, type UnreadableRecord } from '../readEach';
import { all, readBody, statusOf } from './azureTarget';

/** False for a write that lost a race: 409 (created meanwhile), 412 (changed meanwhile), 404 (removed meanwhile). */
async function landed(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (err) {
    const status = statusOf(err);
    if (status === 409 || status === 412 || status === 404) return false;
    throw err;
  }
}

/**
 * Creates the row where none is (`version` undefined), or replaces it under the eTag it was read with; false when another
 * write came first. The record is whole in `body`, a newer release's fields included (WatchChanges): a property beside
 * it that this release does not write is not kept, so a release keeps nothing of a watch's outside `body`.
 */
export function putOver<T extends object>(table: TableClient, entity: TableEntity<T>, version: string | undefined): Promise<boolean> {
  return landed(() => (version === undefined ? table.createEntity(entity) : table.updateEntity(entity, 'Replace', { etag: version })));
}

/** Deletes the row if it is still at the eTag it was read with; false when it changed or went meanwhile. */
export function removeOver(table: TableClient, partitionKey: string, rowKey: string, version: string): Promise<boolean> {
  return landed(() => table.deleteEntity(partitionKey, rowKey, { etag: version }));
}

/** The rows of `filter`, each record read through `schema` with its eTag as its version; a row that no longer reads back is left out and reported. */
export async function storedRows<W>(table: TableClient, filter: string, schema: z.ZodType<W>, unreadable: UnreadableRecord): Promise<Array<Stored<W>>> {
  const rows = await all(table.listEntities({ queryOptions: { filter } }));
  return readEach(rows, (e) => ({ watch: readBody(e, schema), version: e.etag }), { table: table.tableName, keyOf: (e) => `${e.partitionKey}|${e.rowKey}` }, unreadable);
}
