import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { asBundled } from './dependencySources';

/**
 * A dependency's file whose top-level `const x_1 = require("pkg")` of some packages (or `var`, or tsc's
 * `__importDefault(require("pkg"))`) is made lazy: `x_1` becomes an object that requires the package on its first
 * property read, so the package's code runs only when the file uses it. Each rule names why the start need not run
 * those packages.
 */
interface LazyRule { file: RegExp; packages: RegExp; why: string }

const LAZY_REQUIRES: LazyRule[] = [
  {
    file: /botframework-connector[\\/]lib[\\/]auth[\\/]jwtTokenProviderFactory\.js$/, packages: /^@azure\/identity$/,
    why: '@azure/identity (with a second MSAL, 5.x beside botframework-connector\'s 2.x) makes a credential only when a turn asks for a managed identity\'s token',
  },
  {
    file: /@opentelemetry[\\/]sdk-node[\\/]build[\\/]src[\\/](sdk|utils)\.js$/, packages: /^@opentelemetry\/(exporter-|propagator-)/,
    why: 'the NodeSDK builds the exporters and propagators an OTEL_*_EXPORTER or OTEL_PROPAGATORS variable names, and only those (ours are given to it)',
  },
  {
    file: /@azure[\\/]monitor-opentelemetry[\\/]dist[\\/]commonjs[\\/](traces|logs)[\\/]handler\.js$/, packages: /^@opentelemetry\/instrumentation-|^@azure\/opentelemetry-instrumentation-azure-sdk$/,
    why: 'the distro constructs each auto-instrumentation only when it is enabled, and src/telemetry/telemetrySdk.ts enables none',
  },
  {
    file: /botframework-connector[\\/]lib[\\/]auth[\\/]botFrameworkClientImpl\.js$|botbuilder[\\/]lib[\\/]botFrameworkHttpClient\.js$/, packages: /^axios$/,
    why: 'axios posts to another bot (skills), which this bot never calls; loading it reads `navigator`, which makes Node load its own fetch (undici) too',
  },
  {
    file: /@typespec[\\/]ts-http-runtime[\\/]dist[\\/]commonjs[\\/]policies[\\/]proxyPolicy\.js$/, packages: /^https?-proxy-agent$/,
    why: 'the Azure SDKs\' pipeline makes a proxy agent only when HTTP(S)_PROXY is set',
  },
  {
    file: /botframework-connector[\\/]lib[\\/](auth[\\/]openIdMetadata|emulatorApiClient)\.js$/, packages: /^(node-fetch|cross-fetch|https-proxy-agent)$/,
    why: 'node-fetch (with whatwg-url and its Unicode table) serves the SDK\'s own OpenID metadata fetch, which src/teams/signingKeys.ts does with Node\'s fetch instead, and the Emulator\'s OAuth client',
  },
  {
    file: /botframework-connector[\\/]lib[\\/]auth[\\/](msal|federated|certificate)AppCredentials\.js$/, packages: /^@azure\/msal-node$/,
    why: 'MSAL (2.x, 290 KB in one module) signs the bot in with a secret, a certificate or a federated credential when a credential asks for its first token; a managed identity (the template\'s) never uses it',
  },
  {
    file: /botbuilder[\\/]lib[\\/]setSpeakMiddleware\.js$/, packages: /^htmlparser2$/,
    why: 'SetSpeakMiddleware (Direct Line Speech, which the bot does not use) parses SSML with htmlparser2 and its HTML entity tables',
  },
  {
    file: /botframework-streaming[\\/]lib[\\/]webSocket[\\/]nodeWebSocket\.js$/, packages: /^ws$/,
    why: 'ws opens the streaming connections of Direct Line App Service Extension, which a Teams bot does not use',
  },
  {
    file: /botbuilder[\\/]lib[\\/]fileTranscriptStore\.js$/, packages: /^fs-extra$/,
    why: 'FileTranscriptStore, which the bot does not use, is fs-extra\'s only user',
  },
  {
    file: /restify[\\/]lib[\\/]plugins[\\/](fieldedText|form|multipart)BodyParser\.js$/, packages: /^(csv|qs|formidable)$/,
    why: 'bodyParser parses CSV and TSV bodies with csv, forms with qs and multipart bodies with formidable; the bot\'s routes take JSON, so a start need not load them before such a body comes',
  },
];

/** `const x = require("pkg");`, `var x = require('pkg');` (esbuild's and hand-written CommonJS) or `const x = __importDefault(require("pkg"));` (tsc's). */
const REQUIRE = /(const|var) (\w+) = (__importDefault\()?require\(["']([^"']+)["']\)(\)?);/g;

/** The file's text with the rule's requires made lazy; throws if a package's module object is used other than by a property read. */
export function lazyRequiresIn(text: string, rule: LazyRule, file: string): string {
  let made = 0;
  const lazy = text.replace(REQUIRE, (statement, keyword: string, name: string, wrap: string | undefined, request: string, close: string) => {
    if (!rule.packages.test(request) || Boolean(wrap) !== Boolean(close)) return statement;
    // Only `name.member` keeps the laziness (and the same meaning): a spread, a call or a pass of the object itself would not.
    // (A name after `.` (not a spread's `...`) or `/` is another object's member or part of a path, such as `text/csv`, not a use.)
    const rest = text.replace(statement, '');
    const uses = rest.split(new RegExp(`(?<![\\w$/])(?<![^.]\\.)${name}\\b`)).length - 1;
    const reads = (rest.match(new RegExp(`(?<![\\w$/])(?<![^.]\\.)${name}\\.\\w`, 'g')) ?? []).length;
    if (uses !== reads) throw new Error(`${file}: ${name} (${request}) is used other than by reading its members`);
    made++;
    const loaded = wrap ? `__importDefault(require("${request}"))` : `require("${request}")`;
    return `${keyword} ${name} = new Proxy({}, { get: (_, key) => ${loaded}[key] });`;
  });
  if (made === 0) throw new Error(`${file}: no require of ${rule.packages} found (the package changed shape): ${rule.why}`);
  return lazy;
}

/** The esbuild plugin applying LAZY_REQUIRES (each file otherwise taken as every dependency's: asBundled). */
export const lazyRequires: Plugin = {
  name: 'lazy-requires',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.js$/ }, (args) => {
      const rule = LAZY_REQUIRES.find((r) => r.file.test(args.path));
      if (!rule) return undefined;
      const text = asBundled(fs.readFileSync(args.path, 'utf8'));
      return { contents: lazyRequiresIn(text, rule, args.path), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};
