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
    // req: the fields fastify's own serializer logs (this one replaces it), the URL through the one
    // redaction: a token or password a client put in the query string is not written to the log
    serializers: {
      err: (e: unknown) => redactDeep(pino.stdSerializers.err(e as Error)),
      req: (req: { method?: string; url?: string; headers?: Record<string, unknown>; host?: string; ip?: string; socket?: { remotePort?: number } }) => ({
        method: req.method,
        url: typeof req.url === 'string' ? redactSecrets(req.url) : req.url,
        version: req.headers?.['accept-version'],
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    ...opts,
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * A logger that writes nothing, for library calls made without one. Its destination writes
 * nothing either: pino's default (a SonicBoom on stdout) registers an exit hook that flushes and
 * fsyncs file descriptor 1, so every CLI process whose stdout is a file fsynced it at exit (with
 * ext4's ordered journal, the `--out` file's dirty pages too: 0.4 s of a delete-dense 256 MB scan,
 * its CPU profile's `fsyncSync` under pino's `autoEnd`; docs/performance.md, 2026-12-03), though this
 * logger never writes a byte.
 */
export const silentLogger: Logger = pino({ level: 'silent' }, { write: () => {} });

export type { Logger };
