import { PassThrough } from 'node:stream';
import { createRowWriter, type OutputFormat, type WriterOptions } from '../../src/recover/writers.js';
import type { RecoveredRow } from '../../src/recover/recovered-row.js';

/**
 * Writes `rows` through the real row writer of `format` into memory and returns the bytes written
 * (the writer's own encoding: UTF-8 for every format). Test support for the writer tests.
 */
export async function renderRowBytes(format: OutputFormat, rows: RecoveredRow[], options: WriterOptions = {}): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const w = createRowWriter(format, out, options);
  for (const r of rows) await w.write(r);
  await w.end();
  return Buffer.concat(chunks);
}

/** {@link renderRowBytes} decoded as UTF-8, with only the value columns given. */
export async function renderRows(format: OutputFormat, rows: RecoveredRow[], valueColumns?: string[]): Promise<string> {
  return (await renderRowBytes(format, rows, { valueColumns })).toString('utf8');
}
