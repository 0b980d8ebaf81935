import { expect, it } from 'vitest';
import { formatLocation } from '../../src/errors.js';

// bytes → expected, as the one-line errors print their location
it.each([
  [{ file: '/x/db.mdf', page: '1:9' }, 'file /x/db.mdf, page 1:9'],
  [{ file: 'data file /x/db.mdf', page: '1:9' }, 'data file /x/db.mdf, page 1:9'],
  [{ file: 'backup /x/a.bak + /x/b.bak', offset: 512 }, 'backup /x/a.bak + /x/b.bak, offset 512'],
  [{ file: 'compressed backup /x/c.bak' }, 'compressed backup /x/c.bak'],
  [{ file: '/x/backup of monday.bak' }, 'file /x/backup of monday.bak'],
  [{ lsn: '00000019:0000003e:0001', column: 'Name' }, 'LSN 00000019:0000003e:0001, column Name'],
])('%j → %s', (loc, want) => {
  expect(formatLocation(loc)).toBe(want);
});
