// The package's ESM entry does not load in Node; its bundled UMD build does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/** Problems Microsoft's Adaptive Cards library finds when it parses a card as version 1.5, plus the size limit. */
export function cardProblems(card: unknown): string[] {
  const problems: string[] = [];
  const json = card as { type?: string; version?: string };
  if (json.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard');
  if (json.version !== '1.5') problems.push(`version ${json.version}, expected 1.5`);
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size >= 28 * 1024) problems.push(`${size} bytes: over the 28 KB message limit`);
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    problems.push(`parse: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents as Array<{ message: string }>) problems.push(`validate: ${e.message}`);
  return problems;
}
