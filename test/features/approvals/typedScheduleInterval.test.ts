import type { TurnContext } from 'botbuilder';
import { approvalCommands, type ApprovalCommandDeps } from '../../../src/features/approvals/approvalCommands';
import { ApprovalService } from '../../../src/scheduleApprovals/approvalService';
import { openSqliteStateStores } from '../../../src/storage/sqlite/sqliteStateStores';
import type { StateStores } from '../../../src/storage/stateStores';
import { FakeIntegration } from '../../helpers/fakeIntegration';
import { tempDataDir } from '../../helpers/harness';

const ADA = { aadObjectId: 'ada-aad', name: 'Ada Admin', userId: '29:ada' };

describe('what a typed "schedule" asks the approvers for', () => {
  let stores: StateStores;
  let service: ApprovalService;
  let asked: number;
  const di = new FakeIntegration().addProject('AccSync').addProject('Sync every day');

  beforeEach(() => {
    stores = openSqliteStateStores(tempDataDir());
    service = new ApprovalService({ store: stores.approvals, ttlHours: 72, policy: { approvers: [ADA.aadObjectId, 'bob-aad'], allowSelfApproval: false } });
    asked = 0;
    const request = service.request.bind(service);
    service.request = (...args) => { asked++; return request(...args); };
  });
  afterEach(() => stores.close());

  /** Ada types `text` after "schedule" in a channel, in `locale`; what the bot answers. */
  async function typed(text: string, locale = 'en-GB'): Promise<string[]> {
    const replies: string[] = [];
    const context = {
      activity: { from: { id: ADA.userId, name: ADA.name, aadObjectId: ADA.aadObjectId }, conversation: { id: '19:general', conversationType: 'channel' }, locale },
      turnState: new Map(),
      sendActivity: async (a: string | { text?: string }) => { replies.push(typeof a === 'string' ? a : a.text ?? ''); return { id: 'm' }; },
    } as unknown as TurnContext;
    const deps = { approvals: service, refs: { list: async () => [] }, sender: {}, source: async () => di.client } as unknown as ApprovalCommandDeps;
    await approvalCommands(deps).schedule(context, { name: 'schedule', project: text });
    return replies;
  }

  test.each([['AccSync every 1500 minutes', '1500 minutes'], ['AccSync every 100000000000 months', '100000000000 months']])('"schedule %s" is answered with the limit; no approver is asked', async (text, what) => {
    expect(await typed(text)).toEqual([expect.stringContaining(`"AccSync" cannot run every ${what}: the service takes an interval of 1 to 1000.`)]);
    expect(asked).toBe(0);
    expect(await service.pending('AccSync')).toBeUndefined();
  });

  test('in German too', async () => {
    expect(await typed('AccSync every 1500 minutes', 'de-DE')).toEqual([expect.stringContaining('"AccSync" kann nicht alle 1500 Minuten laufen: der Dienst nimmt einen Abstand von 1 bis 1000.')]);
  });

  test('"schedule AccSync" alone still asks how often', async () => {
    expect(await typed('AccSync')).toEqual([expect.stringContaining('How often should "AccSync" run?')]);
  });

  test('"schedule Sync every day every 5 minutes" asks for the project "Sync every day"', async () => {
    await typed('Sync every day every 5 minutes');
    expect(await service.pending('Sync every day')).toMatchObject({ recurrence: { kind: 'recurring', every: 5, unit: 'minutes' } });
  });
});
