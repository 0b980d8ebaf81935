import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';
import { redactDeep, redactSecrets } from './redact.js';

/**
 * Paths pino redacts everywhere: connection secrets and API tokens never reach a log line.
 * Library code takes a Logger and binds children (`log.child({ jobId, lsnFrom, lsnTo })`).
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'connectionString',
  '*.connectionString',
  'config.password',
  'authentication.options.password',
  '*.authentication.options.password',
  'token',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'res.headers["set-cookie"]',
];

export function createLogger(opts: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: process.env.ROWBACK_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Paths cover known fields; text (messages, error messages and stacks) goes through the one
    // redaction every other output uses, so a connection string inside an error never gets out.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>);
      },
    },
    serializers: { err: (e: unknown) => redactDeep(pino.stdSerializers.err(e as Error)) },
    ...opts,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for library calls made without one. */
export const silentLogger: Logger = pino({ level: 'silent' });

export type { Logger };
