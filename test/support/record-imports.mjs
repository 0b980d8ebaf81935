// Test-only: `node --import ./record-imports.mjs bin/rowback.js …` appends every bare package name the
// process imports (one a line) to the file ROWBACK_TEST_IMPORTS, so a test can say what a command loads.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.ROWBACK_TEST_IMPORTS } });
