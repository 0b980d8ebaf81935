import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { readLogFilesInParallel } from '../../src/logreader/parallel/parallel-reader.js';
import { createInputReadStream, openInput, openInputSync, verifyOpenedInput, withFileRoots } from '../../src/util/input-open.js';

/**
 * util/input-open.ts: under a job's file roots every input is opened first and the OPENED descriptor
 * checked (real path inside the roots, same device and inode), so a file swapped for a link out of
 * the roots between the check and the open is never read (docs/security.md).
 */
const dir = mkdtempSync(join(tmpdir(), 'rowback-input-open-'));
const root = join(dir, 'evidence');
const outside = join(dir, 'elsewhere');
mkdirSync(root);
mkdirSync(outside);
writeFileSync(join(root, 'ok.ldf'), 'inside');
writeFileSync(join(outside, 'secret.ldf'), 'outside');
symlinkSync(join(outside, 'secret.ldf'), join(root, 'link.ldf'));
symlinkSync(join(outside, 'missing.ldf'), join(root, 'dangling.ldf'));
symlinkSync(join(root, 'ok.ldf'), join(root, 'inner-link.ldf'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = (fd: number): string => {
  const b = Buffer.alloc(64);
  return b.subarray(0, readSync(fd, b, 0, 64, 0)).toString();
};

describe('opened under the roots', () => {
  it('a file inside the roots, and a link inside them to one inside, open as before', () => {
    withFileRoots([root], () => {
      for (const p of ['ok.ldf', 'inner-link.ldf']) {
        const fd = openInputSync(join(root, p));
        try { expect(text(fd)).toBe('inside'); } finally { closeSync(fd); }
      }
    });
  });

  it('a link out of the roots is refused, naming its field and not where it leads', async () => {
    const fields = new Map([[join(root, 'link.ldf'), 'trn.1']]);
    await withFileRoots([root], async () => {
      let e: any;
      try { openInputSync(join(root, 'link.ldf')); } catch (x) { e = x; }
      expect(e?.code).toBe('INPUT_PATH_NOT_ALLOWED');
      expect(e.message).toMatch(/^trn\.1 .*link\.ldf is outside the folders this service may read \(it is a link to a place outside them\) \(now /);
      expect(e.message).not.toContain('elsewhere');
      await expect(openInput(join(root, 'link.ldf'))).rejects.toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED' });
    }, fields);
  });

  it('a dangling link out of the roots is refused as outside, not said to be missing', () => {
    withFileRoots([root], () => {
      expect(() => openInputSync(join(root, 'dangling.ldf'))).toThrow(/is outside the folders this service may read \(it is a link to a place outside them\)/);
    });
  });

  it('a descriptor that is not the file its path names now is refused (swapped back between the open and the check)', () => {
    // the open got the file outside (the link was in place), then the path was made the file inside again
    const fd = openSync(join(outside, 'secret.ldf'), 'r');
    try {
      expect(() => verifyOpenedInput(fd, join(root, 'ok.ldf'), { roots: [root] })).toThrow(/ok\.ldf is outside the folders this service may read \(it was replaced while it was being opened\)/);
    } finally {
      closeSync(fd);
    }
    const same = openSync(join(root, 'ok.ldf'), 'r');
    try {
      expect(() => verifyOpenedInput(same, join(root, 'ok.ldf'), { roots: [root] })).not.toThrow();
    } finally {
      closeSync(same);
    }
  });

  it('a FIFO swapped in does not hang the open: refused as not a regular file', () => {
    const fifo = join(root, 'pipe.ldf');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    withFileRoots([root], () => {
      expect(() => openInputSync(fifo)).toThrow(/not a regular file/);
    });
  });

  it('a stream over a link out of the roots fails with the refusal, reading nothing', async () => {
    await withFileRoots([root], async () => {
      const s = createInputReadStream(join(root, 'link.ldf'));
      const got: Buffer[] = [];
      await expect((async () => { for await (const c of s) got.push(c as Buffer); })()).rejects.toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED' });
      expect(got).toEqual([]);
      const ok: Buffer[] = [];
      for await (const c of createInputReadStream(join(root, 'ok.ldf'))) ok.push(c as Buffer);
      expect(Buffer.concat(ok).toString()).toBe('inside');
    });
  });

  it('the roots follow the async work started under them, and end with it', async () => {
    await withFileRoots([root], async () => {
      await new Promise((r) => setTimeout(r, 1));
      await expect(openInput(join(root, 'link.ldf'))).rejects.toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED' });
    });
    // no roots in force (the CLI): the plain read-only open it always was
    const fd = openInputSync(join(root, 'link.ldf'));
    try { expect(text(fd)).toBe('outside'); } finally { closeSync(fd); }
  });
});

/**
 * The parallel log reader opens its files in worker threads, which do not inherit the async context:
 * the roots travel in the thread's job. A worker thread under roots opening a link out of them is
 * refused as the main thread is (the copy outside is a real log: read, it would give records).
 */
it.skipIf(!corpusAvailable)('a worker thread of the parallel log reader opens under the roots of the job that started it', async () => {
  const ldf = join(outside, 'real.ldf');
  copyFileSync(corpusPath('AngularJs_CRUD/App_Data/Database1_log.ldf'), ldf);
  symlinkSync(ldf, join(root, 'real-link.ldf'));
  const read = async () => {
    let events = 0;
    for await (const f of readLogFilesInParallel([{ kind: 'ldf', file: join(root, 'real-link.ldf'), position: 1 }], 2, {})) for await (const _ of f.events) events++;
    return events;
  };
  await expect(withFileRoots([root], read)).rejects.toMatchObject({ code: 'INPUT_PATH_NOT_ALLOWED' });
  expect(await read()).toBeGreaterThan(0); // no roots: read as before
}, 60_000);

/**
 * Every reader opens its input through util/input-open.ts: a raw open by path in a module a job's
 * files pass through is the race above again. Opens that are not of job inputs are listed by file.
 */
it('no module opens a file by path but through util/input-open.ts (outside the listed non-input opens)', () => {
  const src = join(__dirname, '../../src');
  const allowed = new Set([
    'util/input-open.ts', // the opener itself
    'util/files.ts', // readTextFile: the CLI's --ddl / --schema
    'util/spawn-worker.ts', // tsx's package.json
    'api/routes/web.ts', // the review page's own files
    'recover/held-candidates.ts', // its own spill file (w+)
    'logreader/live/shipped-sql.ts', // the package's own SQL
    'staging/store.ts', 'staging/lock.ts', // the staging file and its lock
  ]);
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith('.ts') ? [join(d, n)] : []));
  const offenders: string[] = [];
  for (const f of walk(src)) {
    const rel = relative(src, f).split('\\').join('/');
    if (allowed.has(rel) || rel.startsWith('cli/')) continue;
    const s = readFileSync(f, 'utf8');
    s.split('\n').forEach((line, i) => {
      if (/\bopenSync\(|createReadStream\(|readFileSync\(|\breadFile\(|(?<![.\w])open\([^)]*['"]r/.test(line) && !/^\s*(\*|\/\/)/.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(offenders).toEqual([]);
});
