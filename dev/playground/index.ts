import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { Server } from 'restify';
import { Config } from '../../src/config';
import { Logger } from '../../src/logger';
import { EventStreams } from './eventStream';
import { LocalConnector } from './localConnector';
import { handlePageAction } from './pageActions';
import {
  DEMO_APPROVER_AAD_OBJECT_ID, PLAYGROUND_BOT, PLAYGROUND_CHANNEL, PLAYGROUND_TEAM, PLAYGROUND_TENANT_ID,
  PersonKey, personalChatId, playgroundPeople,
} from './people';
import { sendStaticFile } from './staticFiles';
import { Transcript } from './transcript';

/** Where the page is served. */
export const PLAYGROUND_PATH = '/playground';
/** Where the local Bot Connector's v3 routes are mounted: the playground's activities carry serviceUrl <bot>/_connector/. */
export const CONNECTOR_PREFIX = '/_connector';

/** What the playground needs from the app. */
export interface PlaygroundOptions {
  config: Pick<Config, 'mode' | 'SCHEDULE_APPROVERS'>;
  logger: Logger;
  /** The bot's own address; by default http://localhost:<the port the server listens on> (so PORT=0 works). */
  botUrl?: () => string;
}

/** The mounted playground; `close` ends the pages' event streams so that the server can close. */
export interface Playground {
  readonly enabled: boolean;
  close(): void;
}

/**
 * Local mode only: mounts a local Bot Connector under /_connector and the browser playground under
 * /playground on the bot's own server. In Teams mode it mounts nothing, so those paths answer 404.
 */
export function mountPlayground(server: Server, options: PlaygroundOptions): Playground {
  if (options.config.mode !== 'local') return { enabled: false, close: () => undefined };
  const logger = options.logger.child({ component: 'playground' });
  const botUrl = options.botUrl ?? (() => `http://localhost:${(server.address() as AddressInfo).port}`);
  const serviceUrl = () => `${botUrl()}${CONNECTOR_PREFIX}/`;
  const people = playgroundPeople(options.config);

  const connector = new LocalConnector({ keepCalls: 200, personalChatOf: (m) => personalChatOfMember(people, m.id) });
  connector.addMembers(...Object.values(people).map(({ id, name, aadObjectId, userPrincipalName }) => ({ id, name, aadObjectId, userPrincipalName })));
  connector.mount(server, CONNECTOR_PREFIX);

  const transcript = new Transcript();
  const streams = new EventStreams();
  connector.on('call', (call) => transcript.addCall(call));
  transcript.on('entry', (entry) => streams.broadcast('entry', entry));
  const bootId = randomUUID();
  const hello = () => ({
    bootId,
    serviceUrl: serviceUrl(),
    bot: PLAYGROUND_BOT,
    tenantId: PLAYGROUND_TENANT_ID,
    team: PLAYGROUND_TEAM,
    channel: PLAYGROUND_CHANNEL,
    people: Object.values(people),
    personalChats: { requester: personalChatId('requester'), approver: personalChatId('approver') },
    approverConfigured: options.config.SCHEDULE_APPROVERS.length > 0,
    demoApproverId: DEMO_APPROVER_AAD_OBJECT_ID,
  });

  server.get(PLAYGROUND_PATH, async (req, res) => sendStaticFile('index.html', req, res, logger));
  server.get(`${PLAYGROUND_PATH}/`, async (_req, res) => { res.header('location', PLAYGROUND_PATH); res.send(301); });
  server.get(`${PLAYGROUND_PATH}/static/:name`, async (req, res) => sendStaticFile(String(req.params.name), req, res, logger));
  server.get(`${PLAYGROUND_PATH}/events`, async (req, res) => streams.open(req, res, hello(), transcript.all()));
  server.post(`${PLAYGROUND_PATH}/activity`, async (req, res) => handlePageAction({ people, transcript, logger, botUrl, serviceUrl }, req, res));
  logger.debug({ path: PLAYGROUND_PATH, connector: CONNECTOR_PREFIX }, 'playground mounted');

  return { enabled: true, close: () => streams.closeAll() };
}

function personalChatOfMember(people: ReturnType<typeof playgroundPeople>, memberId: string): string | undefined {
  const key = (Object.keys(people) as PersonKey[]).find((k) => people[k].id === memberId || people[k].aadObjectId === memberId);
  return key && personalChatId(key);
}
