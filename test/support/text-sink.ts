import { Writable } from 'node:stream';

/** A writable that keeps everything written to it as UTF-8 text (`text`): a command's stdout or stderr in tests that call its run function directly. */
export class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString('utf8');
    cb();
  }
}

/**
 * A Sink that, the first time its text holds `marker`, gives SIGINT to the process's newest SIGINT
 * listener (the command's own, run in-process) before the write completes: an interrupt while a
 * command writes its output. `signalled` says whether it came. The shape two diff interrupt tests
 * wrote each (duplicates D4, session 38).
 */
export class SigintAtText extends Sink {
  signalled = false;
  constructor(private readonly marker: string) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.text += chunk.toString('utf8');
    if (!this.signalled && this.text.includes(this.marker)) {
      this.signalled = true;
      (process.listeners('SIGINT').at(-1) as (s: NodeJS.Signals) => void)('SIGINT');
    }
    cb();
  }
}
