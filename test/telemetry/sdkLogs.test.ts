import { Writable } from 'node:stream';
import { AzureLogger, createClientLogger, getLogLevel, setLogLevel } from '@azure/logger';
import { diag } from '@opentelemetry/api';
import { createLogger } from '../../src/logger';
import { sdkLogsInto } from '../../src/telemetry/sdkLogs';

describe('what the SDKs log themselves', () => {
  const original = { log: AzureLogger.log, level: getLogLevel() };
  afterEach(() => {
    AzureLogger.log = original.log;
    setLogLevel(original.level);
    diag.disable();
  });
  const sunk = () => {
    const lines: Array<{ level: number; component: string; msg: string }> = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
    return { lines, logger: createLogger('debug', sink) };
  };

  test('the Azure SDKs\' log becomes JSON lines of the bot\'s logger: their warnings at debug, their errors at warn, never raw text', () => {
    const { lines, logger } = sunk();
    const written = jest.spyOn(process.stderr, 'write');
    sdkLogsInto(logger);
    setLogLevel('warning'); // what the Application Insights distro sets
    const sdk = createClientLogger('core-client');
    sdk.warning('The baseUri option for SDK Clients has been deprecated, please use endpoint instead.');
    sdk.error('something the SDK could not do');
    sdk.info('not at this level');
    expect(lines.map((l) => [l.level, l.component, l.msg])).toEqual([
      [20, 'azure-sdk', 'azure:core-client:warning The baseUri option for SDK Clients has been deprecated, please use endpoint instead.'],
      [40, 'azure-sdk', 'azure:core-client:error something the SDK could not do'],
    ]);
    expect(written).not.toHaveBeenCalled();
    written.mockRestore();
  });

  test('OpenTelemetry\'s diagnostics become JSON lines at warn, warnings and errors only', () => {
    const { lines, logger } = sunk();
    sdkLogsInto(logger);
    diag.error('export failed: %s', 'timeout');
    diag.warn('a metric was dropped');
    diag.info('exporter started');
    expect(lines.map((l) => [l.level, l.component, l.msg])).toEqual([
      [40, 'opentelemetry', 'export failed: timeout'],
      [40, 'opentelemetry', 'a metric was dropped'],
    ]);
  });
});
