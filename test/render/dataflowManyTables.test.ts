import type { TableRefresh } from '../../src/integration/port';
import { refreshOutcomeOf } from '../../src/integration/port';
import { dataflowPresenter } from '../../src/render/dataflowCards';
import { CARD_BYTES_MAX } from '../../src/render/cardFit';
import { Words } from '../../src/words/words';
import { cardText } from '../helpers/cardWalk';
import { cardProblems } from '../helpers/cards';

const about = {
  dataflowId: '4a1f0c2e-7b3d-4e5f-8a9b-1c2d3e4f5a6b', dataflowName: 'Warehouse staging',
  environment: { name: 'env-1', displayName: 'Contoso CDS', instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' },
};
/** The tables of one refresh as Dataverse lists them (by name); `failing` are the ones that did not load. */
const tablesOf = (count: number, failing: readonly number[]): TableRefresh[] => Array.from({ length: count }, (_, i) => {
  const status = failing.includes(i) ? 'Failed' : 'Success';
  return { tableName: `cr8a1_salesorderdetailhistory${String(i).padStart(3, '0')}`, status, outcome: refreshOutcomeOf(status), inserted: 12345, upserted: 67890, errors: failing.includes(i) ? 4 : 0 };
});
const alertOf = (tables: TableRefresh[], w = new Words('en')) => dataflowPresenter({
  kind: 'refresh', ...about, tables,
  refresh: { id: 'r1', dataflowId: about.dataflowId, status: 'Failed', outcome: 'failed', startedAt: '2026-12-07T09:00:00Z', endedAt: '2026-12-07T10:00:00Z' },
}, w).attachment.content;
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card));

describe('the alert of a refresh that loaded many tables', () => {
  test('stays under the size Teams accepts (at about 190 tables it did not, and the alert never went out), names the tables that failed, and counts the rest', () => {
    const card = alertOf(tablesOf(250, [7, 249]));
    expect(bytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('**cr8a1_salesorderdetailhistory249**: 12345 inserted, 67890 upserted, 4 errors');
    expect(text).toContain('**cr8a1_salesorderdetailhistory007**');
    expect(text).toContain('…and 210 more tables.');
    expect(cardText(alertOf(tablesOf(250, [7, 249]), new Words('de')))).toContain('…und 210 weitere Tabellen.');
  });

  test('a refresh of a few tables lists each, in the order Dataverse gave, with no count', () => {
    const text = cardText(alertOf(tablesOf(5, [3])));
    expect(text.match(/\*\*cr8a1_salesorderdetailhistory\d+\*\*/g)).toEqual([0, 1, 2, 3, 4].map((i) => `**cr8a1_salesorderdetailhistory00${i}**`));
    expect(text).not.toContain('more tables');
  });
});
