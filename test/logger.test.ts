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
