import pino, { Logger } from 'pino';

/** Paths whose values never reach a log line, wherever they appear in a logged object. */
export const REDACTED_PATHS = [
  'token', '*.token', 'accessToken', '*.accessToken', 'password', '*.password',
  'secret', '*.secret', 'clientSecret', '*.clientSecret', 'authorization', '*.authorization',
  'headers.authorization', '*.headers.authorization', 'MicrosoftAppPassword', '*.MicrosoftAppPassword',
  'userToken', '*.userToken', 'assertion', '*.assertion',
];

export type { Logger };

/** Builds the process logger: JSON lines, level from config, secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { app: 'di-teams-bot' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination,
  );
}
