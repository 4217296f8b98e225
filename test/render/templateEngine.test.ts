import { loadTemplateEngine, templateEngine } from '../../src/render/templateEngine';
import { dataflowPresenter } from '../../src/render/dataflowCards';
import { ENGLISH } from '../../src/words/words';

describe('the templating engine loaded a step per turn (the run watcher readies its first card so)', () => {
  it('is the engine cards are rendered with, and a prepared dataflow alert shows its refresh', async () => {
    await loadTemplateEngine();
    expect(templateEngine()).toBe((require('adaptivecards-templating') as typeof import('adaptivecards-templating')).Template);
    await dataflowPresenter.prepare!();
    const environment = { name: 'env-1', displayName: 'Contoso', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
    const refresh = { id: 'r1', dataflowId: 'd1', status: 'Success', outcome: 'succeeded' as const, startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:01:05.000Z' };
    const { attachment, summary } = dataflowPresenter({ kind: 'refresh', dataflowId: 'd1', dataflowName: 'Accounts', environment, refresh, tables: [] }, ENGLISH);
    expect(JSON.stringify(attachment.content)).toContain('Contoso');
    expect(summary).toContain('Accounts');
  });
});
