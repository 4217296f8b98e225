/** One request and its answer, from a HAR file or a live call. Bodies are raw text. */
export interface Exchange {
  method: string;
  url: URL;
  /** Header names in lower case. */
  requestHeaders: Readonly<Record<string, string>>;
  requestBody?: string;
  status: number;
  /** Header names in lower case. */
  responseHeaders: Readonly<Record<string, string>>;
  responseBody?: string;
}

/** Parses a body as JSON; undefined when it is empty or not JSON. */
export function jsonOf(text: string | undefined): unknown {
  if (!text?.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
