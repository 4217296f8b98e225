import { refreshOutcomeOf } from '../../src/integration/port';
import { dataflowPresenter } from '../../src/render/dataflowCards';
import { Words } from '../../src/words/words';

const about = {
  dataflowId: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', dataflowName: 'Accounts',
  environment: { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' },
};
const ended = (status: string) => ({
  kind: 'refresh' as const, ...about, tables: [],
  refresh: { id: 'r1', dataflowId: about.dataflowId, status, outcome: refreshOutcomeOf(status), endedAt: '2026-12-07T10:00:00Z' },
});
const summary = (status: string, w = new Words('en')) => dataflowPresenter(ended(status), w).summary;

describe('the notification line of a dataflow alert (what Teams shows in the activity feed and the toast)', () => {
  test('a refresh that ended without a status says so, in the watch\'s language, as its card does (it read "Accounts: " with nothing after)', () => {
    expect(summary('')).toBe('Accounts: No status recorded');
    expect(summary('', new Words('de'))).toBe('Accounts: Kein Status erfasst');
  });

  test('a recognised outcome is said in words, and a status the bot does not know as Dataverse wrote it', () => {
    expect(summary('Failed', new Words('de'))).toBe('Accounts: Fehlgeschlagen');
    expect(summary('PartiallySucceeded')).toBe('Accounts: PartiallySucceeded');
  });
});
