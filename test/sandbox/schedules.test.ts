import type { DataIntegration, Execution } from '../../src/integration';
import { createAccountsProject } from '../integration/setupFixtures';
import { type Harness, startHarness, waitForRun } from '../integration/harness';

const MINUTE_MS = 300;

async function runsOf(client: DataIntegration, project: string, atLeast: number, timeoutMs = 10_000): Promise<Execution[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await client.listExecutions(project);
    if (runs.length >= atLeast) return runs;
    if (Date.now() > deadline) throw new Error(`only ${runs.length} runs of ${project}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('schedules in the sandbox', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('fires a 1-minute recurrence on time, never overlapping, until paused', async () => {
    h = await startHarness({ minuteMs: MINUTE_MS, seed: { accounts: 300 } });
    const { name } = await createAccountsProject(h.client);
    const schedule = await h.client.setSchedule(name, { kind: 'recurring', every: 1, unit: 'minutes' });
    expect(Date.parse(schedule.nextRunAt!) - Date.now()).toBeLessThanOrEqual(MINUTE_MS);

    const runs = await runsOf(h.client, name, 2);
    const finished = await Promise.all(runs.map((r) => waitForRun(h.client, name, r.id)));
    const ordered = finished.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(ordered[1]!.startedAt >= ordered[0]!.endedAt!).toBe(true);

    await h.client.pauseSchedule(name);
    const countWhenPaused = (await h.client.listExecutions(name)).length;
    await new Promise((resolve) => setTimeout(resolve, MINUTE_MS * 3));
    expect(await h.client.listExecutions(name)).toHaveLength(countWhenPaused);

    await h.client.resumeSchedule(name);
    await runsOf(h.client, name, countWhenPaused + 1);
  });

  it('refuses a recurrence under one minute', async () => {
    h = await startHarness();
    const { name } = await createAccountsProject(h.client);
    await expect(h.client.setSchedule(name, { kind: 'recurring', every: 0, unit: 'minutes' })).rejects.toMatchObject({
      code: 'validation',
      validationIssues: [expect.objectContaining({ field: 'recurrence.interval' })],
    });
  });

  it('enforces the limit of scheduled projects per tenant', async () => {
    h = await startHarness({ limits: { maxScheduledProjects: 2 } });
    const names = [];
    for (const name of ['First', 'Second', 'Third']) names.push((await createAccountsProject(h.client, name)).name);
    const hourly = { kind: 'recurring', every: 1, unit: 'hours' } as const;
    await h.client.setSchedule('First', hourly);
    await h.client.setSchedule('Second', hourly);
    await h.client.pauseSchedule('Second');
    await expect(h.client.setSchedule('Third', hourly)).rejects.toMatchObject({
      code: 'conflict',
      serviceCode: 'ScheduledProjectLimitReached',
      validationIssues: [expect.objectContaining({ message: expect.stringMatching(/already has 2 scheduled projects/) })],
    });
    await h.client.setSchedule('First', { kind: 'manual' });
    await expect(h.client.setSchedule('Third', hourly)).resolves.toMatchObject({ paused: false });
  });

  it('fails a run that would move more rows than an execution allows, saying why', async () => {
    h = await startHarness({ limits: { maxRowsPerExecution: 1000 } });
    const { name } = await createAccountsProject(h.client);
    const run = await waitForRun(h.client, name, await h.client.runProject(name));
    expect(run).toMatchObject({ status: 'failed', upserts: 0 });
    expect(run.message).toMatch(/2,000 rows; one execution moves at most 1,000/);
  });
});
