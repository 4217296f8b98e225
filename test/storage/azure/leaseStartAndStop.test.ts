import { ContainerClient, RestError } from '@azure/storage-blob';
import { createLogger } from '../../../src/logger';
import { BlobLeaseLeadership } from '../../../src/storage/azure/blobLeaseLeadership';
import { Azurite, freshPrefix, startAzurite } from '../../helpers/azurite';

/**
 * The leader lease at the edges of an instance's life: storage failing right at start must not leave the instance a
 * follower for good (with one instance nobody would poll runs or send alerts, while /readyz says ready), and an
 * instance stopped while its acquire is in flight must neither lead afterwards nor leave the lease held by a process
 * that is gone.
 */
describe('the leader lease at start and stop (Azurite)', () => {
  let azurite: Azurite;
  let container: ContainerClient;
  beforeAll(async () => { azurite = await startAzurite(); });
  afterAll(() => azurite.stop());
  beforeEach(async () => {
    container = new ContainerClient(azurite.connectionString, `${freshPrefix()}-lease`);
    await container.createIfNotExists();
  });

  test('is taken once storage answers again after a blip at start', async () => {
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
    const leadership = new BlobLeaseLeadership(flaky, { leaseSeconds: 15 }, createLogger('silent'));
    const events: string[] = [];
    leadership.start(() => events.push('gain'), () => events.push('loss'));
    await new Promise((r) => setTimeout(r, 12_000)); // two beats of a 15 s lease
    const gained = leadership.isLeader();
    await leadership.stop();
    expect({ events, gained }).toEqual({ events: ['gain', 'loss'], gained: true });
  }, 60_000);

  test('is taken when its blob was deleted: the blob is created again', async () => {
    const leadership = new BlobLeaseLeadership(container, { leaseSeconds: 15, blobName: 'gone' }, createLogger('silent'));
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

  test('a stopped instance neither gains the lead afterwards nor leaves the lease held', async () => {
    const leadership = new BlobLeaseLeadership(container, { leaseSeconds: 15 }, createLogger('silent'));
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
