import fs from 'node:fs';
import { z } from 'zod';
import type { Exchange } from './exchange';
import { tooDeep } from './nesting';
import { UnusableInput } from './unusableInput';

const header = z.object({ name: z.string(), value: z.string() });

/** The parts of HAR 1.2 the check reads (what Edge and Chrome write with "Save all as HAR"). */
export const harSchema = z.object({
  log: z.object({
    version: z.string().optional(),
    entries: z.array(z.object({
      request: z.object({
        method: z.string(),
        url: z.string(),
        headers: z.array(header).default([]),
        postData: z.object({ text: z.string().optional() }).optional(),
      }),
      response: z.object({
        status: z.number(),
        headers: z.array(header).default([]),
        content: z.object({ text: z.string().optional(), encoding: z.string().optional() }).default({}),
      }),
    })),
  }),
});

/** Type of a HAR file. */
export type Har = z.input<typeof harSchema>;

/** What a HAR file holds that can be checked, and one line per entry that cannot. */
export interface HarCalls { exchanges: Exchange[]; skipped: string[] }

/** An HTTP method is a token of letters; anything else (`get/../../X`, escape sequences) is refused. */
const METHOD = /^[A-Za-z]{1,16}$/;

/**
 * The biggest capture the check reads. A 50 MB capture takes about 400 MB of memory to check (`npm run bench:capture`),
 * and past 512 MB Node cannot hold its text at all: a capture of the setup's few minutes is far smaller.
 */
const HAR_MAX_MB = 200;

/** Reads a HAR file into exchanges; throws UnusableInput with one line when it is not one. */
export function readHar(file: string): HarCalls {
  let text: string;
  try {
    const mb = Math.ceil(fs.statSync(file).size / (1024 * 1024));
    if (mb > HAR_MAX_MB) {
      throw new UnusableInput(`${file} is ${mb} MB; the check reads captures of up to ${HAR_MAX_MB} MB: clear the browser's network log, walk the setup again, then save the capture`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UnusableInput) throw err;
    throw new UnusableInput(`${file} could not be read`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UnusableInput(`${file} is not JSON: export the capture with "Save all as HAR" (or "Export HAR")`);
  }
  const har = harSchema.safeParse(json);
  if (!har.success) throw new UnusableInput(`${file} is not a HAR file (no log.entries with requests and responses)`);
  const exchanges: Exchange[] = [];
  const skipped: string[] = [];
  har.data.log.entries.forEach((entry, i) => {
    let url: URL;
    try {
      url = new URL(entry.request.url);
    } catch {
      return;
    }
    if (!METHOD.test(entry.request.method)) {
      skipped.push(`entry ${i + 1}: its method is not an HTTP method; skipped`);
      return;
    }
    const { content } = entry.response;
    const responseBody = content.text !== undefined && content.encoding === 'base64' ? Buffer.from(content.text, 'base64').toString('utf8') : content.text;
    const exchange: Exchange = {
      method: entry.request.method.toUpperCase(),
      url,
      requestHeaders: Object.fromEntries(entry.request.headers.map((h) => [h.name.toLowerCase(), h.value])),
      requestBody: entry.request.postData?.text,
      status: entry.response.status,
      responseHeaders: Object.fromEntries(entry.response.headers.map((h) => [h.name.toLowerCase(), h.value])),
      responseBody,
    };
    const why = tooDeep(exchange);
    if (why) skipped.push(`entry ${i + 1} (${exchange.method}): ${why}; skipped`);
    else exchanges.push(exchange);
  });
  return { exchanges, skipped };
}
