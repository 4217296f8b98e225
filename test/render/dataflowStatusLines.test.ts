/**
 * What `status` says of the dataflows a conversation watches: one reply, which Teams refuses past about 28 KB. A busy
 * channel may watch hundreds; the reply stays short enough to be posted, the ones that need a look come first, and
 * the rest are counted.
 */
import { type DataflowWatch, dataflowWatchSchema } from '../../src/notifications/dataflowWatchStore';
import { watchedDataflowsWords } from '../../src/render/dataflowReplies';
import { ENGLISH, wordsFor } from '../../src/words/words';

const ENV = { name: 'env-1', displayName: `Contoso ${'production '.repeat(8)}CDS`, instanceUrl: 'https://contoso.crm.dynamics.com/', instanceApiUrl: 'https://contoso.api.crm.dynamics.com/' };
const at = (minute: number) => new Date(Date.parse('2026-12-07T00:00:00.000Z') + minute * 60_000).toISOString();
const watchOf = (i: number, extra: Partial<DataflowWatch> = {}): DataflowWatch => dataflowWatchSchema.parse({
  dataflowId: `4a1f0c2e-7b3d-4e5f-8a9b-${String(i).padStart(12, '0')}`, dataflowName: `Dataflow ${String(i).padStart(3, '0')} ${'of the sales pipeline '.repeat(4)}`.trim(), environment: ENV,
  conversationId: '19:general', owner: { aadObjectId: 'ada', name: 'Ada' }, notifyLevel: 'all', since: at(0),
  lastRefresh: { id: `r-${i}`, status: 'Success', outcome: 'succeeded', endedAt: at(i) }, ...extra,
});

describe('"status" in a conversation that watches 300 dataflows', () => {
  const watches = Array.from({ length: 300 }, (_, i) => watchOf(i));
  watches[250] = watchOf(250, { lastRefresh: { id: 'r-250', status: 'Failed', outcome: 'failed', endedAt: at(250) } });
  watches[270] = watchOf(270, { stalledAt: at(400) });

  test.each([['en-GB'], ['de-DE']])('is one reply Teams accepts, the stalled and failed ones first, the rest counted (%s)', (locale) => {
    const reply = wordsFor({ locale }).replyLines(watchedDataflowsWords(watches)!);
    expect(Buffer.byteLength(reply)).toBeLessThanOrEqual(20 * 1024);
    const lines = reply.split('\n');
    expect(lines[1]).toContain('Dataflow 270');
    expect(lines[2]).toContain('Dataflow 250');
    expect(lines.at(-1)).toMatch(locale === 'en-GB' ? /and 2\d\d more dataflows watched here/ : /und 2\d\d weitere hier beobachtete Dataflows/);
  });

  test('a few are all listed, in the order kept, with nothing counted', () => {
    const reply = ENGLISH.replyLines(watchedDataflowsWords(watches.slice(0, 3))!);
    expect(reply.split('\n')).toHaveLength(4);
    expect(reply).not.toMatch(/more dataflows/);
  });
});
