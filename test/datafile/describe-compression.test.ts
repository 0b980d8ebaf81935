/**
 * inspect's table line: the compression of every partition, not only the first (the table's merged
 * layout is partition 1's). Partition lists here are plain objects (no bytes).
 */
import { describe, expect, it } from 'vitest';
import { compressionSummary } from '../../src/datafile/describe.js';

describe('compressionSummary', () => {
  it.each([
    [[{ partitionNumber: 1, compression: 'NONE' }], 'NONE'],
    [[{ partitionNumber: 1, compression: 'PAGE' }, { partitionNumber: 2, compression: 'PAGE' }], 'PAGE'],
    // before: 'NONE' (partition 1's), so inspect printed no compression for a table mostly PAGE-compressed
    [[{ partitionNumber: 3, compression: 'PAGE' }, { partitionNumber: 1, compression: 'NONE' }, { partitionNumber: 2, compression: 'PAGE' }], 'NONE on partition 1; PAGE on partitions 2, 3'],
    [[], 'NONE'],
  ])('%j → %s', (parts, want) => {
    expect(compressionSummary(parts)).toBe(want);
  });
});
