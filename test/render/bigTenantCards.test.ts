/**
 * Every card whose lists grow with the tenant's or a person's data, drawn for a big tenant with names as long as the
 * services allow (in a script of three bytes a character): Teams refuses a card over about 28 KB. Those that could pass
 * CARD_BYTES_MAX show as many items as fit, the useful ones first, and say how many of how many; the others are bounded.
 */
import type { AuditEntry } from '../../src/scheduleApprovals/approvalRequest';
import type { RunAlert } from '../../src/notifications/watchAlert';
import { approvalDecidedCard, approvalHistoryCard, approvalRequestCard } from '../../src/render/approvalCards';
import { CARD_BYTES_MAX, cardBytes } from '../../src/render/cardFit';
import type { AdaptiveCardJson } from '../../src/render/cardRenderer';
import { runResultCard } from '../../src/render/projectCards';
import { runAlertCard, runDigestCard } from '../../src/render/runCards';
import { setupCard } from '../../src/render/setupCards';
import { welcomeCard } from '../../src/render/welcomeCard';
import { FlowState, newFlow, submitToFlow, viewOfFlow } from '../../src/setupRules/submitToFlow';
import { said, Words } from '../../src/words/words';
import { bigEntityName, bigEnvironmentName, bigSetName, bigTemplateName, bigTenant } from '../helpers/bigTenant';
import { cardProblems } from '../helpers/cards';
import { cardAction, cardChoices, cardInputs, cardReading } from '../helpers/cardWalk';

const words = (lang: 'en' | 'de') => new Words(lang, 'Europe/Berlin');
/** Text as long as a service allows, in Japanese (three bytes a character) with markdown to escape. */
const long = (n: number) => '株式会社コントソ_営業*[x]'.repeat(n).slice(0, n);
const person = { aadObjectId: 'a', name: long(200), userId: '29:a' };
const at = '2026-03-01T09:00:00.000Z';
const di = bigTenant({ environments: 300, connectionSets: 200, templates: 300, projects: 300 });
/** The same tenant whose templates map 40 entities each (a tenant's own template saved from a big project). */
const diManyMappings = bigTenant({ environments: 300, connectionSets: 200, templates: 300, projects: 300, templateMappings: 40 });
const flowAt = (step: 'prerequisites' | 'project'): FlowState => {
  const flow = newFlow({ id: 'ada', name: 'Ada' });
  return { ...flow, draft: { ...flow.draft, step, connectionSet: { mode: 'existing', name: bigSetName(0) } } };
};
/** The newest 20 entries of a project's approval history (what "history" reads), each with a comment as long as allowed. */
const history = (n: number): AuditEntry[] => Array.from({ length: n }, (_, i) => ({
  requestId: `r${i}`, projectName: long(200), at: new Date(Date.parse(at) - i * 60_000).toISOString(), action: 'rejected', actor: person,
  comment: `entry ${i} ${long(500)}`, detail: said('text.asGiven', { text: { long: long(500) } }), signIn: { by: person, insteadOfRequester: 'refused' },
}));
const alert = (errors: number): RunAlert => ({
  projectName: long(200), executionId: 'e', outcome: 'failed', upserts: 1, errorCount: 4000, moreErrors: 4000 - errors,
  recordErrors: Array.from({ length: errors }, (_, i) => ({ recordId: `rec-${i}`, field: long(100), message: long(2000), record: { name: long(300), number: long(100) } })),
  startedAt: at, endedAt: at, durationMs: 1, message: long(2000), nextRunAt: at, schedule: 'recurring',
});

describe.each(['en', 'de'] as const)('cards that grow past CARD_BYTES_MAX (%s)', (lang) => {
  const w = words(lang);
  const fitted: Array<[string, () => Promise<AdaptiveCardJson>, RegExp, number]> = [
    ['setup step 1, 300 environments', async () => setupCard(await viewOfFlow(di, flowAt('prerequisites')), 'ada', w),
      lang === 'en' ? /Showing (\d+) of 300 environments/ : /(\d+) von 300 Umgebungen/, 300],
    ['setup step 3, 300 templates', async () => setupCard(await viewOfFlow(di, flowAt('project')), 'ada', w),
      lang === 'en' ? /Showing (\d+) of 300 templates/ : /(\d+) von 300 Vorlagen/, 300],
    ['setup step 3, the preview of a template of 40 long mappings', async () => setupCard(await viewOfFlow(diManyMappings, flowAt('project')), 'ada', w),
      lang === 'en' ? /Showing (\d+) of 40 mappings/ : /(\d+) von 40 Zuordnungen/, 40],
    ['"history" of 20 long entries', async () => approvalHistoryCard(long(200), history(20), w),
      lang === 'en' ? /Showing the newest (\d+) of 20 entries/ : /die neuesten (\d+) von 20 Einträgen/, 20],
    ['"Show errors" of 25 long rejected records', async () => runAlertCard(alert(25), undefined, true, w),
      lang === 'en' ? /Showing (\d+) of 4000 rejected records/ : /(\d+) von 4000 abgelehnten Datensätzen/, 25],
  ];
  test.each(fitted)('%s: fits, and says how many it shows of how many', async (_name, draw, line, total) => {
    const card = await draw();
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardProblems(card)).toEqual([]);
    const shown = Number(cardReading(card).match(line)?.[1]);
    expect(shown).toBeGreaterThanOrEqual(Math.min(total - 1, 5));
    expect(shown).toBeLessThan(total);
  });
});

describe('what a fitted card keeps', () => {
  test('setup step 1 lists the environments the setup picked first (Sales and the destination), then by name', async () => {
    const card = setupCard(await viewOfFlow(di, flowAt('prerequisites')), 'ada', words('en'));
    const text = cardReading(card);
    expect(text.indexOf(bigEnvironmentName(0))).toBeGreaterThan(-1);
    expect(text.indexOf(bigEnvironmentName(299))).toBeGreaterThan(text.indexOf(bigEnvironmentName(0)));
    expect(text.indexOf(bigEnvironmentName(1))).toBeGreaterThan(text.indexOf(bigEnvironmentName(299)));
    expect(text).toContain('Step 2 finds any environment by part of its name');
  });

  test('"history" keeps the newest entries', () => {
    const text = cardReading(approvalHistoryCard('p', history(20), words('en')));
    expect(text).toContain('entry 0 ');
    expect(text).not.toContain('entry 19 ');
  });

  test('setup step 3: the picked template stays; "Find a template" and "Preview template" reach any other, through the flow', async () => {
    let state = flowAt('project');
    const first = setupCard(await viewOfFlow(di, state), 'ada', words('en'));
    expect(cardChoices(first, 'template')[0]).toBe(cardInputs(first).template);
    const result = await submitToFlow(di, state, { ...cardInputs(first), templateFilter: 'region 287', template: 'template-287', ...cardAction(first, 'Preview template') });
    if (result.kind !== 'show') throw new Error(result.kind);
    state = result.state;
    const found = setupCard(result.view, 'ada', words('en'));
    expect(cardChoices(found, 'template')).toEqual(['template-287']);
    expect(cardReading(found)).toContain(`Preview of ${bigTemplateName(287)}`);
    const next = await submitToFlow(di, state, { ...cardInputs(found), consent: 'true', ...cardAction(found, 'Next') });
    expect(next.kind === 'show' && next.state.draft.project?.templateName).toBe('template-287');
  });
});

describe('setup step 3 previews a template of many mappings', () => {
  test.each(['en', 'de'] as const)('the first mappings, in the template\'s order, beside as many templates as fit, and where to see them all (%s)', async (lang) => {
    const card = setupCard(await viewOfFlow(diManyMappings, flowAt('project')), 'ada', words(lang));
    const text = cardReading(card);
    expect(text).toContain(bigEntityName(0));
    expect(text.indexOf(bigEntityName(1))).toBeGreaterThan(text.indexOf(bigEntityName(0)));
    expect(text).not.toContain(bigEntityName(39));
    expect(text).toMatch(lang === 'en' ? /admin center/ : /Admin Center/);
    expect(cardChoices(card, 'template').length).toBeGreaterThanOrEqual(10);
  });
});

/** A service's explanation as long as it writes them, quoting values in angle brackets (each `<` a card breaks up, 4 bytes). */
const quoting = (n: number) => '値<株式会社>と<コントソ_営業*[x]>は無効です。'.repeat(n).slice(0, n);
/** A run of a project whose name and explanation are as long as the services allow, with figures as wide as they get. */
const bigRun = (i: number, outcome: RunAlert['outcome']): RunAlert => ({
  ...alert(3), executionId: `run-${i}`, outcome, upserts: 1_234_567, errorCount: 1_234_567, durationMs: 7_440_000,
  endedAt: undefined, endedBy: new Date(Date.parse(at) + i * 60_000).toISOString(), message: `run ${i} ${quoting(2000)}`,
});

describe.each(['en', 'de'] as const)('a digest of many runs at the services\' limits (%s)', (lang) => {
  // 200 runs, the failed ones (every 40th) among older successes and warnings.
  const runs = Array.from({ length: 200 }, (_, i) => bigRun(i, i % 40 === 7 ? 'failed' : i % 2 ? 'warning' : 'succeeded'));
  const failed = runs.filter((r) => r.outcome === 'failed').map((r) => r.executionId);
  const card = runDigestCard(runs, undefined, words(lang));
  const text = cardReading(card);

  test('fits, and says how many runs it shows of how many', () => {
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_BYTES_MAX);
    expect(cardProblems(card)).toEqual([]);
    const shown = Number(text.match(lang === 'en' ? /Showing (\d+) of 200 runs/ : /(\d+) von 200 Läufen/)?.[1]);
    expect(shown).toBeGreaterThanOrEqual(failed.length);
    expect(shown).toBeLessThan(200);
  });

  test('keeps every failed run, and lists those it shows in the order they ended, as the thread does', () => {
    const at = (id: string) => text.indexOf(`run ${id.slice(4)} `);
    const listed = runs.map((r) => at(r.executionId)).filter((p) => p > -1);
    expect(failed.map(at).every((p) => p > -1)).toBe(true);
    expect([...listed].sort((a, b) => a - b)).toEqual(listed);
  });
});

describe('cards bounded whatever the data: the worst plausible input stays under CARD_BYTES_MAX', () => {
  const w = words('de');
  const request = {
    id: 'req-1', projectName: long(200), recurrence: { kind: 'recurring' as const, every: 1, unit: 'minutes' as const }, requestedBy: person,
    conversationId: 'c', status: 'pending' as const, requestedAt: at, expiresAt: at, limitWarning: said('limit.near', { after: 46, limit: 50 }),
    approverUserIds: Array.from({ length: 200 }, (_, i) => `29:1${'x'.repeat(80)}${i}`), approverNames: Array.from({ length: 30 }, () => long(100)),
  };
  const execution = { id: 'e', status: 'warning' as const, upserts: 3, errorCount: 1, recordErrors: alert(25).recordErrors, startedAt: at, endedAt: at, message: long(2000) };
  const review: FlowState = { ...flowAt('project'), draft: { ...flowAt('project').draft, step: 'review', project: { name: 'A'.repeat(64), templateName: 'template-5', dynamicsOrganization: long(200), dataverseOrganizationId: long(200) } } };
  test.each<[string, () => AdaptiveCardJson | Promise<AdaptiveCardJson>]>([
    ['setup step 4 (review)', async () => setupCard(await viewOfFlow(di, review), 'ada', w)],
    ['run alert', () => runAlertCard(alert(3), undefined, false, w)],
    ['run result', () => runResultCard(long(200), execution, w)],
    ['approval request', () => approvalRequestCard(request, { viewer: 'approver', approverUserIds: request.approverUserIds, notice: said('refusal.notApprover'), now: new Date(at) }, w)],
    ['approval decided', () => approvalDecidedCard({ ...request, status: 'rejected', decidedBy: person, comment: long(500) }, said('refusal.notApprover'), w)],
    ['welcome', () => welcomeCard(true, w)],
  ])('%s', async (_name, draw) => {
    expect(cardBytes(await draw())).toBeLessThanOrEqual(CARD_BYTES_MAX);
  });
});
