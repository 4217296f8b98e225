import type { Exchange } from './exchange';

const asRecord = (headers: Headers) => {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => { out[key.toLowerCase()] = value; });
  return out;
};

/** Records every call made through global fetch while `run` is under way (the client uses global fetch). */
export async function recordingFetch<T>(exchanges: Exchange[], run: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init?.headers);
    exchanges.push({
      method: (init?.method ?? 'GET').toUpperCase(),
      url,
      requestHeaders: asRecord(headers),
      requestBody: typeof init?.body === 'string' ? init.body : undefined,
      status: response.status,
      responseHeaders: asRecord(response.headers),
      responseBody: await response.clone().text(),
    });
    return response;
  };
  try {
    return await run();
  } finally {
    globalThis.fetch = original;
  }
}
