import { CONNECTION_LIMITS } from '../../src/http/server';
import { SET_ASIDE_KEPT_DAYS } from '../../src/storage/readableState';
import { message } from '../helpers/activities';
import { ensureBuilt } from '../helpers/build';
import { tempDataDir } from '../helpers/harness';
import { listeningUrl, NodeProcess, startNode } from '../helpers/processes';
import { messagePostHead, slowClient } from '../helpers/slowClient';

/** The production entry (src/index.ts) in Teams mode, as App Service runs it: every request but these pages needs a token. */
const teamsEnv = () => ({
  PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'info', MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppTenantId: '99999999-8888-7777-6666-555555555555', INTEGRATOR_BASE_URL: 'https://integrator.invalid/', BOT_OPENID_METADATA_URL: 'http://127.0.0.1:9/keys',
});

describe('the release entry in Teams mode: its HTTP edge', () => {
  let proc: NodeProcess;
  let url: string;
  beforeAll(async () => {
    ensureBuilt();
    proc = startNode('src/index.js', teamsEnv());
    url = await listeningUrl(proc, 60_000);
  }, 120_000);
  afterAll(async () => { await proc?.kill(); });

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, { headers });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };

  describe('the privacy and terms pages that the Teams app package links by default', () => {
    test.each(['/privacy', '/terms'])('GET %s without a token: an HTML page in English under a strict content security policy', async (path) => {
      const res = await page(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-language')).toBe('en');
      expect(res.body).toMatch(/^<!doctype html><html lang="en">/);
      expect(res.body).not.toMatch(/<script|<img|<iframe|<form|<link|\son\w+=/i);
      // The operator is named responsible, and told how to link pages of their own.
      expect(res.body).toContain('the operator of this installation');
      expect(res.body).toContain('DEVELOPER_PRIVACY_URL');
      expect(res.body).toContain('DEVELOPER_TERMS_URL');
      expect(res.body).toContain(`<a href="${path === '/privacy' ? '/terms' : '/privacy'}">`);
    });

    test('GET / (the package\'s default website link): what the bot is, how to reach it in Teams, and links to the privacy and terms pages', async () => {
      const res = await page('/');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none';/);
      expect(res.body).not.toMatch(/<script|<img|<iframe|<form|<link|\son\w+=/i);
      expect(res.body).toContain('sets up and runs Power Platform Data Integration from a Teams chat');
      expect(res.body).toContain('find it in Teams under Apps');
      expect(res.body).toContain('DEVELOPER_WEBSITE_URL');
      expect(res.body).toContain('<a href="/privacy">');
      expect(res.body).toContain('<a href="/terms">');
      expect((await page('/', { 'accept-language': 'de' })).body).toContain('Teams unter Apps');
    });

    test('the privacy page says what is stored, where, that tokens are not, and what goes to Microsoft services', async () => {
      const { body } = await page('/privacy');
      for (const said of ['Conversation references', 'Setups in progress', 'Schedule approvals', 'Watches', 'Run reports', 'kept 46 days', 'STATE_STORE=sqlite', 'STATE_STORE=azure',
        'Sign-in tokens', 'in memory only, never in its storage or its logs', 'Bot Connector', 'Power Platform', 'Application Insights']) {
        expect(body).toContain(said);
      }
      // Text is escaped: the apostrophes of the catalogue arrive as entities, never as markup.
      expect(body).toContain('operator&#39;s Azure subscription');
      // How long a setup that no longer reads back is kept aside, in both languages, as the housekeeping keeps it.
      expect(body).toContain(`set aside and deleted after ${SET_ASIDE_KEPT_DAYS} days`);
      expect((await page('/privacy', { 'accept-language': 'de' })).body).toContain(`nach ${SET_ASIDE_KEPT_DAYS} Tagen gelöscht`);
    });

    test.each<[string, string]>([
      ['de-DE,de;q=0.9,en;q=0.8', 'de'],
      ['de-AT', 'de'],
      ['fr-FR, de;q=0.5', 'de'],
      ['en-US,en;q=0.9,de;q=0.8', 'en'],
      ['de;q=0, fr', 'en'],
      ['*', 'en'],
      ['"><script>', 'en'],
    ])('Accept-Language %j: the page speaks %s', async (accept, lang) => {
      const res = await page('/privacy', { 'accept-language': accept });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-language')).toBe(lang);
      expect(res.body).toContain(`<html lang="${lang}">`);
      expect(res.body).toContain(lang === 'de' ? 'Was der Bot speichert' : 'What the bot stores');
      expect(res.headers.get('vary')).toMatch(/Accept-Language/i);
    });

    test('HEAD answers as GET does, without a body; nothing of the request is repeated in the page', async () => {
      const head = await fetch(`${url}/terms`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await head.text()).toBe('');
      const probed = await page('/terms?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(probed.status).toBe(200);
      expect(probed.body).not.toMatch(/script|alert/i);
    });

    test('they are no way around the message guards: an activity posted to them runs no turn, and /api/messages still wants a token', async () => {
      const activity = JSON.stringify(message('https://smba.trafficmanager.net/teams/', 'help'));
      const turnsBefore = proc.logs().filter((l) => l.msg === 'turn handled').length;
      for (const path of ['/', '/privacy', '/terms']) {
        for (const authorization of [undefined, 'Bearer a.b.c']) {
          const res = await fetch(`${url}${path}`, { method: 'POST', body: activity, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
          expect(res.status).toBe(405);
        }
      }
      expect((await fetch(`${url}/api/messages`)).status).toBe(405);
      const unsigned = await fetch(`${url}/api/messages`, { method: 'POST', body: activity, headers: { 'content-type': 'application/json', referer: `${url}/privacy` } });
      expect(unsigned.status).toBe(401);
      expect(proc.logs().filter((l) => l.msg === 'turn handled')).toHaveLength(turnsBefore);
    });
  });

  describe('slow clients on the public endpoint are cut off at the release\'s limits', () => {
    const port = () => Number(new URL(url).port);
    const body = JSON.stringify(message('https://smba.trafficmanager.net/teams/', 'help'));

    test('headers a byte a second, a connection that sends nothing, a body a byte a second: each closed within its limit (Node\'s defaults held them 90 s, 90 s and 5 min)', async () => {
      const limit = (ms: number) => ms + CONNECTION_LIMITS.checkEveryMs + 3000; // a busy machine's margin
      const [headers, silent, slowBody] = await Promise.all([
        slowClient(port(), { slow: messagePostHead(body), everyMs: 1000, giveUpMs: 60_000 }),
        slowClient(port(), { slow: '', everyMs: 1000, giveUpMs: 60_000 }),
        // A token of the right shape passes the check before the body; only the request limit stops this one.
        slowClient(port(), { head: messagePostHead(body), slow: body, everyMs: 1000, giveUpMs: 60_000 }),
      ]);
      for (const seen of [headers, silent, slowBody]) expect(seen.statusLine).toBe('HTTP/1.1 408 Request Timeout');
      expect(headers.heldMs).toBeLessThan(limit(CONNECTION_LIMITS.headersMs));
      expect(silent.heldMs).toBeLessThan(limit(CONNECTION_LIMITS.headersMs));
      expect(slowBody.heldMs).toBeLessThan(limit(CONNECTION_LIMITS.requestMs));
      expect(slowBody.sentBytes).toBeLessThan(slowBody.totalBytes);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    }, 60_000);
  });
});
