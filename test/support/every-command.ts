/**
 * One run of every rowback command that writes to stdout, for the output-failure tests (a reader
 * that closes stdout, a full disk): [name, argv] pairs over REAL corpus files (AngularJs_CRUD's
 * data file and log, the RestoreTimeClean backups) and the repository's examples/contact.sql.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath } from './corpus.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1.mdf');
const LDF = corpusPath('AngularJs_CRUD', 'App_Data', 'Database1_log.ldf');

export const EVERY_COMMAND: readonly (readonly [string, readonly string[]])[] = [
  ['scan', ['scan', '--mdf', MDF, '--ldf', LDF]],
  ['scan --format csv', ['scan', '--mdf', MDF, '--ldf', LDF, '--format', 'csv']],
  ['dump', ['dump', '--mdf', MDF, '--all']],
  ['log', ['log', LDF]],
  ['inspect', ['inspect', LDF]],
  ['decode', ['decode', '--ddl', join(repo, 'examples', 'contact.sql'), '--hex', '0x30000800010000000200000100130068006900']],
  ['restore plan', ['restore', 'plan', '--backups', corpusPath('appveyor-lab', 'RestoreTimeClean'), '--stop-at', '2017-06-01T13:20', '--as', 'X']],
  ['--help', ['--help']],
];
