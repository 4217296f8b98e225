import type { AdaptiveCardJson, CardTemplateName } from '../../src/render/cardRenderer';
import { dataflowAlertCard } from '../../src/render/dataflowCards';
import { dataflowsPickCard, environmentPickCard } from '../../src/render/dataflowPickCard';
import { refreshOutcomeOf } from '../../src/integration/port';
import type { SampleNames } from './sampleCards';
import { said, type Words } from '../../src/words/words';

/** The dataflow cards in the states that show the most, with the sample names. */
export function dataflowSamples(t: SampleNames, w: Words): Array<[CardTemplateName, string, AdaptiveCardJson]> {
  const about = {
    dataflowId: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', dataflowName: t.project,
    environment: { name: 'env-1', displayName: t.text, instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' },
  };
  const refresh = (status: string) => ({ id: 'r1', dataflowId: about.dataflowId, status, outcome: refreshOutcomeOf(status), startedAt: '2026-03-01T09:00:00.000Z', endedAt: '2026-03-01T09:01:05.000Z', errorInfo: t.text });
  const tables = [
    { tableName: 'account', status: 'Success', outcome: refreshOutcomeOf('Success'), inserted: 12, upserted: 1990, errors: 0 },
    { tableName: t.text, status: 'Failed', outcome: refreshOutcomeOf('Failed'), inserted: 0, errors: 3, errorMessage: t.text },
  ];
  return [
    ['dataflowAlert', 'failed with table errors', dataflowAlertCard({ kind: 'refresh', ...about, refresh: refresh('Failed'), tables }, w)],
    ['dataflowAlert', 'unrecognised status, tables not read', dataflowAlertCard({ kind: 'refresh', ...about, refresh: refresh(t.text) }, w)],
    ['dataflowAlert', 'stalled', dataflowAlertCard({ kind: 'stalled', ...about, lastRefreshAt: '2026-03-01T09:00:00.000Z', usualIntervalMs: 3_600_000 }, w)],
    ['dataflowAlert', 'resumed', dataflowAlertCard({ kind: 'resumed', ...about, stalledAt: '2026-03-01T12:00:00.000Z', refreshEndedAt: '2026-03-01T13:00:00.000Z' }, w)],
    ['dataflowPick', 'environments', environmentPickCard([about.environment, { ...about.environment, name: 'env-2' }], true, said('dataflow.pick.environmentMissing'), w)],
    ['dataflowPick', 'dataflows', dataflowsPickCard(about.environment, [
      { id: about.dataflowId, name: t.project, active: true, lastRefresh: refresh('Failed') }, { id: 'x', name: t.text, active: true }, { id: 'y', name: 'Old', active: false },
    ], undefined, w)],
    ['dataflowPick', 'no dataflows', dataflowsPickCard(about.environment, [], said('text.asGiven', { text: t.text }), w)],
    ['dataflowAlert', 'unreadable', dataflowAlertCard({ kind: 'unreadable', ...about, why: said('error.why.botRefusedDataverse'), next: said('error.next.botRefusedDataverse'), more: 1 }, w)],
    ['dataflowAlert', 'gone', dataflowAlertCard({ kind: 'gone', ...about }, w)],
  ];
}
