import { odata, TableClient } from '@azure/data-tables';
import { StoredWatch, Watch, WatchKey, WatchRecords, watchSchema } from '../../notifications/watchStore';
import { nameKey, SCHEMA_VERSION, tableKey } from './azureTarget';
import { TableReports } from './tableReports';
import { putOver, storedRows } from './versionedRows';
import { type UnreadableRecord, warnUnreadable } from '../readEach';

const watchRow = (projectName: string) => nameKey('w|', projectName);
/** A run id takes up to 64 characters after it (the Data Integrator's are 36). */
const reportPrefix = (projectName: string) => `${nameKey('r|', projectName, 1 + 64)}|`;

/**
 * Watches and report records in Azure Tables, one partition per conversation. A report record is
 * one upsert (in a batch with the others of the same poll): the only write between the connector's
 * answer and "this execution was alerted". A watch is created only where none is, and replaced only under
 * the eTag it was read with: 409 and 412 mean another write came first.
 */
export class TableWatchRecords implements WatchRecords {
  private readonly reports: TableReports;

  constructor(private readonly table: TableClient, private readonly unreadable: UnreadableRecord = warnUnreadable) {
    this.reports = new TableReports(table, 'report', 'executionId');
  }

  async get(key: WatchKey): Promise<StoredWatch | undefined> {
    const [found] = await this.query(odata`PartitionKey eq ${tableKey(key.conversationId)} and RowKey eq ${watchRow(key.projectName)}`);
    return found;
  }

  async put(watch: Watch, version: string | undefined): Promise<boolean> {
    return putOver(this.table, { partitionKey: tableKey(watch.conversationId), rowKey: watchRow(watch.projectName), kind: 'watch', v: SCHEMA_VERSION, body: JSON.stringify(watch) }, version);
  }

  async list(conversationId?: string): Promise<Watch[]> {
    const filter = conversationId === undefined ? odata`kind eq 'watch'` : odata`PartitionKey eq ${tableKey(conversationId)} and kind eq 'watch'`;
    const watches = (await this.query(filter)).map((w) => w.watch);
    return watches.sort((a, b) => a.conversationId.localeCompare(b.conversationId) || a.projectName.localeCompare(b.projectName));
  }

  async reported(key: WatchKey, executionIds: readonly string[]): Promise<Set<string>> {
    return this.reports.reported(key.conversationId, reportPrefix(key.projectName), executionIds);
  }

  async markReported(key: WatchKey, executionIds: readonly string[], at: string): Promise<void> {
    await this.reports.mark(key.conversationId, reportPrefix(key.projectName), executionIds, at);
  }

  async pruneReports(before: string): Promise<number> {
    return this.reports.prune(before);
  }

  private query(filter: string): Promise<StoredWatch[]> {
    return storedRows(this.table, filter, watchSchema, this.unreadable);
  }
}
