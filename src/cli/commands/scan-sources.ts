import { InputError } from '../../errors.js';
import type { RecoverySource } from '../../recover/source.js';

/** The flags that pick a scan's source; exactly one family may be given. */
export interface ScanSourceOptions {
  mdf?: string;
  bak?: string;
  ldf?: string;
  trn?: string[];
  server?: string;
  database?: string;
  logBackup?: string[];
  inactiveLog?: boolean;
  export?: string;
}

export async function openSource(o: ScanSourceOptions): Promise<RecoverySource> {
  const files = Boolean(o.mdf || o.bak || o.ldf || o.trn?.length);
  const live = Boolean(o.server || o.database || o.logBackup?.length || o.inactiveLog);
  const exp = Boolean(o.export);
  const families = [files && 'files (--mdf/--bak/--ldf/--trn)', live && 'live (--server/--database)', exp && 'export (--export)'].filter(Boolean);
  if (families.length === 0) {
    throw new InputError('INPUT_NO_SOURCE', 'nothing to scan: give log files (--ldf/--trn, with --mdf/--bak or --schema/--ddl), --server with --database, or --export FILE');
  }
  if (families.length > 1) throw new InputError('INPUT_BAD_OPTION', `give one source, not ${families.join(' and ')}`);
  if (files) {
    const { openFileSource } = await import('../../recover/sources/files.js');
    return openFileSource({ mdf: o.mdf, bak: o.bak, ldf: o.ldf, trn: o.trn });
  }
  throw new InputError('INPUT_NOT_AVAILABLE', 'this source is not available in this build yet');
}
