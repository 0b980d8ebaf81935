/**
 * The bytes of a backup's Microsoft Tape Format stream, whatever the file holds: an ordinary
 * (uncompressed) backup is its MTF stream; a compressed one (`MSSQLBAK`) is decompressed chunk by
 * chunk (`compressed.ts`). Every backup reader (MTF walk, header, page index, log stream) reads
 * through this, so offsets they report are offsets in the MTF stream — the file offset for an
 * uncompressed backup, the decompressed-stream offset for a compressed one (`compressed` says
 * which).
 */
import { closeSync, fstatSync, readSync } from 'node:fs';
import { openInputSync } from '../util/input-open.js';
import { InputError } from '../errors.js';
import { unreadableWhy } from '../util/files.js';
import { CompressedBackupReader, indexCompressedBackup, isCompressedBackup } from './compressed.js';

export interface BackupBytes {
  readonly path: string;
  /** Size of the MTF stream in bytes. */
  readonly size: number;
  /** Set for a compressed backup: its size on disk and the number of chunks. */
  readonly compressed: { fileSize: number; chunks: number; reader: CompressedBackupReader } | null;
  /** `fs.readSync` shape: reads up to `length` bytes at MTF-stream `position`; returns bytes read. */
  readSync(buf: Uint8Array, offset: number, length: number, position: number): number;
  /** The same as a promise, shaped like `FileHandle.read` (for the log block reader). */
  read(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(): void;
}

/**
 * Opens a backup file for positioned reads of its MTF stream. Throws InputError
 * INPUT_FILE_UNREADABLE when it cannot be opened, and the FormatErrors of
 * `indexCompressedBackup` for a compressed container rowback does not understand.
 */
export function openBackupBytes(path: string): BackupBytes {
  let fd: number;
  try {
    fd = openInputSync(path);
  } catch (e) {
    throw new InputError('INPUT_FILE_UNREADABLE', `cannot open ${path}: ${unreadableWhy(e)}`, { file: path });
  }
  let closed = false;
  const close = () => {
    if (!closed) {
      closed = true;
      closeSync(fd);
    }
  };
  try {
    if (isCompressedBackup(fd)) {
      const index = indexCompressedBackup(path, fd);
      const reader = new CompressedBackupReader(index, fd);
      return {
        path,
        size: reader.size,
        compressed: { fileSize: index.fileSize, chunks: index.logical.length, reader },
        readSync: (buf, offset, length, position) => reader.readSync(buf, offset, length, position),
        read: async (buf, offset, length, position) => ({ bytesRead: reader.readSync(buf, offset, length, position) }),
        close,
      };
    }
    const size = fstatSync(fd).size;
    return {
      path,
      size,
      compressed: null,
      readSync: (buf, offset, length, position) => readSync(fd, buf, offset, Math.max(0, Math.min(length, size - position)), position),
      read: async (buf, offset, length, position) => ({ bytesRead: readSync(fd, buf, offset, Math.max(0, Math.min(length, size - position)), position) }),
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
