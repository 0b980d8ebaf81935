import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { ledgerNameProblem } from '../../reinsert/plan.js';
import { choiceOption, refuseExcessArguments, requireSubcommand } from '../options.js';
import { openStagingStore } from '../../staging/open.js';
import { ROLES, type Role } from '../../staging/types.js';
import { duplicateJsonKey } from '../../util/json-duplicate-key.js';
import { sayLine } from '../stderr-lines.js';
import { shellWord } from '../../util/shell-word.js';

/**
 * `rowback serve`: the staging/review/re-insert service. `rowback token …`: API tokens (printed
 * once; only their sha256 is stored).
 *
 * Settings: flags, else the --config JSON file, else ROWBACK_DB / ROWBACK_HOST / ROWBACK_PORT,
 * else defaults (./rowback-staging.db, 127.0.0.1, 8080, concurrency 2).
 */
function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** One configured re-insert target: exactly one of connectionString / connectionStringEnv. */
export const ConfiguredTarget = z.object({
  connectionString: z.string().min(1).optional(),
  connectionStringEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
  database: z.string().min(1).max(128).optional(),
  ledgerTable: z.string().min(1).max(300).superRefine((t, ctx) => {
    const bad = ledgerNameProblem(t);
    if (bad) ctx.addIssue({ code: 'custom', message: bad });
  }).optional(),
  description: z.string().max(200).optional(),
}).strict().refine((t) => Boolean(t.connectionString) !== Boolean(t.connectionStringEnv), { message: 'give connectionString or connectionStringEnv (exactly one)' });
export type ConfiguredTarget = z.infer<typeof ConfiguredTarget>;

export const ServeConfig = z.object({
  db: z.string().min(1).default('rowback-staging.db'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  concurrency: z.coerce.number().int().min(1).max(64).default(2),
  maxAuthFailures: z.coerce.number().int().min(1).max(10_000).default(10),
  trustProxy: z.boolean().default(false),
  /** Folders job files must lie in (links resolved). Default: the folder serve was started in. */
  fileRoots: z.array(z.string().min(1)).min(1).optional(),
  /** Servers (as written in connection strings) live jobs may connect to; default any. */
  allowedServers: z.array(z.string().min(1)).min(1).optional(),
  /** Authenticated requests per token per minute (default 600). */
  maxRequestsPerToken: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Default: ROWBACK_LOG_LEVEL, else info. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /**
   * Named re-insert targets the review page offers ("run against a configured target"): the
   * connection string stays on the server, in this file or (better) in the environment variable
   * `connectionStringEnv` names. The page and the API name a target, never see its secret.
   */
  targets: z.record(z.string().regex(/^(?!(?:__proto__|constructor|prototype)$)[A-Za-z0-9_.-]{1,64}$/, 'a target name is 1-64 letters, digits, _ . - (and not __proto__, constructor or prototype)'), ConfiguredTarget).optional(),
  /**
   * IANA zone the page shows every time in (default: this process's zone). Log times are the
   * SQL Server's own clock; set this to the zone that server runs in so rowback's own
   * timestamps (audit, decisions) are shown on the same clock.
   */
  timeZone: z.string().min(1).refine(validTimeZone, 'not an IANA time zone (e.g. Europe/Berlin, UTC)').optional(),
}).strict();
export type ServeConfig = z.infer<typeof ServeConfig>;

interface ServeFlags { config?: string; db?: string; host?: string; port?: string; concurrency?: string; createToken?: string; role?: string; fileRoot?: string[]; allowServer?: string[] }

export function resolveConfig(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): ServeConfig {
  let file: Record<string, unknown> = {};
  let text = '';
  if (flags.config) {
    try {
      text = readFileSync(flags.config, 'utf8');
      file = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new InputError('INPUT_BAD_CONFIG', `cannot read config file ${flags.config}: ${(e as Error).message}`, { file: flags.config });
    }
    // a key given twice (a second "allowedServers" or "targets" block pasted below the first):
    // JSON.parse kept the last and dropped the first without a word, widening or emptying the list
    const fault = duplicateJsonKey(text);
    if (fault?.kind === 'duplicate') throw new InputError('INPUT_BAD_CONFIG', `config ${fault.path}: given twice in one object of ${flags.config}; JSON readers differ in which they keep (rowback would keep the last, unsaid): give it once`, { file: flags.config });
    if (fault?.kind === 'too-deep') throw new InputError('INPUT_BAD_CONFIG', `config file ${flags.config} nests objects and arrays more than ${fault.limit} levels deep, which no setting takes (its keys cannot be checked): give the settings in the shape docs/service.md shows`, { file: flags.config });
  }
  const merged = {
    ...file,
    ...(env.ROWBACK_DB && file.db === undefined ? { db: env.ROWBACK_DB } : {}),
    ...(env.ROWBACK_HOST && file.host === undefined ? { host: env.ROWBACK_HOST } : {}),
    ...(env.ROWBACK_PORT && file.port === undefined ? { port: env.ROWBACK_PORT } : {}),
    ...(flags.db !== undefined ? { db: flags.db } : {}),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(flags.fileRoot?.length ? { fileRoots: flags.fileRoot } : {}),
    ...(flags.allowServer?.length ? { allowedServers: flags.allowServer } : {}),
  };
  // JSON.parse keeps a "__proto__" key as an own property, but copying it into an object sets the
  // prototype instead: such a target would vanish without a word. Refused by name.
  const t = (merged as { targets?: unknown }).targets;
  if (t && typeof t === 'object' && Object.hasOwn(t, '__proto__')) {
    throw new InputError('INPUT_BAD_CONFIG', 'config targets: a target may not be named __proto__', { file: flags.config });
  }
  const r = ServeConfig.safeParse(merged);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError('INPUT_BAD_CONFIG', `config ${i.path.join('.') || '(root)'}: ${i.message}`, { file: flags.config });
  }
  return r.data;
}

function role(text: string | undefined): Role {
  // worded as every other choice (`--format 'xml' is not one of: …`), naming the value given
  if (!text) throw new InputError('INPUT_BAD_OPTION', `--role is needed: one of ${ROLES.join(', ')}`);
  // in any case, as every other choice (`--role Reviewer`: it was refused as not one of them)
  const hit = ROLES.find((r) => r === text.trim().toLowerCase());
  if (!hit) throw new InputError('INPUT_BAD_OPTION', `--role '${text}' is not one of: ${ROLES.join(', ')}`);
  return hit;
}

/**
 * `token list` / `token revoke` read an existing staging file: a mistyped --db made a new, empty
 * one and listed no tokens (exit 0), or revoked nothing there. `token create` and `serve` make it.
 */
function existingStagingFile(db: string): string {
  if (!existsSync(db)) throw new InputError('INPUT_FILE_UNREADABLE', `--db ${db}: no such staging file (token create or serve makes one; list and revoke read an existing one)`, { file: db });
  return db;
}

function mint(db: string, name: string, r: Role): void {
  const store = openStagingStore(db);
  try {
    const t = store.createToken(name, r, 'cli');
    process.stdout.write(`${t.token}\n`);
    sayLine(`token '${name}' (${r}) created in ${db}; it is shown only this once`);
  } finally {
    store.close();
  }
}

/**
 * The line `serve` prints (without its line end) when the staging file holds no active token:
 * nobody can sign in to the page or call the API until one is made (`token create` works while the server runs); the page's
 * sign-in form alone did not say that none exists. The command's `--db` is a shell word (command-line.ts
 * shellWord): a staging file `my stage.db` was advised bare, two words when pasted, and one named with
 * a line break `\u{a}`, another file. Undefined when a token exists or the file
 * cannot be read (the server has already opened it; this is advice, never a refusal).
 */
export function noTokenAdvice(db: string): string | undefined {
  let active: number;
  try {
    const store = openStagingStore(db, { readonly: true });
    try {
      active = store.listTokens().filter((t) => !t.revokedAt).length;
    } finally {
      store.close();
    }
  } catch {
    return undefined;
  }
  if (active > 0) return undefined;
  return `no API token in ${db} yet: nobody can sign in; make one (the server may keep running): rowback token create NAME --role operator --db ${shellWord(db)} (and --role reviewer for the person who approves)`;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the staging, review and re-insert service (API, OpenAPI at /docs, review page at /)')
    .option('--config <file>', 'JSON config file (db, host, port, concurrency, maxAuthFailures, trustProxy, logLevel, fileRoots, allowedServers, maxRequestsPerToken, targets, timeZone)')
    .option('--db <path>', 'staging SQLite file (default rowback-staging.db)')
    .option('--host <host>', 'address to bind (default 127.0.0.1: local only)')
    .option('--port <port>', 'port (default 8080; 0 = any free port)')
    .option('--concurrency <n>', 'recovery jobs run at the same time (default 2)')
    .option('--file-root <dir>', 'a folder job files may come from (repeatable; default: the folder serve starts in); links are resolved', (v: string, p: string[] = []) => [...p, v])
    .option('--allow-server <host>', 'a server live jobs may connect to (repeatable; default: any)', (v: string, p: string[] = []) => [...p, v])
    .option('--create-token <name>', 'mint an API token, print it once, and exit')
    .option('--role <role>', `role of the token: ${ROLES.join(', ')}`)
    .action(async (flags: ServeFlags) => {
      const cfg = resolveConfig(flags);
      if (flags.createToken) {
        mint(cfg.db, flags.createToken, role(flags.role));
        return;
      }
      // a job file root that is no folder would refuse every job's files later, one by one
      for (const d of cfg.fileRoots ?? []) {
        let isDir = false;
        try {
          isDir = statSync(d).isDirectory();
        } catch {
          /* said below */
        }
        if (!isDir) throw new InputError('INPUT_BAD_OPTION', `${flags.fileRoot?.length ? '--file-root' : 'config fileRoots:'} ${d}: no such folder (job files may come only from existing folders)`);
      }
      const { startServer } = await import('../../api/server.js');
      const { createLogger } = await import('../../util/logger.js');
      const { address } = await startServer({
        dbPath: cfg.db, host: cfg.host, port: cfg.port, concurrency: cfg.concurrency, maxAuthFailures: cfg.maxAuthFailures,
        trustProxy: cfg.trustProxy, logger: createLogger(cfg.logLevel ? { level: cfg.logLevel } : {}),
        fileRoots: cfg.fileRoots ?? [process.cwd()], allowedServers: cfg.allowedServers, maxRequestsPerToken: cfg.maxRequestsPerToken,
        targets: cfg.targets, timeZone: cfg.timeZone,
      });
      sayLine(`job files may come from: ${(cfg.fileRoots ?? [process.cwd()]).join(', ')}${cfg.allowedServers ? `; live jobs may connect to: ${cfg.allowedServers.join(', ')}` : ''}`);
      sayLine(`rowback serving on ${address} (review page ${address}/, API docs ${address}/docs); staging file ${resolve(cfg.db)}: its tokens sign in (rowback token create NAME --role ROLE --db ${shellWord(resolve(cfg.db))})`);
      const advice = noTokenAdvice(cfg.db);
      if (advice) sayLine(advice);
      if (cfg.host !== '127.0.0.1' && cfg.host !== 'localhost' && cfg.host !== '::1') {
        sayLine(`warning: bound to ${cfg.host}: the service is reachable from other machines; put TLS in front of it`);
      }
      // keep running until SIGINT/SIGTERM (server.ts closes the app and exits)
      await new Promise<never>(() => undefined);
    });

  const token = requireSubcommand(program.command('token').description('API tokens for rowback serve (roles: operator, reviewer, viewer)'));
  token
    .command('create <name>')
    .description('mint a token; it is printed once (only its sha256 is stored)')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--db <path>', 'staging SQLite file')
    .option('--config <file>', 'JSON config file')
    .action((name: string, o: ServeFlags) => mint(resolveConfig(o).db, name, role(o.role)));
  token
    .command('list')
    .description('list the tokens of a staging file: name, role, when created and revoked (never the token values)')
    .option('--db <path>', 'staging SQLite file')
    .option('--config <file>', 'JSON config file')
    // a script could only split tab-separated text (newcomer); the token values are never listed
    .addOption(choiceOption('--format <format>', 'output format: text (name, role, created, revoked, tab-separated) or json (an array of { name, role, createdAt, revokedAt })', ['text', 'json'] as const, 'text'))
    .action((o: ServeFlags & { format: 'text' | 'json' }) => {
      const store = openStagingStore(existingStagingFile(resolveConfig(o).db));
      try {
        const tokens = store.listTokens();
        if (o.format === 'json') process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
        else for (const t of tokens) process.stdout.write(`${t.name}\t${t.role}\t${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`);
      } finally { store.close(); }
    });
  token
    .command('revoke <name>')
    .description('revoke the active token of that name: the API refuses it from then on (401)')
    .option('--db <path>', 'staging SQLite file')
    .option('--config <file>', 'JSON config file')
    .action((name: string, o: ServeFlags) => {
      const store = openStagingStore(existingStagingFile(resolveConfig(o).db));
      try {
        if (!store.revokeToken(name)) throw new InputError('INPUT_NOT_FOUND', `no active token named '${name}'`);
        sayLine(`token '${name}' revoked`);
      } finally { store.close(); }
    });
  refuseExcessArguments(token);
}
