import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The project folder: the nearest one up with tsconfig.build.json (this file also runs compiled, from dist/, in the benchmark). */
const ROOT = ((dir: string): string => {
  while (!fs.existsSync(path.join(dir, 'tsconfig.build.json'))) dir = path.dirname(dir);
  return dir;
})(__dirname);

/** A built entry point (dist/...) running as its own process, with its output kept for assertions. */
export interface NodeProcess {
  child: ChildProcess;
  output(): string;
  /** The JSON log lines printed so far. */
  logs(): Array<Record<string, unknown>>;
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The exit code (null after a signal), once the process ended and all of its output was read. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The exit code of `child` once its output is all read: 'close', not 'exit', which can come while the last of
 * stdout and stderr is still in the pipe (on a loaded machine a process's one line of error was read as empty).
 */
export function endOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

/** Runs `node dist/<entry>` (cwd a fresh folder) with only PATH and `env` to its end, SIGTERMed after `killAfterMs`. */
export function runBuilt(entry: string, env: Record<string, string>, killAfterMs: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], { cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'di-proc-')), env: { PATH: process.env.PATH, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const timer = setTimeout(() => child.kill('SIGTERM'), killAfterMs);
  return endOf(child).then((code) => { clearTimeout(timer); return { code, stderr }; });
}

/** Starts `node dist/<entry>` with only PATH and `env` in its environment. */
export function startNode(entry: string, env: Record<string, string>): NodeProcess {
  // Every bot process of the tests may reach loopback only: anything else is refused and said on stderr (OFF-LOOPBACK).
  const guard = `--require ${JSON.stringify(path.join(ROOT, 'test', 'helpers', 'loopbackOnly.js'))}`;
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', entry)], {
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'di-proc-')), env: { PATH: process.env.PATH, NODE_OPTIONS: guard, ...env },
  });
  let output = '';
  const grew = new Set<() => void>();
  const onData = (d: Buffer) => { output += d; grew.forEach((f) => f()); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = endOf(child);
  return {
    child,
    exited,
    output: () => output,
    logs: () => output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    waitForOutput: (pattern, timeoutMs) => new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(output);
        if (!m) return;
        grew.delete(check);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => { grew.delete(check); reject(new Error(`no ${pattern} within ${timeoutMs} ms in: ${output.slice(-2000)}`)); }, timeoutMs);
      grew.add(check);
      check();
    }),
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The port in a bot's "bot listening" log line, if `output` has one yet. The bot is started on PORT=0, so the
 * kernel picks a port that nobody else can take between our choosing it and the bot binding it. */
export function listeningPort(output: string): number | undefined {
  const line = /^\{.*"msg":"bot listening".*$/m.exec(output)?.[0];
  const port = line && /"url":"https?:\/\/[^"]*:(\d+)"/.exec(line)?.[1];
  return port ? Number(port) : undefined;
}

/** Waits for a bot started on PORT=0 to say where it listens; the loopback base URL to reach it. */
export async function listeningUrl(proc: NodeProcess, timeoutMs: number): Promise<string> {
  await proc.waitForOutput(/"msg":"bot listening"/, timeoutMs);
  return `http://127.0.0.1:${listeningPort(proc.output())}`;
}

/** Polls `url` until it answers 200 (a process that is starting), or rejects after `timeoutMs`. */
export async function waitForHealth(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return res;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`${url} not healthy within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
