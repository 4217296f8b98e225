import { Environment } from '../integration/port';
import { isWellFormed } from '../words/sanitize';
import { said, type Said } from '../words/words';

/**
 * The one home of the name rules. A name the bot creates (a connection set, a project) follows the
 * strict rule below, which the service's own is no looser than; a name the bot is given to find an
 * existing project by (typed, or sent by a button) may be anything the service holds, so only what
 * can never be a project name is refused before asking the service.
 */
const NEW_NAME = /^[A-Za-z][A-Za-z0-9 _-]{2,63}$/;

/** The longest project name the bot passes on to the service (the service's own rule is stricter). */
export const PROJECT_NAME_MAX = 200;

/** Names compared as a person reads them: any case, and numbers by value ("env 2" before "env 10"). */
export const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

/** Undefined when the name can be given to a new connection set or project, else what is wrong with it. */
export function nameProblem(name: string, taken: readonly string[] = []): Said | undefined {
  const trimmed = name.trim();
  if (!NEW_NAME.test(trimmed)) return said('name.rule');
  if (taken.some((t) => t.toLowerCase() === trimmed.toLowerCase())) return said('name.taken', { name: trimmed });
  return undefined;
}

/** Undefined when the service can hold a project of this name (to find one); else what is wrong, for the person. */
export function projectNameProblem(name: string): Said | undefined {
  if (!isWellFormed(name)) return said('name.brokenCharacter');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return said('name.controlCharacters');
  if (name.length > PROJECT_NAME_MAX) return said('name.tooLong', { max: PROJECT_NAME_MAX });
  return undefined;
}

/** Short words of an environment's name, without the company word both share or any "(…)" part. */
function envWords(env: Environment, other: Environment): string[] {
  const words = (e: Environment) => e.displayName.replace(/\([^)]*\)/g, ' ').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const mine = words(env);
  const theirs = words(other);
  const shared = mine[0] && mine[0] === theirs[0] ? 1 : 0;
  return mine.slice(shared);
}

/** "Accounts" -> "Accs", as in the seed's recommended name. */
function entityShort(entity: string): string {
  const word = entity.replace(/[^A-Za-z]/g, '');
  return word.length <= 4 ? word : `${word.slice(0, 3)}s`;
}

/**
 * A name in the style the seed recommends, e.g. D365SalesAccstoCDSAccs; empty when a set of that name exists: a
 * second set beside it is a deliberate choice, named by the person, never the first one's name with a number.
 */
export function suggestConnectionSetName(source: Environment, destination: Environment, entity: string, taken: readonly string[] = []): string {
  const short = entityShort(entity);
  const from = envWords(source, destination).join('');
  const to = envWords(destination, source).join('');
  const base = `D365${from.replace(/^D365/i, '')}${short}to${to}${short}`.slice(0, 60);
  return taken.some((t) => t.toLowerCase() === base.toLowerCase()) ? '' : base;
}

/** A project name from the template, e.g. "Accounts Sales to CDS". */
export function suggestProjectName(templateDisplayName: string, taken: readonly string[] = []): string {
  const base = templateDisplayName.replace(/[()]/g, '').replace(/[^A-Za-z0-9 _-]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60);
  return unique(base || 'Data sync', taken);
}

function unique(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) if (!lower.has(`${base}${n}`.toLowerCase())) return `${base}${n}`;
}
