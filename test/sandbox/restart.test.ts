import { createAccountsProject } from '../integration/setupFixtures';
import { type Harness, startHarness, waitForRun } from '../integration/harness';

describe('restarting the sandbox', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('keeps connection sets, projects, schedules and run history', async () => {
    h = await startHarness();
    const { name, connectionSetName } = await createAccountsProject(h.client);
    const run = await waitForRun(h.client, name, await h.client.runProject(name));
    const schedule = await h.client.setSchedule(name, { kind: 'recurring', every: 2, unit: 'hours' });
    const before = {
      sets: await h.client.listConnectionSets(),
      project: await h.client.getProject(name),
      history: await h.client.listExecutions(name),
    };

    await h.restart();

    expect(await h.client.listConnectionSets()).toEqual(before.sets);
    expect((await h.client.getConnectionSet(connectionSetName)).name).toBe(connectionSetName);
    expect(await h.client.getProject(name)).toEqual(before.project);
    expect(await h.client.getSchedule(name)).toEqual(schedule);
    expect(await h.client.listExecutions(name)).toEqual(before.history);
    expect(before.history[0]).toEqual(run);
    await expect(h.client.saveProjectAsTemplate(name, 'Saved after restart')).resolves.toMatchObject({ name: 'Saved after restart' });
  });

  it('marks a run cut off by a stop as failed, and runs a queued one after the restart', async () => {
    h = await startHarness({ seed: { accounts: 20_000 } });
    const { name } = await createAccountsProject(h.client);
    const first = await h.client.runProject(name);
    const second = await h.client.runProject(name);
    await h.restart();
    const interrupted = await waitForRun(h.client, name, first);
    expect(interrupted.status).toBe('failed');
    expect(interrupted.message).toMatch(/stopped during the run/);
    expect(await waitForRun(h.client, name, second)).toMatchObject({ status: 'warning' });
  });
});
