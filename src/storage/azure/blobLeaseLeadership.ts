import { BlobLeaseClient, ContainerClient } from '@azure/storage-blob';
import { timeout, TimeoutStrategy } from 'cockatiel';
import type { Logger } from '../../logger';
import type { Leadership } from '../stateStores';
import { statusOf } from './azureTarget';

/** Lease tuning: Azure accepts 15 to 60 s. */
export interface LeaseOptions { leaseSeconds: number; blobName?: string }

/**
 * Leader election with a blob lease (Azure Architecture Center's pattern): one instance holds
 * the lease and renews it every third of its period; the others try to take it at the same pace,
 * so one takes over within about 1.3 lease periods after the holder dies. The holder steps down
 * the moment a renew fails, and `isLeader()` turns false once the last renew is older than the
 * lease, even if the event loop stalled.
 */
export class BlobLeaseLeadership implements Leadership {
  private readonly lease: BlobLeaseClient;
  private timer?: NodeJS.Timeout;
  private renewedAt?: number;
  private onLoss: () => void = () => undefined;
  private stopped = false;
  /** Storage that does not answer must not hold a beat: a renew that takes a third of the lease has failed (and is cancelled). */
  private readonly deadline;

  constructor(private readonly container: ContainerClient, private readonly options: LeaseOptions, private readonly logger: Logger) {
    this.lease = container.getBlobClient(options.blobName ?? 'leader').getBlobLeaseClient();
    this.deadline = timeout((options.leaseSeconds * 1000) / 3, TimeoutStrategy.Aggressive);
  }

  isLeader(): boolean {
    return this.renewedAt !== undefined && Date.now() - this.renewedAt < this.options.leaseSeconds * 1000;
  }

  async holder(signal?: AbortSignal): Promise<'this instance' | 'another instance' | 'nobody'> {
    if (this.isLeader()) return 'this instance';
    const { leaseState } = await this.container.getBlobClient(this.options.blobName ?? 'leader').getProperties({ abortSignal: signal });
    return leaseState === 'leased' ? 'another instance' : 'nobody';
  }

  start(onGain: () => void, onLoss: () => void): void {
    this.onLoss = onLoss;
    this.stopped = false;
    const beat = async () => {
      await this.beat(onGain).catch((err: unknown) => this.logger.warn({ err, status: statusOf(err) }, 'leader lease check failed'));
      if (!this.stopped) this.timer = setTimeout(beat, (this.options.leaseSeconds * 1000) / 3);
    };
    this.ensureBlob().then(beat, (err: unknown) => this.logger.error({ err, status: statusOf(err) }, 'leader lease blob could not be created: this instance never sends alerts'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.renewedAt === undefined) return;
    this.stepDown();
    // Bounded like a renew: storage that does not answer must not hold the shutdown (the lease then runs out).
    await this.deadline.execute(({ signal }) => this.lease.releaseLease({ abortSignal: signal })).catch(() => undefined);
  }

  private async beat(onGain: () => void): Promise<void> {
    // The lease runs from when storage took the request, which is after it was asked, never before: timed from the
    // answer, a slow answer (a loaded machine) made this instance lead for up to a deadline past the lease's end.
    const asked = Date.now();
    if (this.renewedAt !== undefined) {
      try {
        await this.deadline.execute(({ signal }) => this.lease.renewLease({ abortSignal: signal }));
        this.renewedAt = asked;
      } catch (err) {
        this.stepDown(`renew failed (${statusOf(err) ?? 'no answer'})`);
      }
      return;
    }
    try {
      await this.deadline.execute(({ signal }) => this.lease.acquireLease(this.options.leaseSeconds, { abortSignal: signal }));
    } catch (err) {
      if (statusOf(err) === 409) return; // another instance holds it
      throw err;
    }
    this.renewedAt = asked;
    this.logger.info({ leaseId: this.lease.leaseId }, 'this instance now polls runs and sends alerts (leader lease taken)');
    onGain();
  }

  /** Stops leading: a failed renew (`why`) is a warning; giving the lease up at shutdown (no `why`) is not. */
  private stepDown(why?: string): void {
    this.renewedAt = undefined;
    if (why) this.logger.warn({ why }, 'leader lease lost: this instance stops sending alerts');
    else this.logger.info('leader lease given up: this instance is stopping');
    this.onLoss();
  }

  /** The lease needs a blob; creating it is idempotent across instances. */
  private async ensureBlob(): Promise<void> {
    await this.container.createIfNotExists();
    const blob = this.container.getBlockBlobClient(this.options.blobName ?? 'leader');
    await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } }).catch((err: unknown) => {
      if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
    });
  }
}
