// Module hooks of hold-cli-start.mjs (they run on node's hooks thread).
import { writeFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (/\/cli\/main\.(js|ts)$/.test(url) && process.env.ROWBACK_TEST_HOLD_MARK) {
    writeFileSync(process.env.ROWBACK_TEST_HOLD_MARK, 'starting');
    await new Promise((r) => setTimeout(r, Number(process.env.ROWBACK_TEST_HOLD_MS ?? 5000)));
  }
  return nextLoad(url, context);
}
