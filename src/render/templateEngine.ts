import { setImmediate } from 'node:timers/promises';
import type { Template } from 'adaptivecards-templating';
import { parseTemplateStringsOnce } from './parsedTemplates';

/**
 * The engine's heaviest dependencies, each a package's own entry that loads alone: required at once they are one
 * block of the event loop of 150-250 ms on a 2-core machine; one per turn, the longest (adaptive-expressions, whose
 * modules require each other in a cycle and so load as one) is about 60 ms. They are the modules the engine requires
 * after them; one that is not installed where expected is skipped, and the engine's own require finds it.
 */
const STEPS: ReadonlyArray<() => unknown> = [
  () => require('lodash'),
  () => require('antlr4ts'),
  () => [require('uuid'), require('fast-xml-parser'), require('@microsoft/recognizers-text-data-types-timex-expression')],
  () => require('adaptive-expressions'),
];

let engine: typeof Template | undefined;
let loading: Promise<void> | undefined;

/**
 * The templating engine, loaded with the first card rather than at start: with its expression language and parser
 * it is a sixth of the bot's code, and a starting bot (or one whose health is being checked) renders no card.
 */
export function templateEngine(): typeof Template {
  if (!engine) {
    engine = (require('adaptivecards-templating') as typeof import('adaptivecards-templating')).Template;
    parseTemplateStringsOnce(engine);
  }
  return engine;
}

/** Loads the engine one dependency per turn of the event loop, for cards rendered in the background (the run watcher's). */
export function loadTemplateEngine(): Promise<void> {
  loading ??= (async () => {
    for (const step of engine ? [] : STEPS) {
      try {
        step();
      } catch (err) {
        if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
      }
      await setImmediate();
    }
    templateEngine();
  })();
  return loading;
}

/** Parses every "${…}" string of a template ahead of its first expansion, a few milliseconds of work per turn. */
export async function parseTemplateAhead(json: unknown): Promise<void> {
  await loadTemplateEngine();
  const parse = templateEngine() as unknown as { parseInterpolatedString(s: string): unknown };
  const strings: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string' && node.includes('${')) strings.push(node);
    else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.entries(node).forEach(([key, value]) => { visit(key); visit(value); });
  };
  visit(json);
  let turn = performance.now();
  for (const s of strings) {
    parse.parseInterpolatedString(s);
    if (performance.now() - turn > 5) {
      await setImmediate();
      turn = performance.now();
    }
  }
}
