import { odata, TableClient } from '@azure/data-tables';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FlowLocks } from '../../locks/flowLocks';
import { inRounds, SCHEMA_VERSION, statusOf } from './azureTarget';

const PARTITION = 'lock';
const lockEntity = z.object({ v: z.literal(SCHEMA_VERSION), owner: z.string(), expiresAt: z.number(), etag: z.string() }).loose();
/** A state key can exceed RowKey's 1 KiB and holds '/': its hash names the lock. */
const rowOf = (key: string) => createHash('sha256').update(key).digest('hex');

/** Flow locks in Azure Tables: create-if-absent, or take over an expired one (or extend one's own) under its eTag; 409/412 mean someone else holds it. */
export class TableFlowLocks implements FlowLocks {
  constructor(private readonly table: TableClient, private readonly now: () => number = Date.now) {}

  async tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const entity = { partitionKey: PARTITION, rowKey: rowOf(key), v: SCHEMA_VERSION, owner, expiresAt: this.now() + ttlMs };
    try {
      await this.table.createEntity(entity);
      return true;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const current = await this.read(key);
    if (current && current.expiresAt > this.now() && current.owner !== owner) return false;
    try {
      if (current) await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
      else await this.table.createEntity(entity);
      return true;
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 409) return false;
      throw err;
    }
  }

  async release(key: string, owner: string): Promise<void> {
    const current = await this.read(key);
    if (current?.owner !== owner) return;
    await this.table.deleteEntity(PARTITION, rowOf(key), { etag: current.etag }).catch((err: unknown) => {
      if (statusOf(err) !== 412 && statusOf(err) !== 404) throw err;
    });
  }

  /** Reads the partition's expired rows (at most `max`), then deletes each under its eTag: one taken again meanwhile answers 412 and stays. */
  async pruneExpired(max: number): Promise<number> {
    // expiresAt (milliseconds, past Int32) is stored as Edm.Double: compared with a Double literal, not an integer one.
    const filter = odata`PartitionKey eq ${PARTITION} and expiresAt lt ${Math.floor(this.now())}.0`;
    const expired: { rowKey: string; etag: string }[] = [];
    for await (const row of this.table.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      if (expired.length >= max) break;
      expired.push({ rowKey: row.rowKey!, etag: row.etag });
    }
    // A few at a time: the pass stays within the store's deadline (3 s), and what it leaves is pruned by the next.
    const deleted = await inRounds(expired, ({ rowKey, etag }) => this.table.deleteEntity(PARTITION, rowKey, { etag }).then(
      () => true,
      (err: unknown) => { if (statusOf(err) !== 412 && statusOf(err) !== 404) throw err; return false; },
    ));
    return deleted.filter(Boolean).length;
  }

  private async read(key: string) {
    try {
      return lockEntity.parse(await this.table.getEntity(PARTITION, rowOf(key)));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}
