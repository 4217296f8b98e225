import { DataIntegrationError } from '../errors';
import type { HttpCall, HttpClient } from './httpClient';

/** A list answer of the Power Platform APIs: one page of values and the link to the next. */
export interface Page<T> {
  value: T[];
  nextLink?: string | null;
}

const MAX_PAGES = 100;

/** Follows `nextLink` and concatenates the pages; refuses links to another host (the token would go with them). */
export async function collectPages<T>(http: HttpClient, call: HttpCall<Page<T>>): Promise<T[]> {
  const origin = new URL(call.baseUrl).origin;
  const items: T[] = [];
  let url: URL | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await http.send({ ...call, url });
    items.push(...result.value);
    if (!result.nextLink) return items;
    url = new URL(result.nextLink);
    if (url.origin !== origin) {
      throw new DataIntegrationError(`A page link points at another host (${url.origin})`, {
        service: call.route.service, code: 'malformed_response',
      });
    }
  }
  throw new DataIntegrationError(`The list has more than ${MAX_PAGES} pages`, {
    service: call.route.service, code: 'malformed_response',
  });
}
