import { redactSecrets } from './redact.js';
import { InputError } from '../errors.js';

/**
 * Connection settings for the live path, from an ADO.NET-style connection string
 * (`Server=tcp:db1,1433;Database=CRM;User Id=rowback;Password=…;Encrypt=true`) and/or the
 * MSSQL_* environment variables. Explicit connection-string keys win over the environment.
 * The password is kept out of everything printable: `describeConnection` never shows it and
 * the logger redacts `password` / `connectionString` paths (src/util/logger.ts).
 */
export interface ConnectionSettings {
  server: string;
  port?: number;
  instanceName?: string;
  database?: string;
  user?: string;
  password?: string;
  /** Windows domain: with it, rowback authenticates with NTLM instead of SQL authentication. */
  domain?: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  appName: string;
  /** ApplicationIntent=ReadOnly: routes to a readable secondary behind an AG listener. */
  readOnlyIntent: boolean;
  connectTimeoutMs: number;
}

export const APP_NAME = 'rowback';
export const DEFAULT_PORT = 1433;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/** Environment variables read, and the connection-string keys they stand for. */
export const ENV_VARS = {
  MSSQL_CONNECTION_STRING: 'a whole connection string',
  MSSQL_SERVER: 'Server (host, host,port or host\\instance)',
  MSSQL_PORT: 'port',
  MSSQL_DATABASE: 'Database',
  MSSQL_USER: 'User Id',
  MSSQL_PASSWORD: 'Password',
  MSSQL_DOMAIN: 'Domain (NTLM)',
  MSSQL_ENCRYPT: 'Encrypt (true/false)',
  MSSQL_TRUST_SERVER_CERTIFICATE: 'TrustServerCertificate (true/false)',
} as const;

/** Keys as ADO.NET / Microsoft.Data.SqlClient spell them, lower-cased, with their synonyms. */
const KEYS: Record<string, keyof RawSettings> = {
  server: 'server', 'data source': 'server', address: 'server', addr: 'server', 'network address': 'server',
  port: 'port',
  database: 'database', 'initial catalog': 'database',
  'user id': 'user', uid: 'user', user: 'user', 'user name': 'user', username: 'user',
  password: 'password', pwd: 'password',
  domain: 'domain',
  encrypt: 'encrypt',
  trustservercertificate: 'trustServerCertificate', 'trust server certificate': 'trustServerCertificate',
  'application name': 'appName', app: 'appName',
  applicationintent: 'applicationIntent', 'application intent': 'applicationIntent',
  'connect timeout': 'connectTimeout', 'connection timeout': 'connectTimeout', timeout: 'connectTimeout',
  'integrated security': 'integratedSecurity', trusted_connection: 'integratedSecurity',
};

interface RawSettings {
  server?: string;
  port?: string;
  database?: string;
  user?: string;
  password?: string;
  domain?: string;
  encrypt?: string;
  trustServerCertificate?: string;
  appName?: string;
  applicationIntent?: string;
  connectTimeout?: string;
  integratedSecurity?: string;
}

/**
 * Splits `key=value;…` the way ADO.NET does: values may be quoted with `"` or `'` (the quote
 * doubled inside) or braced `{…}` (ODBC style), so they can hold `;` and `=`.
 */
export function parseConnectionString(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  let part = 0;
  // the key of the part before, when it was a password with an unquoted value
  let afterBarePassword: string | undefined;
  const s = text;
  while (i < s.length) {
    while (i < s.length && (s[i] === ';' || /\s/.test(s[i]))) i++;
    if (i >= s.length) break;
    part++;
    const eq = s.indexOf('=', i);
    // The fragment itself is not echoed: it may be a mistyped password.
    if (eq < 0) throw new InputError('INPUT_BAD_CONNECTION', `connection string part ${part} (after character ${i}) has no '='`);
    const key = s.slice(i, eq).trim().toLowerCase().replace(/\s+/g, ' ');
    // An unquoted password holding `;` splits into parts: what follows it is no key but the rest
    // of the password, and is not echoed (it was, as "unknown connection string key 'def'").
    if (afterBarePassword !== undefined && !Object.hasOwn(KEYS, key)) {
      throw new InputError('INPUT_BAD_CONNECTION', `connection string part ${part}, just after the ${afterBarePassword === 'pwd' ? 'Pwd' : 'Password'} value, is no connection string key (not shown: it may be the rest of the password): a password holding ';' must be quoted, in "…" or {…}`);
    }
    afterBarePassword = undefined;
    i = eq + 1;
    while (i < s.length && s[i] === ' ') i++;
    let value = '';
    const q = s[i];
    if (q === '"' || q === "'" || q === '{') {
      const close = q === '{' ? '}' : q;
      i++;
      for (;;) {
        if (i >= s.length) throw new InputError('INPUT_BAD_CONNECTION', `connection string value of '${key}' has no closing ${close}`);
        if (s[i] === close) {
          if (s[i + 1] === close) {
            value += close;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += s[i++];
      }
      while (i < s.length && s[i] !== ';') {
        if (!/\s/.test(s[i])) throw new InputError('INPUT_BAD_CONNECTION', `unexpected text after the quoted value of '${key}'`);
        i++;
      }
    } else {
      const semi = s.indexOf(';', i);
      const end = semi < 0 ? s.length : semi;
      value = s.slice(i, end).trim();
      i = end;
      if (KEYS[key] === 'password') afterBarePassword = key;
    }
    if (!key) throw new InputError('INPUT_BAD_CONNECTION', 'connection string has an empty key');
    out[key] = value;
  }
  return out;
}

function parseBool(value: string, key: string): boolean {
  const v = value.trim().toLowerCase();
  // Microsoft.Data.SqlClient also accepts Mandatory/Optional/Strict for Encrypt.
  if (['true', 'yes', '1', 'mandatory', 'strict'].includes(v)) return true;
  if (['false', 'no', '0', 'optional'].includes(v)) return false;
  throw new InputError('INPUT_BAD_CONNECTION', `${key} must be true or false, not '${value}'`);
}

/**
 * `--server` may be a connection string (it contains `=`) or a plain server name; everything
 * not given there comes from the MSSQL_* variables. Encryption is on and certificates are
 * verified unless the user turns that off: the scan carries row data off the server.
 */
export function resolveConnection(server: string | undefined, env: NodeJS.ProcessEnv = process.env, overrides: { database?: string } = {}): ConnectionSettings {
  const raw: RawSettings = {};
  const fromEnvString = env.MSSQL_CONNECTION_STRING ? parseConnectionString(env.MSSQL_CONNECTION_STRING) : {};
  const fromArg = server && server.includes('=') ? parseConnectionString(server) : server ? { server } : {};
  const envPlain: Record<string, string | undefined> = {
    server: env.MSSQL_SERVER, port: env.MSSQL_PORT, database: env.MSSQL_DATABASE, 'user id': env.MSSQL_USER,
    password: env.MSSQL_PASSWORD, domain: env.MSSQL_DOMAIN, encrypt: env.MSSQL_ENCRYPT,
    trustservercertificate: env.MSSQL_TRUST_SERVER_CERTIFICATE,
  };
  for (const layer of [envPlain, fromEnvString, fromArg]) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined || v === '') continue;
      const field = KEYS[k];
      if (!field) throw new InputError('INPUT_BAD_CONNECTION', `unknown connection string key '${k}'`);
      raw[field] = v;
    }
  }
  if (overrides.database) raw.database = overrides.database;
  if (!raw.server) {
    throw new InputError('INPUT_BAD_CONNECTION', 'no server: give --server "Server=host;Database=…" or set MSSQL_SERVER');
  }
  // ADO.NET spells "on" for Integrated Security as SSPI too.
  const integrated = raw.integratedSecurity !== undefined && (raw.integratedSecurity.trim().toLowerCase() === 'sspi' || parseBool(raw.integratedSecurity, 'Integrated Security'));
  if (integrated && !raw.domain) {
    throw new InputError('INPUT_BAD_CONNECTION', 'Integrated Security without a Domain is not supported: give User Id, Password and Domain for NTLM');
  }

  let host = raw.server.trim().replace(/^tcp:/i, '');
  let port: number | undefined;
  let instanceName: string | undefined;
  const comma = host.lastIndexOf(',');
  if (comma >= 0) {
    port = parsePort(host.slice(comma + 1), 'Server port');
    host = host.slice(0, comma).trim();
  }
  const slash = host.indexOf('\\');
  if (slash >= 0) {
    instanceName = host.slice(slash + 1);
    host = host.slice(0, slash);
  }
  if (host === '.' || host.toLowerCase() === '(local)') host = 'localhost';
  if (raw.port !== undefined) port = parsePort(raw.port, 'port');
  if (port !== undefined && instanceName) {
    throw new InputError('INPUT_BAD_CONNECTION', 'give a port or an instance name, not both');
  }
  const timeoutSeconds = raw.connectTimeout !== undefined ? Number(raw.connectTimeout) : NaN;
  if (raw.connectTimeout !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds > 0)) {
    throw new InputError('INPUT_BAD_CONNECTION', `Connect Timeout must be a positive number of seconds, not '${raw.connectTimeout}'`);
  }
  const intent = raw.applicationIntent?.trim().toLowerCase();
  if (intent !== undefined && intent !== 'readonly' && intent !== 'readwrite') {
    throw new InputError('INPUT_BAD_CONNECTION', `ApplicationIntent must be ReadOnly or ReadWrite, not '${raw.applicationIntent}'`);
  }
  if (raw.domain && !raw.user) throw new InputError('INPUT_BAD_CONNECTION', 'Domain (NTLM) needs a User Id');

  return {
    server: host,
    ...(port !== undefined ? { port } : instanceName ? {} : { port: DEFAULT_PORT }),
    ...(instanceName ? { instanceName } : {}),
    ...(raw.database ? { database: raw.database } : {}),
    ...(raw.user ? { user: raw.user } : {}),
    ...(raw.password !== undefined ? { password: raw.password } : {}),
    ...(raw.domain ? { domain: raw.domain } : {}),
    encrypt: raw.encrypt !== undefined ? parseBool(raw.encrypt, 'Encrypt') : true,
    trustServerCertificate: raw.trustServerCertificate !== undefined ? parseBool(raw.trustServerCertificate, 'TrustServerCertificate') : false,
    appName: raw.appName || APP_NAME,
    // rowback only reads, so it declares read-only intent unless told otherwise.
    readOnlyIntent: intent !== 'readwrite',
    connectTimeoutMs: Number.isFinite(timeoutSeconds) ? timeoutSeconds * 1000 : DEFAULT_CONNECT_TIMEOUT_MS,
  };
}

function parsePort(text: string, what: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InputError('INPUT_BAD_CONNECTION', `${what} '${text}' is not a TCP port`);
  return n;
}

/**
 * Where and as whom, as two values (no secret): the host as `describeConnection` writes it (no port,
 * no instance) and the login as it writes it (`DOMAIN\\user` for NTLM), null when none. A job
 * keeps these so that they are hidden from viewers by value, whatever words name them.
 */
export function connectionIdentity(c: ConnectionSettings): { server: string; login: string | null } {
  return { server: c.server, login: c.domain ? `${c.domain}\\${c.user ?? ''}` : c.user ?? null };
}

/** For logs and messages: where and as whom, never the password. */
export function describeConnection(c: ConnectionSettings): string {
  const where = c.instanceName ? `${c.server}\\${c.instanceName}` : `${c.server}:${c.port ?? DEFAULT_PORT}`;
  const who = c.domain ? `${c.domain}\\${c.user} (NTLM)` : c.user ? `${c.user} (SQL login)` : '(no login)';
  const tls = c.encrypt ? (c.trustServerCertificate ? 'over TLS (certificate not verified)' : 'over TLS') : 'without TLS';
  return `${where}/${c.database ?? '(default database)'} as ${who} ${tls}`;
}

/**
 * The host a connection string (or a plain server name) names, lower-cased, `tcp:` dropped
 * (`db1,1433`, `db1\\inst`): no secret. Undefined when it names none or cannot be parsed. Kept
 * with job specs and re-insert runs so that a resume naming another server is told apart.
 */
export function connectionHost(text: string): string | undefined {
  let host: string | undefined;
  try {
    const parts = text.includes('=') ? parseConnectionString(text) : { server: text };
    host = ['server', 'data source', 'address', 'addr', 'network address'].map((k) => parts[k]).find((h) => h !== undefined && h.trim() !== '');
  } catch {
    return undefined;
  }
  host = host?.trim().replace(/^tcp:/i, '').toLowerCase();
  return host && host.length <= 200 ? redactSecrets(host) : undefined;
}

/** A connection string with its secret values replaced, for echoing user input back. */
export function redactConnectionString(text: string): string {
  return redactSecrets(text);
}

/**
 * A password given on the command line is visible to other users in `ps` for as long as the
 * process runs. Node lets a process rename itself (process.title rewrites argv on Linux and
 * macOS), so the CLI calls this as soon as it has read its arguments. MSSQL_PASSWORD is the
 * better place for a password; docs/live.md says so.
 */
export function hideArgvSecrets(proc: { title: string; argv: string[] } = process): void {
  if (proc.argv.some((a) => /(?:password|pwd)\s*=/i.test(a))) proc.title = APP_NAME;
}
