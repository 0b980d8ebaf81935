import { Writable } from 'node:stream';

/** A writable that keeps everything written to it as UTF-8 text (`text`): a command's stdout or stderr in tests that call its run function directly. */
export class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString('utf8');
    cb();
  }
}
