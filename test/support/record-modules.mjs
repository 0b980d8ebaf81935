// Test-only: `node --import ./record-modules.mjs dist/cli/main.js …` appends the URL of every module
// node loads, one per line, to the file ROWBACK_TEST_MODULES_FILE (test/cli/start-up-modules.test.ts).
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url);
