import { DialogTestClient } from 'botbuilder-testing';
import { SetupDialog } from '../../../src/features/setup/setupDialog';
import { DataIntegrationError } from '../../../src/integration/errors';
import type { DataIntegration } from '../../../src/integration/port';
import { askedSchedule, forms, play, setupDialogRig, SetupDialogRig, showRecorder, startedRun, Turn } from '../../helpers/setupDialogRig';

const TO_REVIEW: Turn[] = [
  { say: 'set up account sync', expect: /Step 1 of 5/ },
  { click: 'Continue', expect: /Step 2 of 5/ },
  { click: 'Next', changes: { mode: 'new' }, expect: /Step 3 of 5/ },
  { click: 'Next', changes: { name: 'Lost answer sync', consent: 'true' }, expect: /Step 4 of 5/ },
];

/**
 * "Create" reaches the service and the project is created, but its answer is lost (a time-out): the client's retry
 * of the PUT, or the person's "Try again", then meets the project it made. As with the connection set, a project
 * under that name on the draft's connection set and template is taken as created.
 */
describe('"Create" whose answer was lost', () => {
  let r: SetupDialogRig;
  afterEach(async () => { await r.sandbox.close(); });

  /** A client whose first `lost` project creations go through but answer a time-out. */
  function losingAnswers(lost: number): DataIntegration {
    let lose = lost;
    return new Proxy(r.di, {
      get(target, key, receiver) {
        if (key === 'createProject') {
          return async (...args: Parameters<DataIntegration['createProject']>) => {
            const made = await target.createProject(...args);
            if (lose-- > 0) throw new DataIntegrationError('Data Integrator did not answer within 15000 ms', { service: 'integrator', code: 'timeout', retryable: true });
            return made;
          };
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  }

  /** The setup dialog on `di`. */
  function dialogOn(di: DataIntegration): DialogTestClient {
    const dialog = new SetupDialog({
      dataIntegration: async () => di,
      startRun: startedRun,
      requestSchedule: askedSchedule,
      watches: { fromTurn: async () => undefined },
    });
    return new DialogTestClient('msteams', dialog, undefined, [showRecorder(r)]);
  }

  test('"Try again" goes on to step 5 with the project it made, instead of saying the name is taken', async () => {
    r = await setupDialogRig();
    r.client = dialogOn(losingAnswers(1));
    await play(r, [
      ...TO_REVIEW,
      { click: 'Create', expect: /Step 4 of 5.*(not answering|Try again)/ },
    ]);
    expect((await r.di.listProjects()).map((p) => p.name)).toContain('Lost answer sync');
    await play(r, [{ click: 'Try again', expect: /Step 5 of 5.*Lost answer sync is ready/ }]);
    expect(forms(r).length).toBeGreaterThan(0);
  });

  test('"Try again" while the service still cannot read the project back says it is not answering, not that the name is taken', async () => {
    r = await setupDialogRig();
    r.client = dialogOn(losingAnswers(1));
    await play(r, [...TO_REVIEW, { click: 'Create', expect: /Step 4 of 5.*(not answering|Try again)/ }]);
    // The outage goes on: the project's read-back fails too.
    r.sandbox.faults.inject({ route: 'getProject', status: 503 });
    await play(r, [{ click: 'Try again', expect: /Step 4 of 5.*not answering.*Try again/ }]);
    expect(JSON.stringify(forms(r).at(-1))).not.toMatch(/already exists/);
    r.sandbox.faults.clear();
    await play(r, [{ click: 'Try again', expect: /Step 5 of 5.*Lost answer sync is ready/ }]);
    expect((await r.di.listProjects()).filter((p) => p.name === 'Lost answer sync')).toHaveLength(1);
  });
});
