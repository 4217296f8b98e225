/**
 * restify 11 pulls in spdy's http-deceiver, which calls `process.binding('http_parser')` twice at
 * load, so every start printed the same harmless DEP0111 warning twice (restify 12, which drops it,
 * needs Node 22). This drops exactly that warning; every other warning is printed as before.
 * Imported first by both entry points, before restify loads.
 */
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  if (code === 'DEP0111' && String(warning).includes("'http_parser'")) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
