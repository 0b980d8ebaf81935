import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assertReadOnly, codeWords } from '../../../src/logreader/live/read-only.js';
import { firstBeginXactSql, headerOnlySql, logVlfsSql, scanSql, serverInfoSql } from '../../../src/logreader/live/sql.js';

const refused = (text: string, opts = {}) =>
  expect(() => assertReadOnly(text, opts)).toThrow(expect.objectContaining({ code: 'SOURCE_NOT_READ_ONLY' }));

describe('read-only guard', () => {
  it('passes every statement the live worker builds', () => {
    assertReadOnly(serverInfoSql().text);
    assertReadOnly(logVlfsSql().text);
    assertReadOnly(firstBeginXactSql({ vlf: 1, block: 2, slot: 3 }).text);
    const scan = { inputs: [{ kind: 'online' as const }, { kind: 'backup' as const, file: "C:\\b\\it's; DROP.trn", position: 2 }], start: null, end: null, operations: ['delete' as const, 'update' as const], tables: [{ schema: 'dbo', name: 'x]; DELETE y' }] };
    assertReadOnly(scanSql(scan).text);
    assertReadOnly(scanSql({ ...scan, inactiveLog: true }).text, { allowInactiveLogTraceFlag: true });
  });

  it('passes RESTORE HEADERONLY of one file by parameter, alone and only when told', () => {
    assertReadOnly(headerOnlySql('x.trn').text, { allowHeaderOnly: true });
    assertReadOnly('restore   headeronly from disk=@f', { allowHeaderOnly: true });
    refused(headerOnlySql('x.trn').text);
    for (const text of [
      "RESTORE HEADERONLY FROM DISK = N'x.trn';",
      'RESTORE HEADERONLY FROM DISK = @file; DROP TABLE t;',
      'RESTORE DATABASE x FROM DISK = @file;',
      'RESTORE HEADERONLY FROM DISK = @file WITH FILE = 1;',
      'SELECT 1; RESTORE HEADERONLY FROM DISK = @file;',
      'RESTORE HEADERONLY FROM DISK = @file /* */ ; RESTORE DATABASE x FROM DISK = @file',
      'SELECT 1',
      // a comment the guard's stripping and the server might end at different places (a lone CR):
      // no comment is let through with the header listing at all
      'RESTORE HEADERONLY FROM DISK = @file; --\rSHUTDOWN WITH NOWAIT',
      'RESTORE HEADERONLY FROM DISK = @file; /* */',
      'RESTORE HEADERONLY FROM DISK = @file\u00a0',
    ]) refused(text, { allowHeaderOnly: true });
    assertReadOnly('RESTORE HEADERONLY\r\nFROM DISK = @file;\r\n', { allowHeaderOnly: true });
  });

  it('passes the shipped catalog query', () => {
    assertReadOnly(readFileSync(new URL('../../../sql/table-metadata.sql', import.meta.url), 'utf8'));
  });

  it('refuses the trace flag unless the inactive log was asked for', () => {
    refused(scanSql({ inputs: [{ kind: 'online' }], start: null, end: null, operations: ['delete'], tables: [], inactiveLog: true }).text);
    refused('DBCC TRACEON(3604); SELECT 1', { allowInactiveLogTraceFlag: true });
    refused('DBCC TRACEON(2537, -1); SELECT 1', { allowInactiveLogTraceFlag: true });
    refused('SELECT 1; DBCC TRACEON(2537);', { allowInactiveLogTraceFlag: true });
  });

  it.each([
    'DELETE FROM dbo.Customers',
    'select 1; delete from t',
    'SELECT * INTO #t FROM sys.objects',
    'WITH c AS (SELECT 1 AS a) UPDATE c SET a = 2',
    'EXEC sp_who',
    'SET NOCOUNT ON; SELECT 1',
    'DECLARE @x int = 1',
    'BACKUP LOG db TO DISK = N\'x\'',
    'SELECT 1 /* nested /* */ still comment */; DROP TABLE t',
    '',
    '-- only a comment',
    // a `--` comment ended by a lone CR (or NEL, U+2028, U+2029) if the server reads one as a line
    // end: the guard cannot know it does not, so it checks what follows
    'SELECT 1 -- note\rDROP TABLE t',
    'SELECT 1 -- note\u0085DROP TABLE t',
    'SELECT 1 -- note\u2028SHUTDOWN',
    'SELECT 1 -- note\u2029DELETE FROM t',
  ])('refuses %j', (text) => refused(text));

  it('refuses a -- comment whose end the server may put elsewhere: a quote or /* after a lone CR hid what follows the LF', () => {
    // the server ending the comment at LF alone runs DROP TABLE; the guard ending it at CR read a literal
    refused("SELECT 1 --x\r' \nDROP TABLE t --'");
    refused('SELECT 1 --x\u2028/* \nSHUTDOWN --*/');
    expect(() => codeWords("RESTORE DATABASE d FROM DISK = N'a' --\r' \nSHUTDOWN --'")).toThrow(expect.objectContaining({ code: 'SOURCE_NOT_READ_ONLY' }));
    // a CRLF, or line ends and blanks only, end it the same either way
    assertReadOnly('SELECT 1 -- note\r\n\r\nFROM sys.objects');
    assertReadOnly('SELECT 1 -- note\r \t\nFROM sys.objects');
  });

  it('checks what follows a lone CR after a comment in the DBCC TRACEON prefix too', () => {
    refused('DBCC TRACEON(2537) WITH NO_INFOMSGS; SELECT 1 --\rDROP TABLE t', { allowInactiveLogTraceFlag: true });
    refused('-- x\rSHUTDOWN; DBCC TRACEON(2537); SELECT 1', { allowInactiveLogTraceFlag: true });
    // CRLF line ends still end a comment once, and what follows is read as before
    assertReadOnly('DBCC TRACEON(2537);\r\n-- inactive log too\r\nSELECT 1', { allowInactiveLogTraceFlag: true });
  });

  it('ignores words inside literals, brackets and comments', () => {
    assertReadOnly("SELECT N'DELETE FROM t' AS [drop table], \"UPDATE\" = 1 -- EXEC x\n/* INSERT */ FROM sys.objects");
    expect(codeWords("SELECT [a]]DELETE] , 'it''s DROP' FROM t")).toEqual(['SELECT', 'FROM', 'T']);
  });
});
