import { createAccountsProject, CDS, SALES } from '../integration/setupFixtures';
import { type Harness, startHarness, waitForRun } from '../integration/harness';

describe('running "Accounts (Sales to CDS)" in the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('upserts every valid account and reports every invalid one with its record id and reason', async () => {
    const { name } = await createAccountsProject(h.client);
    const run = await waitForRun(h.client, name, await h.client.runProject(name));

    const source = h.sandbox.sourceRows(SALES.name, 'account');
    const tooLong = source.filter((r) => typeof r.data.name === 'string' && r.data.name.length > 160);
    const nameless = source.filter((r) => r.data.name === undefined);
    expect(tooLong.length).toBeGreaterThan(0);
    expect(nameless.length).toBeGreaterThan(0);

    const destination = h.sandbox.destinationRows(CDS.name, 'account');
    expect(run.status).toBe('warning');
    expect(destination).toHaveLength(run.upserts);
    expect(run.upserts).toBe(source.length - tooLong.length - nameless.length);
    expect(run.errorCount).toBe(tooLong.length + nameless.length);

    const reasons = new Map(run.recordErrors.map((e) => [e.recordId, e]));
    const origin = { task: 'account to account', leg: 0 };
    for (const row of tooLong) {
      expect(reasons.get(row.recordId)).toEqual({ recordId: row.recordId, field: 'name', message: expect.stringMatching(/at most 160/), origin });
    }
    for (const row of nameless) {
      expect(reasons.get(row.recordId)).toEqual({ recordId: row.recordId, field: 'name', message: 'Required field "name" is empty', origin });
    }
    const sample = source.find((r) => r.data.accountnumber === 'ACC-000001');
    const copied = destination.find((r) => r.data.accountnumber === 'ACC-000001');
    expect(copied?.data).toEqual(sample?.data);
  });

  it('upserts again without duplicates when run a second time', async () => {
    const name = 'Sync accounts';
    const before = h.sandbox.destinationRows(CDS.name, 'account');
    const again = await waitForRun(h.client, name, await h.client.runProject(name));
    const after = h.sandbox.destinationRows(CDS.name, 'account');
    expect(again.upserts).toBe(before.length);
    expect(after).toHaveLength(before.length);
    expect(new Set(after.map((r) => r.data.accountnumber)).size).toBe(after.length);
    expect(after.map((r) => r.recordId).sort()).toEqual(before.map((r) => r.recordId).sort());
  });

  it('runs the runs of one project one after another', async () => {
    const name = 'Sync accounts';
    const ids = await Promise.all([h.client.runProject(name), h.client.runProject(name), h.client.runProject(name)]);
    const runs = await Promise.all(ids.map((id) => waitForRun(h.client, name, id)));
    const ordered = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (let i = 1; i < ordered.length; i += 1) {
      expect(ordered[i]!.startedAt >= ordered[i - 1]!.endedAt!).toBe(true);
    }
    expect(runs.every((r) => r.upserts === runs[0]!.upserts)).toBe(true);
  });

  it('reports a contacts run with the rows that lack a last name', async () => {
    const { name } = await createAccountsProject(h.client, 'Sync contacts', 'Contacts (Sales to CDS)');
    const run = await waitForRun(h.client, name, await h.client.runProject(name));
    const nameless = h.sandbox.sourceRows(SALES.name, 'contact').filter((r) => r.data.lastname === undefined);
    expect(run.errorCount).toBe(nameless.length);
    expect(h.sandbox.destinationRows(CDS.name, 'contact')).toHaveLength(run.upserts);
  });
});
