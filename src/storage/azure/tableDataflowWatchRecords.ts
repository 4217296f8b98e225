import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { type DataflowWatch, type DataflowWatchKey, type DataflowWatchRecords, dataflowWatchSchema, type StoredDataflowWatch } from '../../notifications/dataflowWatchStore';
import { SCHEMA_VERSION, statusOf, tableKey } from './azureTarget';
import { TableReports } from './tableReports';
import { putOver, removeOver, storedRows } from './versionedRows';
import { type UnreadableRecord, warnUnreadable } from '../readEach';

const watchRow = (dataflowId: string) => `d|${tableKey(dataflowId)}`;
const reportPrefix = (dataflowId: string) => `q|${tableKey(dataflowId)}|`;
/** The cursors' partition: a lone "%" is never written by tableKey, so no conversation's partition can be this one. */
const CURSORS = '%dataflow-cursors';
/** How many lost write races advancing a cursor survives (every loss is another writer's progress). */
const MAX_CURSOR_RACES = 100;
const cursorEntity = z.object({ endedAt: z.string(), etag: z.string() }).loose();

/**
 * Dataflow watches and their report records in the watches table, in the conversation's partition beside its
 * project watches (other row keys and kinds), and the environments' cursors in a partition of their own. A watch
 * is written (and removed) only under the eTag it was read with, as project watches are.
 */
export class TableDataflowWatchRecords implements DataflowWatchRecords {
  private readonly reports: TableReports;

  constructor(private readonly table: TableClient, private readonly unreadable: UnreadableRecord = warnUnreadable) {
    this.reports = new TableReports(table, 'dataflowReport', 'refreshId');
  }

  async get(key: DataflowWatchKey): Promise<StoredDataflowWatch | undefined> {
    const [found] = await this.query(odata`PartitionKey eq ${tableKey(key.conversationId)} and RowKey eq ${watchRow(key.dataflowId)}`);
    return found;
  }

  async put(watch: DataflowWatch, version: string | undefined): Promise<boolean> {
    const entity = { partitionKey: tableKey(watch.conversationId), rowKey: watchRow(watch.dataflowId), kind: 'dataflowWatch', v: SCHEMA_VERSION, body: JSON.stringify(watch) };
    return putOver(this.table, entity, version);
  }

  async remove(key: DataflowWatchKey, version: string): Promise<boolean> {
    return removeOver(this.table, tableKey(key.conversationId), watchRow(key.dataflowId), version);
  }

  async list(conversationId?: string): Promise<DataflowWatch[]> {
    const filter = conversationId === undefined
      ? odata`kind eq 'dataflowWatch'` : odata`PartitionKey eq ${tableKey(conversationId)} and kind eq 'dataflowWatch'`;
    const watches = (await this.query(filter)).map((w) => w.watch);
    return watches.sort((a, b) => a.conversationId.localeCompare(b.conversationId) || a.dataflowId.localeCompare(b.dataflowId));
  }

  async reported(key: DataflowWatchKey, refreshIds: readonly string[]): Promise<Set<string>> {
    return this.reports.reported(key.conversationId, reportPrefix(key.dataflowId), refreshIds);
  }

  async markReported(key: DataflowWatchKey, refreshIds: readonly string[], at: string): Promise<void> {
    await this.reports.mark(key.conversationId, reportPrefix(key.dataflowId), refreshIds, at);
  }

  async pruneReports(before: string): Promise<number> {
    return this.reports.prune(before);
  }

  async cursor(environmentName: string): Promise<string | undefined> {
    return (await this.readCursor(environmentName))?.endedAt;
  }

  /** Optimistic: written only over the cursor just read (its ETag), read again when another instance wrote first. */
  async advanceCursor(environmentName: string, endedAt: string): Promise<void> {
    // A lost race means another writer moved the cursor, so each retry is progress; giving up after a few
    // silently left it behind under contention. The bound only stops a store that keeps refusing.
    for (let attempt = 0; attempt < MAX_CURSOR_RACES; attempt += 1) {
      const current = await this.readCursor(environmentName);
      if (current && current.endedAt >= endedAt) return;
      const entity = { partitionKey: CURSORS, rowKey: tableKey(environmentName), kind: 'dataflowCursor', v: SCHEMA_VERSION, endedAt };
      if (await putOver(this.table, entity, current?.etag)) return;
    }
    throw new Error(`the cursor of environment ${environmentName} lost ${MAX_CURSOR_RACES} races in a row`);
  }

  private async readCursor(environmentName: string): Promise<z.infer<typeof cursorEntity> | undefined> {
    try {
      return cursorEntity.parse(await this.table.getEntity(CURSORS, tableKey(environmentName)));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private query(filter: string): Promise<StoredDataflowWatch[]> {
    return storedRows(this.table, filter, dataflowWatchSchema, this.unreadable);
  }
}
