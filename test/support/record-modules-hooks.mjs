// Module hooks of record-modules.mjs (they run on node's hooks thread): each module's URL as it loads.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.ROWBACK_TEST_MODULES_FILE) appendFileSync(process.env.ROWBACK_TEST_MODULES_FILE, `${url}\n`);
  return nextLoad(url, context);
}
