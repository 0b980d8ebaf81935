import { describe, expect, it } from 'vitest';
import { announceSkip, detectContainerRuntime } from '../../integration/support/runtime.js';

/**
 * The skip path itself, checked wherever integration tests run: with the runtime switched off
 * by ROWBACK_SKIP_INTEGRATION, detection says so and the banner names the reason.
 */
describe('integration skip path', () => {
  it('reports an unavailable runtime with a reason, and the banner says the tests did not run', async () => {
    const before = process.env.ROWBACK_SKIP_INTEGRATION;
    process.env.ROWBACK_SKIP_INTEGRATION = '1';
    try {
      const s = await detectContainerRuntime();
      expect(s).toEqual({ available: false, reason: 'ROWBACK_SKIP_INTEGRATION=1 is set' });
      const chunks: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((c: string) => (chunks.push(String(c)), true)) as typeof process.stderr.write;
      try {
        announceSkip('demo suite', s);
      } finally {
        process.stderr.write = write;
      }
      expect(chunks.join('')).toMatch(/SKIPPED: demo suite[\s\S]*ROWBACK_SKIP_INTEGRATION=1[\s\S]*NOT passes/);
    } finally {
      if (before === undefined) delete process.env.ROWBACK_SKIP_INTEGRATION;
      else process.env.ROWBACK_SKIP_INTEGRATION = before;
    }
  });
});
