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
  /** Whether the lease's blob is known to exist (made sure of on a beat, until it succeeds). */
  private blobReady = false;
  /** The beat in flight, which stop() waits for. */
  private inFlight?: Promise<void>;
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
      this.inFlight = this.beat(onGain).catch((err: unknown) => this.logger.warn({ err, status: statusOf(err) }, 'leader lease check failed'));
      await this.inFlight;
      if (!this.stopped) this.timer = setTimeout(beat, (this.options.leaseSeconds * 1000) / 3);
    };
    void beat();
  }

  /**
   * Gives the lease up. A beat in flight is waited for (it is bounded by the deadline): an acquire that lands after
   * the stop is released, so a process that is gone never holds the lease, and never gains the lead.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
    if (this.renewedAt === undefined) return;
    this.stepDown();
    await this.release();
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
    if (!this.blobReady) {
      // Not created yet (storage did not answer at start): tried again every beat, so a blip at start does not
      // leave this instance a follower for its whole life.
      const made = await this.ensureBlob().then(() => true, (err: unknown) => {
        this.logger.warn({ err, status: statusOf(err) }, 'leader lease blob could not be created: tried again at the next beat');
        return false;
      });
      if (!made) return;
      this.blobReady = true;
    }
    if (!(await this.acquire())) return;
    if (this.stopped) {
      // Stopped while the acquire was in flight: give the lease straight back, and do not lead.
      await this.release();
      return;
    }
    this.renewedAt = asked;
    this.logger.info({ leaseId: this.lease.leaseId }, 'this instance now polls runs and sends alerts (leader lease taken)');
    onGain();
  }

  /** Takes the lease if it is free (false: another instance holds it); a blob gone (404) is created again first. */
  private async acquire(): Promise<boolean> {
    const take = () => this.deadline.execute(({ signal }) => this.lease.acquireLease(this.options.leaseSeconds, { abortSignal: signal }));
    try {
      await take().catch(async (err: unknown) => {
        if (statusOf(err) !== 404) throw err;
        this.blobReady = false;
        await this.ensureBlob();
        this.blobReady = true;
        await take();
      });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false; // another instance holds it
      throw err;
    }
  }

  /** Bounded like a renew: storage that does not answer must not hold the shutdown (the lease then runs out). */
  private async release(): Promise<void> {
    await this.deadline.execute(({ signal }) => this.lease.releaseLease({ abortSignal: signal })).catch(() => undefined);
  }

  /** Stops leading: a failed renew (`why`) is a warning; giving the lease up at shutdown (no `why`) is not. */
  private stepDown(why?: string): void {
    this.renewedAt = undefined;
    if (why) this.logger.warn({ why }, 'leader lease lost: this instance stops sending alerts');
    else this.logger.info('leader lease given up: this instance is stopping');
    this.onLoss();
  }

  /** The lease needs a blob; creating it is idempotent across instances, and bounded like a renew. */
  private async ensureBlob(): Promise<void> {
    await this.deadline.execute(async ({ signal }) => {
      await this.container.createIfNotExists({ abortSignal: signal });
      const blob = this.container.getBlockBlobClient(this.options.blobName ?? 'leader');
      await blob.upload('', 0, { conditions: { ifNoneMatch: '*' }, abortSignal: signal }).catch((err: unknown) => {
        if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
      });
    });
  }
}
