import { Writable } from 'node:stream';
import { ContainerClient, RestError } from '@azure/storage-blob';
import { createLogger } from '../../../src/logger';
import { BlobLeaseLeadership } from '../../../src/storage/azure/blobLeaseLeadership';
import { Azurite, freshPrefix, startAzurite } from '../../helpers/azurite';

const LEASE_SECONDS = 15;
const until = async (check: () => boolean, timeoutMs: number) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('leader election with a blob lease (Azurite)', () => {
  let azurite: Azurite;
  let container: ContainerClient;
  beforeAll(async () => { azurite = await startAzurite(); });
  afterAll(() => azurite.stop());
  beforeEach(async () => {
    container = new ContainerClient(azurite.connectionString, `${freshPrefix()}-lease`);
    await container.createIfNotExists();
  });

  const instance = () => {
    const events: string[] = [];
    const leadership = new BlobLeaseLeadership(container, { leaseSeconds: LEASE_SECONDS }, createLogger('silent'));
    leadership.start(() => events.push('gain'), () => events.push('loss'));
    return { leadership, events };
  };

  test('one of two instances leads; when it dies without a word the other takes over within two lease periods', async () => {
    const a = instance();
    await until(() => a.events.includes('gain'), 10_000);
    const b = instance();
    await new Promise((r) => setTimeout(r, 6_000)); // b has tried at least once
    expect(b.events).toEqual([]);
    expect([a.leadership.isLeader(), b.leadership.isLeader()]).toEqual([true, false]);

    const diedAt = Date.now();
    const dying = a.leadership as unknown as { stopped: boolean; timer?: NodeJS.Timeout };
    dying.stopped = true; // a dies: no more renewals, no release
    clearTimeout(dying.timer);
    await until(() => b.events.includes('gain'), 2 * LEASE_SECONDS * 1000);
    const takeoverMs = Date.now() - diedAt;
    console.log(`takeover after ${takeoverMs} ms (lease ${LEASE_SECONDS} s)`);
    expect(takeoverMs).toBeLessThan(2 * LEASE_SECONDS * 1000);
    expect(a.leadership.isLeader()).toBe(false); // its last renew is older than the lease
    await b.leadership.stop();
  }, 60_000);

  test('the holder stops the moment a renew fails', async () => {
    const a = instance();
    await until(() => a.events.includes('gain'), 10_000);
    await container.getBlobClient('leader').getBlobLeaseClient().breakLease(0); // someone else broke it
    await until(() => a.events.includes('loss'), LEASE_SECONDS * 1000);
    expect(a.leadership.isLeader()).toBe(false);
    await a.leadership.stop();
  }, 60_000);

  test('a stop gives the lease up with an info line; only a failed renew is a warning', async () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string }); done(); } });
    const events: string[] = [];
    const leadership = new BlobLeaseLeadership(container, { leaseSeconds: LEASE_SECONDS }, createLogger('info', sink));
    leadership.start(() => events.push('gain'), () => events.push('loss'));
    await until(() => events.includes('gain'), 10_000);
    await leadership.stop();
    expect(events).toEqual(['gain', 'loss']);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    expect(lines.map((l) => l.msg)).toContain('leader lease given up: this instance is stopping');
  }, 60_000);

  test('a storage blip at start: the lease is taken once storage answers again (a one-instance deployment otherwise never polled)', async () => {
    let blips = 1;
    const flaky = new Proxy(container, {
      get(target, prop, receiver) {
        if (prop === 'createIfNotExists' && blips > 0) {
          blips -= 1;
          return async () => { throw new RestError('Service Unavailable', { statusCode: 503 }); };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const leadership = new BlobLeaseLeadership(flaky, { leaseSeconds: LEASE_SECONDS }, createLogger('silent'));
    const events: string[] = [];
    leadership.start(() => events.push('gain'), () => events.push('loss'));
    await new Promise((r) => setTimeout(r, 12_000)); // two beats of a 15 s lease
    const gained = leadership.isLeader();
    await leadership.stop();
    expect({ events, gained }).toEqual({ events: ['gain', 'loss'], gained: true });
  }, 60_000);

  test('a lease blob deleted: it is created again and the lease taken', async () => {
    const leadership = new BlobLeaseLeadership(container, { leaseSeconds: LEASE_SECONDS, blobName: 'gone' }, createLogger('silent'));
    const events: string[] = [];
    // The blob made at start is deleted before the first acquire reaches storage.
    const lease = (leadership as unknown as { lease: { acquireLease: (...a: unknown[]) => Promise<unknown> } }).lease;
    const realAcquire = lease.acquireLease.bind(lease);
    let deleted = false;
    lease.acquireLease = async (...args: unknown[]) => {
      if (!deleted) { deleted = true; await container.getBlobClient('gone').delete(); }
      return realAcquire(...args);
    };
    leadership.start(() => events.push('gain'), () => events.push('loss'));
    await new Promise((r) => setTimeout(r, 2_000));
    const gained = leadership.isLeader();
    await leadership.stop();
    expect({ deleted, events, gained }).toEqual({ deleted: true, events: ['gain', 'loss'], gained: true });
  }, 60_000);

  test('stopped while an acquire is in flight: the instance neither leads afterwards nor leaves the lease held by a process that is gone', async () => {
    const leadership = new BlobLeaseLeadership(container, { leaseSeconds: LEASE_SECONDS }, createLogger('silent'));
    // Storage answers the acquire slowly (well inside the 5 s deadline): the request has reached it, its answer has not come back.
    const lease = (leadership as unknown as { lease: { acquireLease: (...a: unknown[]) => Promise<unknown> } }).lease;
    const realAcquire = lease.acquireLease.bind(lease);
    let acquireAsked!: () => void;
    const asked = new Promise<void>((r) => { acquireAsked = r; });
    lease.acquireLease = async (...args: unknown[]) => {
      const answer = await realAcquire(...args);
      acquireAsked();
      await new Promise((r) => setTimeout(r, 500));
      return answer;
    };
    const events: string[] = [];
    leadership.start(() => events.push('gain'), () => events.push('loss'));
    await asked;
    await leadership.stop(); // SIGTERM: ProcessLife.close() -> leadership.stop()
    events.push('stopped');
    await new Promise((r) => setTimeout(r, 1_000));

    const { leaseState } = await container.getBlobClient('leader').getProperties();
    expect({ events, isLeader: leadership.isLeader(), leaseState }).toEqual({ events: ['stopped'], isLeader: false, leaseState: 'available' });
  }, 60_000);
});
