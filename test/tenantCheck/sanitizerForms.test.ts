import fc from 'fast-check';
import { nestingDepth } from '../../tools/tenantCheck/nesting';
import { recordingFileName } from '../../tools/tenantCheck/recordings';
import { Sanitizer } from '../../tools/tenantCheck/sanitizer';
import { escapeControls } from '../../tools/tenantCheck/terminalText';

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const token = fc.stringMatching(/^[A-Za-z0-9]{10,24}$/).map((t) => `Zq${t}`);

/** The forms a secret takes in free text; each plants `t` where only the sanitizer's rules can find it. */
const FORMS: Record<string, (t: string) => string> = {
  'query sig': (t) => `https://a.blob.core.windows.net/c/b?sv=2022&sig=${t}&se=1`,
  'SAS inside another parameter': (t) => `redirect=https://x.example/cb?sig=${t}`,
  'encoded SAS': (t) => `sasUrl=https%3A%2F%2Fa.example%2Fb%3Fsv%3D1%26sig%3D${t}`,
  'connection string': (t) => `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${t}==;EndpointSuffix=core.windows.net`,
  'form body': (t) => `grant_type=refresh_token&refresh_token=${t}&scope=x`,
  'cookie header': (t) => `Cookie: ai_session=${t}; other=1`,
  'header line': (t) => `x-functions-key: ${t}`,
  'JSON in text, any key case': (t) => `{"RefreshToken": "${t}", "x": 1}`,
  'JSON key with spaces in value': (t) => `{"clientSecret":"a b ${t} c"}`,
  'percent-encoded JSON': (t) => `%22apiKey%22%3A%22${t}%22`,
  'JWT with a spaced header': (t) => `${b64url('{ "alg": "RS256" }')}.${b64url('{"sub":"x"}')}.${t}`,
  'JWT with an empty header': (t) => `e30.${b64url('{"sub":"x"}')}.${t}`,
  'JWT with a newline header': (t) => `${b64url('{\n  "alg": "none"\n}')}.${b64url(`{"claim":"${t}"}`)}.sig`,
  'bearer': (t) => `Authorization: Bearer ${t}`,
  'e-mail': (t) => `${t}@contoso.example`,
  'e-mail, IDN domain': (t) => `${t}@müller-gmbh.example`,
  'e-mail, IDN domain is the secret': (t) => `adele@${t}-müller.example`,
  'e-mail %40': (t) => `mail=${t}%40contoso.example`,
  'e-mail %2540': (t) => `${t}%2540contoso.example`,
  'e-mail &#64;': (t) => `${t}&#64;contoso.example`,
  'e-mail \\u0040': (t) => `${t}\\u0040contoso.example`,
  'e-mail, full-width @': (t) => `${t}＠contoso.example`,
};

describe('Sanitizer.text finds each form of a secret, whatever text surrounds it', () => {
  test.each(Object.entries(FORMS))('%s', (_, form) => {
    fc.assert(fc.property(fc.string(), fc.string(), token, (before, after, secret) => {
      const out = new Sanitizer().text(`${before} ${form(secret)} ${after}`);
      expect(out).not.toContain(secret);
    }), { numRuns: 200 });
  });

  test('what is no secret stays: error codes, host names, our own field names, URLs without secrets', () => {
    const s = new Sanitizer();
    const kept = [
      'integrationKeyFields: expected array, got nothing', 'HTTP 404: code NotFound', 'https://projectmanagementservice.eu-il101.gateway.prod.island.powerapps.com/api/Project',
      '{"code":"ScheduledProjectLimitReached"}', 'https://api.bap.microsoft.com/providers?api-version=2020-10-01', 'a@b', 'user@localhost',
    ];
    expect(kept.map((t) => s.text(t))).toEqual(kept);
  });
});

describe('Sanitizer.json: keys by pattern at any depth, JSON and base64 inside strings', () => {
  test.each(['refreshToken', 'RefreshToken', 'refresh_token', 'idToken', 'clientSecret', 'apiKey', 'x-api-key', 'Password', 'sasToken', 'sig', 'signature', 'client_assertion', 'credentials', 'authCode'])('%s', (key) => {
    const body = { a: [{ b: { [key]: 'SECRET-VALUE-1234567890abcdefghij' } }], s: JSON.stringify({ c: { [key]: 'INNER-SECRET-0987654321zyxwvutsrq' } }) };
    const out = JSON.stringify(new Sanitizer().json(body));
    expect(out).not.toMatch(/SECRET-VALUE|INNER-SECRET/);
  });

  test('a base64 value or data: URI that decodes to text with a secret is removed; a thumbnail stays as it is', () => {
    const thumbnail = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37 + 128) % 256)).toString('base64');
    const s = new Sanitizer();
    expect(s.json({
      state: Buffer.from('{"refresh_token":"ZqPlantedState"}').toString('base64url'),
      data: `data:application/json;base64,${Buffer.from('{"mail":"adele@contoso.example"}').toString('base64')}`,
      thumbnail,
    })).toEqual({ state: '[removed]', data: '[removed]', thumbnail });
  });

  test('a body nested 10,000 levels deep is walked without overflowing the stack; a key named __proto__ stays a key', () => {
    let deep: unknown = { password: 'ZqDeepSecret' };
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    let out = new Sanitizer().json(deep);
    for (let i = 0; i < 10_000; i += 1) out = (out as unknown[])[0];
    expect(out).toEqual({ password: '[removed]' });
    const parsed = new Sanitizer().json(JSON.parse('{"__proto__":{"token":"x"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });

  test('a string holding JSON nested too deep is removed, not parsed', () => {
    expect(new Sanitizer().json({ s: `${'['.repeat(5000)}${']'.repeat(5000)}` })).toEqual({ s: '[removed: nested too deep]' });
  });
});

describe('every pass is linear: 1 MB of the runs each old pattern backtracked over', () => {
  const RUNS: Record<string, string> = {
    'word characters': 'a', 'dotted words': 'a.', '@ after words': 'a@', '%40': 'a%40', 'at signs': '@', 'key=': 'key=', 'a=b=c': 'a=',
    'quoted keys': '"key":"', backslashes: '\\', 'eyJ.': 'eyJ.', 'hex and dashes': '0123456789abcdef-', 'local-part characters': 'a.b+c-', '&#0': '&#0', 'Bearer ': 'Bearer ',
  };
  test.each(Object.entries(RUNS))('%s', (_, unit) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const started = performance.now();
    const s = new Sanitizer();
    s.text(text);
    s.json({ value: text });
    // Quadratic took minutes on a tenth of this; linear takes well under a second even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('file names, nesting and terminal text', () => {
  test('a recording\'s file name has letters, digits and dashes only, whatever the method and path', () => {
    fc.assert(fc.property(fc.string(), fc.string({ maxLength: 300 }), fc.integer(), (method, template, status) => {
      expect(recordingFileName(['candidate', method, template], status)).toMatch(/^[A-Za-z0-9-]{1,120}\.json$/);
    }));
    expect(recordingFileName(['candidate', 'GET/../../../X', 'api/Projects/name'], 200)).toBe('candidate-GET-X-api-Projects-name-200.json');
  });

  test('nestingDepth counts what JSON.parse would nest, brackets in strings aside', () => {
    const depth = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0);
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(nestingDepth(JSON.stringify(value), Infinity)).toBe(depth(value));
    }));
  });

  test('no control character survives escaping; the kept newline does', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(escapeControls(text, '\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }));
    expect(escapeControls('a\u001b[31mb\nc\u202ed', '\n')).toBe('a\\u001b[31mb\nc\\u202ed');
  });
});
