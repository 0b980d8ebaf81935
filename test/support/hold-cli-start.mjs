// Test-only: `node --import ./hold-cli-start.mjs bin/rowback.js …` holds the CLI between bin/rowback.js's
// first lines (its start-up signal listeners) and the command's code: loading cli/main.* waits
// ROWBACK_TEST_HOLD_MS (default 5000) after writing the file ROWBACK_TEST_HOLD_MARK, so a test can send
// a signal exactly "while starting", however fast or loaded the machine is.
import { register } from 'node:module';

register('./hold-cli-start-hooks.mjs', import.meta.url);
