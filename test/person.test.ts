import { actingPerson } from '../src/person';

describe('the person behind an activity: one mapping for setups, approvals and watches (issue 22, item 5)', () => {
  test.each([
    ['a Teams user', { id: '29:ada', name: 'Ada Admin', aadObjectId: 'a0a0' }, { aadObjectId: 'a0a0', name: 'Ada Admin', userId: '29:ada', verified: true }],
    ['a user without a directory id (local channels)', { id: 'user-1', name: 'Local' }, { aadObjectId: 'user-1', name: 'Local', userId: 'user-1', verified: false }],
    ['a user without a name', { id: '29:x', aadObjectId: 'x', name: '  ' }, { aadObjectId: 'x', name: 'Someone', userId: '29:x', verified: true }],
  ])('%s', (_what, from, person) => {
    expect(actingPerson({ from })).toEqual(person);
  });

  test('no sender, or one without an id, is nobody', () => {
    expect(actingPerson({})).toBeUndefined();
    expect(actingPerson({ from: { name: 'Nobody' } })).toBeUndefined();
  });
});
