import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startLocalApp, type LocalApp } from '../../dev/local/startLocalApp';
import { startLocalConnector } from '../../dev/playground/localConnector';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { message, type Person } from '../../test/helpers/activities';
import { walkToReview } from '../../test/helpers/setupWalk';
import { freshPrefix } from '../../test/helpers/azurite';
import { STATE_DEADLINE_MS } from '../../src/storage/boundedStores';

/** Captured before the soak's clock is installed: the turns keep a real pace while the watcher's day runs fast. */
const realSetTimeout = globalThis.setTimeout;
const realWait = (ms: number) => new Promise<void>((r) => realSetTimeout(r, Math.max(0, ms)));
const silent = createLogger('silent');

/**
 * One POST over node:http, whose timers are Node's own: fetch's connect time-out runs on the global (simulated)
 * clock, where its 10 s pass in a fraction of a real second. The bench's client is not what is measured.
 */
function postJson(port: number, pathname: string, body: object): Promise<number> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    // A connection per turn (agent: false): a kept-alive socket can be closed by the server's 5 s idle time-out
    // just as the next turn is written on it (read ECONNRESET), a race of the client's pool, not of the bot.
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** What the turns came to: each is one POST to /api/messages that the bot answered with 200 and a reply. */
export interface TurnCounts { answered: number; failed: number; walks: number; firstFailure?: string }

/** The turns beside the soak: started, counted, stopped. */
export interface SoakTurns {
  counts: TurnCounts;
  /** The event emitters whose listeners the soak counts (the turns' connector). */
  emitters: NodeJS.EventEmitter[];
  stop(): Promise<TurnCounts>;
}

/** A few people, each in a personal chat and in the channel: their state rows are reused, as in a real team. */
const PEOPLE: Person[] = Array.from({ length: 4 }, (_, i) => ({ id: `29:soak-${i}`, name: `Soak Person ${i}`, aadObjectId: `00000000-0000-0000-0000-0000000050a${i}` }));

/**
 * Real turns at a steady low rate (one about every `everyMs` real ms) in this process, over HTTP on loopback, to
 * the product with its sandbox (startLocalApp): help, status, and a setup walk by clicks to the review card,
 * then cancel (no project is created, so the sandbox does not grow). It starts on the soak's simulated clock,
 * which runs `speed` times real time: the turns' deadlines are scaled by it, so they mean real seconds.
 */
export async function startSoakTurns(o: { speed: number; everyMs: number; azureStorage?: string }): Promise<SoakTurns> {
  const { connector, serviceUrl, close: closeConnector } = await startLocalConnector();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-soak-turns-'));
  const config = loadConfig({
    PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SANDBOX_PORT: '0',
    BOT_TIMEOUT_MS: String(8_000 * o.speed), HTTP_TIMEOUT_MS: String(15_000 * o.speed), STATE_TIMEOUT_MS: String(STATE_DEADLINE_MS * o.speed),
    // The sandbox stands in for the service: its dataflows' history (a refresh a simulated minute) is not the bot's memory.
    SANDBOX_DATAFLOW_EVERY_SECONDS: '86400',
    // On Azurite (`--store azure`) the turns' state is in the same storage as the watcher's, under a prefix of its own.
    ...(o.azureStorage ? { STATE_STORE: 'azure', AZURE_STORAGE_CONNECTION_STRING: o.azureStorage, AZURE_STATE_PREFIX: freshPrefix() } : {}),
  }, 'bench');
  const app: LocalApp = await startLocalApp(config, silent);
  const counts: TurnCounts = { answered: 0, failed: 0, walks: 0 };
  const failed = (why: string) => { counts.failed++; counts.firstFailure ??= why; };
  // One turn: answered when the bot said 200 and a reply reached the connector.
  const post = async (activity: object): Promise<void> => {
    const before = connector.calls.length;
    const status = await postJson(app.port, '/api/messages', activity);
    if (status === 200 && connector.calls.length > before) counts.answered++;
    else failed(`${(activity as { text?: string }).text ?? 'a click'}: ${status}, ${connector.calls.length - before} replies`);
  };
  const scripts: Array<[turns: number, run: (who: Person) => Promise<unknown>]> = [
    [1, (who) => post(message(serviceUrl, 'help', 'personal', who))],
    [1, (who) => post(message(serviceUrl, 'status', 'channel', who))],
    [4, async (who) => {
      await walkToReview(serviceUrl, connector, (_, activity) => post({ ...activity, from: { id: who.id, name: who.name, aadObjectId: who.aadObjectId } }), `Soak sync ${who.name}`);
      counts.walks++;
    }],
    [1, (who) => post(message(serviceUrl, 'cancel', 'channel', who))],
  ];
  let stopping = false;
  const loop = (async () => {
    for (let n = 0; !stopping; n++) {
      const [turns, run] = scripts[n % scripts.length];
      const started = performance.now();
      await run(PEOPLE[Math.floor(n / scripts.length) % PEOPLE.length]).catch((err: Error) => failed(`${err.message}${err.cause ? ` (${String(err.cause)})` : ''}`.slice(0, 200)));
      connector.calls.splice(0); // keep nothing: the turns only count
      await realWait(turns * o.everyMs - (performance.now() - started));
    }
  })();
  return {
    counts,
    emitters: [connector],
    async stop() {
      stopping = true;
      await loop;
      await app.close();
      await closeConnector();
      fs.rmSync(dataDir, { recursive: true, force: true });
      return counts;
    },
  };
}
