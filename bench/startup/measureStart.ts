import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** One start of a build: from spawn to the first /healthz 200, the CPU it took to get there, its RSS once idle. */
export interface StartFigures { healthyMs: number; cpuMs: number; idleRssMb: number; modules?: number }

/** How long a started bot is left alone before its RSS is read: the lease, first poll and timers have run by then. */
const IDLE_MS = 3_000;
const CLOCK_TICKS_PER_S = 100;

/** user + system CPU time of a process so far, from /proc (Linux: the platform the release is built on). */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

function rssMbOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) / 1024;
}

/**
 * Written into the bot by `--require` in a separate, untimed start: on SIGUSR2 it writes how many modules Node
 * has loaded from files (itself left out) to BENCH_MODULES_FILE.
 */
const MODULE_PROBE = [
  "process.on('SIGUSR2', () => {",
  "  require('node:fs').writeFileSync(process.env.BENCH_MODULES_FILE, String(Object.keys(require.cache).length - 1));",
  '});',
].join('\n');

/**
 * Starts `node <args>` in `cwd` with `env` and PORT, polls /healthz every 10 ms until it answers 200, waits until the
 * process is idle, reads its figures and stops it with SIGTERM. `countModules` adds the module probe (not timed then).
 */
export async function measureStart(cwd: string, args: string[], env: Record<string, string>, port: number, countModules = false): Promise<StartFigures> {
  const probeDir = countModules ? fs.mkdtempSync(path.join(os.tmpdir(), 'di-bench-probe-')) : undefined;
  const probe = probeDir && path.join(probeDir, 'probe.js');
  if (probe) fs.writeFileSync(probe, MODULE_PROBE);
  const modulesFile = probeDir && path.join(probeDir, 'modules');
  const started = performance.now();
  const child = spawn(process.execPath, [...(probe ? ['--require', probe] : []), ...args], {
    cwd, env: { PATH: process.env.PATH, ...env, PORT: String(port), ...(modulesFile ? { BENCH_MODULES_FILE: modulesFile } : {}) }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let healthyMs: number | undefined;
    let cpuMs = 0;
    while (healthyMs === undefined) {
      if (child.exitCode !== null) throw new Error(`the bot in ${cwd} exited (${child.exitCode}) before /healthz answered: ${stderr}`);
      if (performance.now() - started > 60_000) throw new Error(`the bot in ${cwd} was not healthy within 60 s: ${stderr}`);
      const status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (status === 200) {
        healthyMs = performance.now() - started;
        cpuMs = cpuMsOf(child.pid!);
      } else {
        await sleep(10);
      }
    }
    await sleep(IDLE_MS);
    const idleRssMb = rssMbOf(child.pid!);
    let modules: number | undefined;
    if (modulesFile) {
      child.kill('SIGUSR2');
      for (let i = 0; i < 200 && !(fs.existsSync(modulesFile) && fs.statSync(modulesFile).size > 0); i++) await sleep(10);
      modules = Number(fs.readFileSync(modulesFile, 'utf8'));
    }
    return { healthyMs, cpuMs, idleRssMb, modules };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    if (probeDir) fs.rmSync(probeDir, { recursive: true, force: true });
  }
}
