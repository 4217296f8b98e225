import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { selfSigned } from './selfSigned';

/** One request a telemetry exporter made to the receiver. */
export interface Received { path: string; body: unknown }

/** A loopback stand-in for an OTLP/HTTP collector (JSON protocol) and for Application Insights' ingestion endpoint. */
export interface TelemetryReceiver {
  url: string;
  /** HTTPS receivers: the self-signed certificate a client must trust (NODE_EXTRA_CA_CERTS). */
  caFile?: string;
  received: Received[];
  /** Bytes received as sent (compressed where the exporter compressed them). */
  bytes(): number;
  close(): Promise<void>;
}

/** Reads a request body, gunzipping it when the exporter compressed it (Application Insights does). */
function bodyOf(req: http.IncomingMessage): Promise<{ text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('error', reject).on('end', () => {
      const raw = Buffer.concat(chunks);
      resolve({ bytes: raw.length, text: (req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8') });
    });
  });
}

/** Parses JSON, or newline-delimited JSON, or keeps the text. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try { return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown); } catch { return text; }
  }
}

/** Starts the receiver on 127.0.0.1 (HTTPS when asked): it accepts everything, as a collector or ingestion endpoint would. */
export async function startTelemetryReceiver(options: { tls?: boolean } = {}): Promise<TelemetryReceiver> {
  const received: Received[] = [];
  let bytes = 0;
  const tls = options.tls ? selfSigned() : undefined;
  const handler: http.RequestListener = (req, res) => {
    void bodyOf(req).then(({ text, bytes: size }) => {
      bytes += size;
      received.push({ path: req.url ?? '', body: parsed(text) });
      const items = Array.isArray(received[received.length - 1].body) ? (received[received.length - 1].body as unknown[]).length : 0;
      res.writeHead(200, { 'content-type': 'application/json' });
      // OTLP wants an (empty) export response; Application Insights says how many items it took.
      res.end(JSON.stringify(req.url?.startsWith('/v2') ? { itemsReceived: items, itemsAccepted: items, errors: [] } : {}));
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, caFile: tls?.caFile, received, bytes: () => bytes,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
