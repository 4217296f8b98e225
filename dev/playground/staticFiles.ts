import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Request, Response } from 'restify';
import { Logger } from '../../src/logger';
import { projectRoot } from '../../src/projectRoot';

/** The page's own files: plain HTML, one JS module, its host config and CSS, read on each request so that edits show on reload. */
const PAGE_DIR = (): string => path.join(projectRoot(), 'dev', 'playground', 'page');

/** Cards, bot text and the page come from this origin only; Adaptive Cards may show images from the web. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "img-src 'self' data: https:", "style-src 'self' 'unsafe-inline'",
  "script-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

interface StaticFile { file: () => string; type: string }

/** The files the page may load, by the name under /playground/; nothing else on disk is reachable. */
const FILES: Record<string, StaticFile> = {
  'index.html': { file: () => path.join(PAGE_DIR(), 'index.html'), type: 'text/html; charset=utf-8' },
  'playground.js': { file: () => path.join(PAGE_DIR(), 'playground.js'), type: 'text/javascript; charset=utf-8' },
  'playground.css': { file: () => path.join(PAGE_DIR(), 'playground.css'), type: 'text/css; charset=utf-8' },
  // The page's Adaptive Cards host config (test/render/cardContrast.browser.test.ts checks its colours).
  'hostConfig.json': { file: () => path.join(PAGE_DIR(), 'hostConfig.json'), type: 'application/json; charset=utf-8' },
  // Microsoft's renderer, the browser build that the adaptivecards package ships.
  'adaptivecards.min.js': { file: () => require.resolve('adaptivecards/dist/adaptivecards.min.js'), type: 'text/javascript; charset=utf-8' },
};

/** Answers with one of the page's files, or 404 for any other name. */
export async function sendStaticFile(name: string, _req: Request, res: Response, logger: Logger): Promise<void> {
  const entry = FILES[name];
  if (!entry) {
    res.send(404, { error: 'Not found' });
    return;
  }
  let body: Buffer;
  try {
    body = await fs.readFile(entry.file());
  } catch (err) {
    logger.warn({ err, file: name }, 'playground file missing (is the adaptivecards package installed?)');
    res.send(500, { error: `The playground file ${name} is missing: run npm install` });
    return;
  }
  res.writeHead(200, {
    'content-type': entry.type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(name === 'index.html' ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}),
  });
  res.end(body);
}
