import { Sanitizer } from '../../tools/tenantCheck/sanitizer';

describe('Sanitizer', () => {
  test('the same GUID becomes the same GUID-shaped placeholder within one run, in any case', () => {
    const s = new Sanitizer();
    const a = s.text('tenant 72F988BF-86F1-41AF-91AB-2D7CD011DB47 and user 11111111-2222-3333-4444-555555555555');
    const b = s.text('again 72f988bf-86f1-41af-91ab-2d7cd011db47');
    expect(a).toBe('tenant 00000000-0000-4000-8000-000000000001 and user 00000000-0000-4000-8000-000000000002');
    expect(b).toBe('again 00000000-0000-4000-8000-000000000001');
    expect(s.text(b)).toBe(b); // a placeholder stays itself
    expect(s.counts.guid).toBe(2);
  });

  test('tokens, secrets in query strings and e-mail addresses are removed from text', () => {
    const s = new Sanitizer();
    expect(s.text('Bearer abc.def Authorization')).toBe('Bearer [removed] Authorization');
    expect(s.text('x=eyJhbGciOi.eyJhdWQiOiJ4In0.sig!')).toBe('x=[jwt]!');
    expect(s.text('?client_secret=s3cr3t&code=0.AXo&state=1')).toBe('?client_secret=[removed]&code=[removed]&state=1');
    expect(s.text('mail adele@contoso.example now')).toBe('mail person@example.invalid now');
    expect(s.summary()).toBe('5 values removed or replaced (authorization 1, jwt 1, secret 2, email 1)');
  });

  test('JSON: secret keys and person fields go, shapes and other values stay', () => {
    const s = new Sanitizer();
    const body = { name: 'AccSync', owner: 'Adele Vance', upsertCount: 3, error: { code: 'NotFound' }, access_token: 'x', createdBy: { displayName: 'Adele Vance', id: 7 } };
    expect(s.json(body)).toEqual({ name: 'AccSync', owner: '[person]', upsertCount: 3, error: { code: 'NotFound' }, access_token: '[removed]', createdBy: { displayName: '[person]', id: 7 } });
  });

  test('dropped headers are counted: authorization, cookie, set-cookie', () => {
    const s = new Sanitizer();
    s.dropHeaders({ authorization: 'Bearer x', cookie: 'a=b' });
    s.dropHeaders({ 'set-cookie': 'a=b' });
    expect(s.counts).toMatchObject({ authorization: 1, cookie: 2 });
  });
});
