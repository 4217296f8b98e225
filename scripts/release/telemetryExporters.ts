import type { Plugin } from 'esbuild';

/**
 * What telemetrySdk.js requires only when a setting asks for it: the OTLP exporters (with gRPC and protobuf.js), the
 * Zipkin and Prometheus exporters and the B3 and Jaeger propagators that sdk-node builds from OTEL_* variables, and
 * the distro's auto-instrumentations (src/telemetry/telemetrySdk.ts enables none). They were half of
 * telemetrySdk.js (1.1 of 2.2 MB), which a start with Application Insights compiles whole; they are a part of their
 * own, telemetryExporters.js, loaded with the first of them.
 */
const ON_REQUEST = /^@opentelemetry\/(exporter|propagator|instrumentation)-|^@azure\/opentelemetry-instrumentation-azure-sdk$/;
/** The part's file beside telemetrySdk.js. */
export const EXPORTERS_BUNDLE = './telemetryExporters.js';
/** The part's entry: a module made by the plugin, naming each package telemetrySdk.js asks it for. */
export const EXPORTERS_ENTRY = 'release-telemetry-exporters';
const ASKED = 'release-telemetry-exporter';

/**
 * `leaveOut` is telemetrySdk.js's plugin: each such request becomes a require of the part, naming the package; `entry`
 * is the part's (built after telemetrySdk.js, with the packages it asked for).
 */
export function telemetryExporters(root: string) {
  const asked = new Set<string>();
  const leaveOut: Plugin = {
    name: 'telemetry-exporters-left-out',
    setup(b) {
      b.onResolve({ filter: ON_REQUEST }, (args) => {
        asked.add(args.path);
        return { path: args.path, namespace: ASKED };
      });
      b.onLoad({ filter: /.*/, namespace: ASKED }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(EXPORTERS_BUNDLE)})(${JSON.stringify(args.path)});\n`,
        loader: 'js',
      }));
      b.onResolve({ filter: /^\.\/telemetryExporters\.js$/ }, () => ({ path: EXPORTERS_BUNDLE, external: true }));
    },
  };
  const entry: Plugin = {
    name: 'telemetry-exporters-entry',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${EXPORTERS_ENTRY}$`) }, () => ({ path: EXPORTERS_ENTRY, namespace: EXPORTERS_ENTRY }));
      b.onLoad({ filter: /.*/, namespace: EXPORTERS_ENTRY }, () => ({
        contents: `const parts = {\n${[...asked].sort().map((p) => `  ${JSON.stringify(p)}: () => require(${JSON.stringify(p)}),`).join('\n')}\n};\n`
          + 'module.exports = (name) => parts[name]();\n',
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
  return { leaveOut, entry, asked };
}
