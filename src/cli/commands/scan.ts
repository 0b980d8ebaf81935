import type { Command } from 'commander';
import { InputError } from '../../errors.js';

// Placeholder while the command is built; see the issue that owns it.
export function register(program: Command): void {
  program
    .command('scan')
    .description('(not built yet)')
    .allowUnknownOption()
    .action(() => {
      throw new InputError('INPUT_NOT_AVAILABLE', "'scan' is not available in this build yet");
    });
}
