import type { Logger } from './logger.js';

const noop = (): void => {};

/**
 * A logger that writes nothing, for library calls made without one, that does not load pino:
 * logger.ts's `silentLogger` is a pino instance, and importing it cost every scan ~70 ms of CPU
 * (pino and its dependencies) though a CLI scan logs through none. Every level method does nothing,
 * `child` returns it again, `isLevelEnabled` says false.
 */
export const quietLogger: Logger = {
  level: 'silent',
  child: () => quietLogger,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  silent: noop,
  isLevelEnabled: () => false,
  bindings: () => ({}),
  flush: noop,
} as unknown as Logger;
