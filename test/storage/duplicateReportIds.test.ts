import { azureBackend, sqliteBackend, StateBackend } from '../helpers/stateBackends';

/**
 * A run id given twice (a digest's ids are the service's run list as it came) is recorded once on both backends.
 * Azure refuses a whole batch that names a row twice ("An entity can appear only once in a batch"): every run of
 * the batch was left unrecorded, and alerted again at the next poll.
 */
describe.each([sqliteBackend(), azureBackend()])('markReported with an id given twice on $name', (backend: StateBackend) => {
  afterAll(() => backend.stop());
  test('records it once', async () => {
    const { stores } = await backend.open();
    const key = { projectName: 'AccSync', conversationId: '19:general' };
    const outcome = await stores.watches.markReported(key, ['e1', 'e2', 'e1'], new Date().toISOString()).then(() => 'recorded', (err: Error) => `refused: ${err.message.split('\n')[0].slice(0, 90)}`);
    const reported = [...(await stores.watches.reported(key, ['e1', 'e2']))].sort();
    await stores.close();
    expect({ outcome, reported }).toEqual({ outcome: 'recorded', reported: ['e1', 'e2'] });
  }, 60_000);
});
