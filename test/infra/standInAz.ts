import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** How the stand-in answers one `az` sub-command (matched by the start of its arguments). */
export interface AzAnswer { exit: number; out?: string; err?: string }

/**
 * A folder to put on PATH holding a stand-in for the Azure CLI (a shell script: the deploy command talks to
 * `az` across a process boundary), or no `az` at all. Every call's arguments are appended to `log`, and the
 * parameters file passed as `@file` is copied to `log.params`, and the zip passed as `--src-path` to `log.zip`.
 */
export function pathWithAz(answers?: Record<string, AzAnswer>): { dir: string; log: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'di-path-'));
  const log = path.join(dir, 'az.log');
  if (answers) {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const cases = Object.entries(answers).map(([cmd, r]) => `  "${cmd}"*) printf '%s' ${quote(r.out ?? '')}; printf '%s\\n' ${quote(r.err ?? '')} >&2; exit ${r.exit};;`).join('\n');
    fs.writeFileSync(path.join(dir, 'az'), [
      '#!/bin/sh',
      `echo "$*" >> ${quote(log)}`,
      // Shell built-ins only: the tests' PATH may hold nothing but this script.
      `prev=; for a in "$@"; do case "$a" in @*) while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "\${a#@}" > ${quote(`${log}.params`)};; esac;`
        // The zip `webapp deploy` is given, where the PATH has a cp (the deploy removes its own copy when it ends).
        + ` if [ "$prev" = --src-path ] && command -v cp > /dev/null; then cp "$a" ${quote(`${log}.zip`)}; fi; prev="$a"; done`,
      'case "$*" in',
      cases,
      '  *) echo "unexpected az $*" >&2; exit 99;;',
      'esac',
      '',
    ].join('\n'), { mode: 0o755 });
  }
  return { dir, log };
}
