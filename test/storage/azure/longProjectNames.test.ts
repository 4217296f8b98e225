import type { OutboundActivity } from '../../../src/notifications/outbound';
import type { DeliveryResult, SendTarget } from '../../../src/notifications/proactiveSender';
import { RunWatcher } from '../../../src/notifications/runWatcher';
import { alertPresenter } from '../../../src/render/runCards';
import { WatchStore } from '../../../src/notifications/watchStore';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { nameKey } from '../../../src/storage/azure/azureTarget';
import { azureBackend } from '../../helpers/stateBackends';

const OWNER = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };
const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
// 54 characters: a Japanese project name well under the bot's 200 (PROJECT_NAME_MAX).
const NAME = '営業部顧客マスタ同期処理（本番環境）'.repeat(3);

class Sender {
  posts: string[] = [];
  async send(target: SendTarget, _activity: OutboundActivity): Promise<DeliveryResult> {
    this.posts.push(target.conversationId);
    return { status: 'sent', activityId: `m${this.posts.length}`, threadId: 'm1' };
  }
  async update(_c: string, activityId: string): Promise<DeliveryResult> { return { status: 'sent', activityId }; }
}

/**
 * The Azure report row key is `r|${encodeURIComponent(project)}|${encodeURIComponent(runId)}`. Azure
 * Tables (and Azurite) take at most 512 characters in a RowKey; a 3-byte character is 9 after encoding, so a project
 * named with 53-56 CJK characters can be watched (its watch row fits) but no run of it can be recorded as reported
 * (400 InvalidInput): the alert went out, the record failed, and the next poll alerted the same run again, every poll.
 * Such a name is keyed by its hash; a shorter one keeps its readable key, so rows written before stay found.
 */
describe('a watched project with a 54-character Japanese name on Azure', () => {
  const backend = azureBackend();
  afterAll(() => backend.stop());

  test('gets each run alerted once', async () => {
    expect(NAME.length).toBe(54);
    const { stores } = await backend.open();
    let now = new Date(T0);
    const watches = new WatchStore(stores.watches, () => now);
    await watches.watch({ projectName: NAME, conversationId: '19:general', owner: OWNER });
    const di = new FakeIntegration().addProject(NAME, { kind: 'recurring', every: 1, unit: 'minutes' });
    di.addRun(NAME, { id: '0b9d3a4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', startedAt: iso(0.5), endedAt: iso(1) });
    const sender = new Sender();
    const watcher = new RunWatcher({ watches, sender, now: () => now, present: alertPresenter(), integrationFor: async () => di.client }, { pollMs: 10, minuteMs: 60_000 });
    for (const minutes of [1.5, 2, 2.5]) {
      now = new Date(T0 + minutes * 60_000);
      await watcher.pollOnce();
    }
    await stores.close();
    expect(sender.posts).toEqual(['19:general']);
  }, 60_000);
});

describe('the row keys of project names', () => {
  test('a name whose keys fit keeps its readable key (rows written before stay found); a longer one is keyed by its hash', () => {
    expect(nameKey('w|', 'Acc Sync/EU')).toBe('w|Acc%20Sync%2FEU');
    const longest = '営'.repeat(200);
    expect(nameKey('w|', longest)).toMatch(/^w\|h:[\w-]{43}$/);
    expect(nameKey('r|', NAME, 65)).not.toBe(nameKey('r|', `${NAME}x`, 65));
  });

  test('a 200-character Japanese name (the longest the bot takes) can be watched, found and updated', async () => {
    const { stores } = await azureBackend().open();
    const watches = new WatchStore(stores.watches, () => new Date(T0));
    const name = '営'.repeat(200);
    await watches.watch({ projectName: name, conversationId: '19:general', owner: OWNER });
    await watches.setNotifyLevel({ projectName: name, conversationId: '19:general' }, 'failures');
    expect((await watches.get({ projectName: name, conversationId: '19:general' }))?.notifyLevel).toBe('failures');
    await stores.close();
  });
});
