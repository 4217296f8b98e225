import { TableClient } from '@azure/data-tables';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FlowLocks } from '../../locks/flowLocks';
import { SCHEMA_VERSION, statusOf } from './azureTarget';

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

  private async read(key: string) {
    try {
      return lockEntity.parse(await this.table.getEntity(PARTITION, rowOf(key)));
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}
