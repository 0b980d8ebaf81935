/**
 * A refusal raised in code shared with the API (replay/, restore/) names its request field
 * (`afterBak`, `key`); the CLI printed it as is, "(field afterBak)", a name no command line has. The
 * CLI now names the option typed: "(option --after-bak)", "(option --key)".
 */
import { expect, it } from 'vitest';
import { captureCli, expectOneLineError } from '../support/cli.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';

const cli = captureCli();
const rtc = (f: string) => corpusPath('appveyor-lab', 'RestoreTimeClean', f);

describeCorpus('CLI errors name options, not API fields', () => {
  it('diff --key naming a column the table lacks: (option --key)', async () => {
    const line = expectOneLineError(await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), '--after-bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--table', 'dbo.steps', '--key', 'stepz'), 'INPUT_BAD_OPTION');
    expect(line).toContain('--key names column(s) stepz that dbo.steps does not have (columns: step, dt) (option --key)');
    expect(line).not.toContain('field key');
  });

  it('diff with the later backup older than the earlier one: (option --after-bak)', async () => {
    const line = expectOneLineError(await cli('diff', '--bak', rtc('RestoreTimeClean.bak'), rtc('RestoreTimeClean2.bak'), '--after-bak', rtc('RestoreTimeClean.bak'), '--table', 'dbo.steps'), 'INPUT_BAD_WINDOW');
    expect(line).toMatch(/\(option --after-bak\)\n$/);
    expect(line).not.toContain('field afterBak');
  });
});
