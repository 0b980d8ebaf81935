import { InputError } from '../errors.js';
import type { TargetSpec } from '../reinsert/service.js';
import { parseConnectionString } from '../util/connection.js';

/**
 * A re-insert target configured on the server (`targets` in serve's config): the page and the
 * API name it; its connection string never leaves the server.
 */
export interface ConfiguredTargetSpec {
  connectionString?: string;
  /** Name of an environment variable holding the connection string (read when the target is used). */
  connectionStringEnv?: string;
  database?: string;
  ledgerTable?: string;
  description?: string;
}

/** What a caller is shown of a configured target: no credentials. */
export interface TargetSummary {
  name: string;
  /** `Server`/`Data Source` of the connection string (host[,port][\instance]), or null when it cannot be read. */
  server: string | null;
  database: string | null;
  description: string | null;
  /** False when its environment variable is unset: the target cannot be used until it is. */
  ready: boolean;
}

const SERVER_KEYS = ['server', 'data source', 'address', 'addr', 'network address'];
const DATABASE_KEYS = ['database', 'initial catalog'];

function connectionOf(t: ConfiguredTargetSpec, env: NodeJS.ProcessEnv): string | undefined {
  return t.connectionString ?? (t.connectionStringEnv ? env[t.connectionStringEnv] : undefined);
}

/**
 * The configured targets as the page lists them (name, server, database, ready), sorted by name.
 * Never throws: a connection string that cannot be parsed shows `server: null`.
 */
export function summariseTargets(targets: Record<string, ConfiguredTargetSpec> | undefined, env: NodeJS.ProcessEnv = process.env): TargetSummary[] {
  return Object.entries(targets ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => {
    const text = connectionOf(t, env);
    let parts: Record<string, string> = {};
    try {
      parts = text ? parseConnectionString(text) : {};
    } catch {
      parts = {};
    }
    const pick = (keys: string[]): string | null => keys.map((k) => parts[k]).find((v) => v !== undefined && v !== '') ?? null;
    return { name, server: pick(SERVER_KEYS), database: t.database ?? pick(DATABASE_KEYS), description: t.description ?? null, ready: Boolean(text) };
  });
}

/**
 * The TargetSpec a configured target name stands for.
 * @throws InputError INPUT_UNKNOWN_TARGET (no such name; the message lists the configured ones),
 *   INPUT_TARGET_UNSET (its environment variable is not set in the server's environment).
 */
export function resolveTargetName(name: string, targets: Record<string, ConfiguredTargetSpec> | undefined, env: NodeJS.ProcessEnv = process.env): TargetSpec {
  const t = targets && Object.hasOwn(targets, name) ? targets[name] : undefined;
  if (!t) {
    const known = Object.keys(targets ?? {}).sort();
    throw new InputError('INPUT_UNKNOWN_TARGET', `no re-insert target named '${name.slice(0, 64)}' is configured${known.length ? ` (configured: ${known.join(', ')})` : ' (serve\'s config has no targets)'}`, { field: 'targetName' });
  }
  const connectionString = connectionOf(t, env);
  if (!connectionString) {
    throw new InputError('INPUT_TARGET_UNSET', `target '${name}' reads its connection string from the environment variable ${t.connectionStringEnv}, which is not set for the server`, { field: 'targetName' });
  }
  return { connectionString, database: t.database, ledgerTable: t.ledgerTable, name };
}
