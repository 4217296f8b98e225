import { createLogger, humanDestination, humanLine } from '../src/logger';

describe('logs in a terminal (issue 12, item 24)', () => {
  test('a terminal gets readable lines, still redacted; JSON stays JSON elsewhere', () => {
    const lines: string[] = [];
    const logger = createLogger('info', humanDestination({ write: (t: string) => lines.push(t) }));
    logger.warn({ conversationId: 'c1', token: 'secret-value', count: 2 }, 'sandbox port taken');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN sandbox port taken conversationId=c1 token=\[redacted\] count=2\n$/);
    expect(lines[0]).not.toContain('secret-value');
    expect(humanLine('not json')).toBe('not json');
  });
});

describe('secrets never reach a log line', () => {
  const logged = (obj: object, bindings: object = {}) => {
    const lines: string[] = [];
    createLogger('info', { write: (t: string) => { lines.push(t); } }).child(bindings).info(obj, 'm');
    return JSON.parse(lines[0]) as Record<string, unknown>;
  };

  test('at the top of the object, one level down, in request headers and in a child\'s bindings; the caller\'s object untouched', () => {
    const request = { url: 'https://x', headers: { authorization: 'Bearer abc', accept: 'json' } };
    const err = Object.assign(new Error('refused'), { accessToken: 'tok-1' });
    const line = logged({ token: 't', password: { nested: 1 }, auth: { clientSecret: 's', user: 'u' }, request, headers: { authorization: 'b' }, err, count: 2 }, { userToken: 'ut', conversationId: 'c' });
    expect(line).toMatchObject({
      token: '[redacted]', password: '[redacted]', auth: { clientSecret: '[redacted]', user: 'u' },
      request: { url: 'https://x', headers: { authorization: '[redacted]', accept: 'json' } }, headers: { authorization: '[redacted]' },
      err: { message: 'refused', accessToken: '[redacted]', type: 'Error' }, count: 2, userToken: '[redacted]', conversationId: 'c',
    });
    expect(JSON.stringify(line)).not.toMatch(/Bearer abc|tok-1|"t"|"s"|"ut"/);
    expect(request.headers.authorization).toBe('Bearer abc');
    expect(err.accessToken).toBe('tok-1');
    expect(typeof (line.err as { stack?: unknown }).stack).toBe('string');
  });
});
