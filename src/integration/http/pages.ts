import { DataIntegrationError } from '../errors';
import type { HttpCall, HttpClient } from './httpClient';

/** A list answer of the Power Platform APIs: one page of values and the link to the next. */
export interface Page<T> {
  value: T[];
  nextLink?: string | null;
}

const MAX_PAGES = 100;

/** Follows `nextLink` and concatenates the pages; the client refuses a link outside the base URL (the token would go with it). */
export async function collectPages<T>(http: HttpClient, call: HttpCall<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let url: URL | undefined = call.url;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await http.send({ ...call, url });
    items.push(...result.value);
    if (!result.nextLink) return items;
    if (!URL.canParse(result.nextLink)) {
      throw new DataIntegrationError('A page link is not a URL', { service: call.route.service, code: 'malformed_response' });
    }
    url = new URL(result.nextLink);
  }
  throw new DataIntegrationError(`The list has more than ${MAX_PAGES} pages`, {
    service: call.route.service, code: 'malformed_response',
  });
}
