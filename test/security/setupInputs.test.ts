import { createDataIntegration, DataIntegration, staticTokenProvider } from '../../src/integration';
import { Sandbox, startSandbox } from '../../dev/sandbox';
import { SetupStep } from '../../src/setupRules/draft';
import { tempDataDir } from '../helpers/harness';
import { GENERIC_ERROR } from './arbitraries';
import { SetupDriver } from './setupDriver';

const BIG = 'x'.repeat(100 * 1024);

describe('setup card inputs of the wrong type or size get a field error, and the flow stays where it was', () => {
  let sandbox: Sandbox;
  let di: DataIntegration;
  let driver: SetupDriver;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dataDir: tempDataDir() });
    di = createDataIntegration({ baseUrls: sandbox.baseUrls, tokens: staticTokenProvider(), timeoutMs: 5000, maxRetries: 2 });
    driver = new SetupDriver(di);
  });
  afterAll(async () => { await sandbox.close(); });

  test.each<[string, SetupStep, Record<string, unknown>, RegExp]>([
    ['project name as a number', 'project', { name: 42, consent: 'true' }, /Use 3 to 64 characters/],
    ['project name as an array', 'project', { name: ['Accounts'], consent: 'true' }, /Use 3 to 64 characters/],
    ['project name as an object', 'project', { name: { first: 'Accounts' }, consent: 'true' }, /Use 3 to 64 characters/],
    ['project name of 100 KB', 'project', { name: BIG, consent: 'true' }, /Use 3 to 64 characters/],
    ['consent "yes"', 'project', { name: 'Accounts typed', consent: 'yes' }, /without your consent/],
    ['consent true (a boolean)', 'project', { name: 'Accounts typed', consent: true }, /without your consent/],
    ['template name of 100 KB', 'project', { name: 'Accounts typed', consent: 'true', template: BIG }, /Pick a template from the list/],
    ['connection set name of 100 KB', 'connectionSet', { mode: 'new', name: BIG }, /Use 3 to 64 characters/],
    ['mode as an array', 'connectionSet', { mode: ['new'] }, /Pick an existing connection set/],
    ['dynamics as an object', 'connectionSet', { mode: 'new', dynamics: { name: 'x' } }, /Pick a Dynamics 365 connection/],
    ['project name with a lone surrogate', 'project', { name: 'Accounts \ud800', consent: 'true' }, /Use 3 to 64 characters/],
  ])('%s', async (_name, step, changes, fieldError) => {
    await driver.walkTo(step);
    const before = { projects: (await di.listProjects()).length, sets: (await di.listConnectionSets()).length };
    const said = await driver.click('Next', changes);
    expect(said).toMatch(fieldError);
    expect(said).not.toMatch(GENERIC_ERROR);
    expect(driver.step()).toBe(step);
    expect(JSON.stringify(driver.card)).not.toContain(BIG); // a refused value is not shown again
    expect({ projects: (await di.listProjects()).length, sets: (await di.listConnectionSets()).length }).toEqual(before);
  });
});
