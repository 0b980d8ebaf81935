/**
 * Which host the driver dials for a connection string (mssql's own parser): the allowedServers
 * check of an ad-hoc re-insert target (src/api/routes/reinsert.ts) holds it to the same list, since
 * rowback's parser and the driver's can disagree where the server is named twice.
 */
import { expect, it } from 'vitest';
import { driverServerOf } from '../../src/reinsert/mssql-target.js';

it('driverServerOf: the host mssql would dial, not the one rowback\'s parser keeps', () => {
  expect(driverServerOf('Server=sql01,1433;User Id=sa;Password=x')).toBe('sql01');
  expect(driverServerOf('Server=tcp:sql01\\inst;User Id=sa')).toBe('sql01');
  // the disagreement the route refuses: rowback's parser keeps the last alias (sql01)
  expect(driverServerOf('Data Source=evil.example;Server=sql01;User Id=sa')).toBe('evil.example');
  expect(driverServerOf('')).toBeNull();
});
