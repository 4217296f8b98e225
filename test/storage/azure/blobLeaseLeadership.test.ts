import { Writable } from 'node:stream';
import { ContainerClient } from '@azure/storage-blob';
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
});
