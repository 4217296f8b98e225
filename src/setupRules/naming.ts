import { Environment } from '../integration/port';

/** The rule the bot checks before the service does: what a connection set or project name may be. */
export const NAME_RULE = '3 to 64 characters: letters, digits, spaces, "-" or "_", starting with a letter';
const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9 _-]{2,63}$/;

/** Undefined when the name is acceptable, else what is wrong with it, in words for the user. */
export function nameProblem(name: string, taken: readonly string[] = []): string | undefined {
  const trimmed = name.trim();
  if (!NAME_PATTERN.test(trimmed)) return `Use ${NAME_RULE}.`;
  if (taken.some((t) => t.toLowerCase() === trimmed.toLowerCase())) return `"${trimmed}" is already taken: choose another name.`;
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

/** A name in the style the seed recommends, e.g. D365SalesAccstoCDSAccs. */
export function suggestConnectionSetName(source: Environment, destination: Environment, entity: string, taken: readonly string[] = []): string {
  const short = entityShort(entity);
  const from = envWords(source, destination).join('');
  const to = envWords(destination, source).join('');
  const base = `D365${from.replace(/^D365/i, '')}${short}to${to}${short}`.slice(0, 60);
  return unique(base, taken);
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
