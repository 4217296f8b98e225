import '../src/telemetry/register';
import { runMain } from '../src/main';
import { startLocalApp } from './local/startLocalApp';
import { PLAYGROUND_PATH } from './playground';

/** Entry of `npm start`: the bot on the embedded sandbox, with the browser playground. */
runMain(async (config, logger) => {
  // Only the default port may move: a SANDBOX_PORT someone set is a promise to keep (or to fail on, clearly).
  const app = await startLocalApp(config, logger, { anySandboxPortIfTaken: process.env.SANDBOX_PORT === undefined });
  if (config.mode === 'local') {
    console.log(`Data Integration bot running locally at ${app.url}/api/messages (health: ${app.url}/healthz)`);
    console.log(`Try it in a browser: ${app.url}${PLAYGROUND_PATH}`);
  }
  return app;
});
