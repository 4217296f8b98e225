import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from '../helpers/build';
import { leaksIn, PLANTED } from './hostileCapture';
import { runCheck } from './runCheck';

const P = PLANTED;
const b64url = (text: string) => Buffer.from(text).toString('base64url');
/** What every route of the stand-in service answers: an error whose message quotes what a careless service would. */
const MESSAGE = [
  `token e30.${b64url('{"a":1}')}.${P.errorJwtSig}`, `https://a.blob.core.windows.net/x?sv=1&sig=${P.errorSig}`, `AccountKey=${P.errorKey};`,
  `owner ${P.errorMailLocal}%40${P.errorMailDomain}.example`, `or ${P.idnLocal}@${P.idnDomain}.example`, `{"refreshToken":"${P.refreshTokenDeep}"}`, '\u001b[2J',
].join(' ');

test('--live: the secrets in a service\'s error messages reach neither stdout nor stderr', async () => {
  ensureBuilt();
  const service = http.createServer((_, res) => {
    // Not chained: in a Jest worker whose earlier test files loaded telemetry, http is wrapped and writeHead may return nothing.
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'BadRequest', message: MESSAGE } }));
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  try {
    const run = await promisify(execFile)(process.execPath, [path.join(ROOT, 'dist/tools/tenantCheck/main.js'), '--live', '--base-url', origin, '--token', 'local'], {
      cwd: ROOT, env: { PATH: process.env.PATH },
    }).then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }), (err: { code: number; stdout: string; stderr: string }) => err);
    // Every step failed with the service's message: shown, with its secrets replaced and its escape sequence escaped.
    expect(run.stdout).toContain('FAIL  list environments');
    expect(run.stdout).toMatch(/token \[jwt\] https:\/\/a\.blob\.core\.windows\.net\/x\?sv=1&sig=\[removed\] AccountKey=\[removed\]; owner person@example\.invalid or person@example\.invalid \{"refreshToken":"\[removed\]"\} \\u001b\[2J/);
    expect({ stdout: leaksIn(run.stdout), stderr: leaksIn(run.stderr) }).toEqual({ stdout: [], stderr: [] });
  } finally {
    await new Promise((resolve) => service.close(resolve));
  }
}, 120_000);

test('--live with a sign-in refuses a base URL that is plain http off this machine, before signing in: the admin\'s token would go unencrypted', async () => {
  await expect(runCheck('--live', '--credential', 'cli', '--integrator-url', 'http://pms.example.com/'))
    .rejects.toThrow(/^--integrator-url: must be an https:\/\/ URL when the check signs in \(your token is sent there\), not http:\/\/pms\.example\.com$/);
  await expect(runCheck('--live', '--credential', 'cli', '--base-url', 'http://sandbox.example.com'))
    .rejects.toThrow(/^--base-url: must be an https:\/\/ URL when the check signs in/);
});
