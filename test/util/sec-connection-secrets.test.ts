import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/util/redact.js';
import { parseConnectionString, resolveConnection } from '../../src/util/connection.js';

/**
 * A password is a secret in every form it is mistyped in. Two doors let part of one out:
 * the redaction of a quoted value with no closing quote (the value ran to the first `;` only, the
 * rest of the password was printed), and the connection-string parser's "unknown key" refusal,
 * which echoed the part after an unquoted password holding `;` (`Password=Abc;Def=Ghi` → key 'def').
 */
describe('password fragments never reach text', () => {
  it('redacts a quoted or braced password with no closing quote to the end of the text', () => {
    for (const [text, rest] of [
      ['Server=x;Password="se;cret-tail', 'cret-tail'],
      ["Server=x;Password='se;cret-tail", 'cret-tail'],
      ['Server=x;Password={se;cret-tail', 'cret-tail'],
      ['Server=x;PWD = "se;cret-tail;Database=d', 'cret-tail'],
      ['jdbc:sqlserver://h;user=sa;password="se;cret-tail', 'cret-tail'],
    ] as const) {
      const out = redactSecrets(text);
      expect(out, text).not.toContain(rest);
      expect(out, text).toContain('***');
    }
    // closed quotes keep what follows them
    expect(redactSecrets('Server=x;Password="a;b";Database=CRM')).toBe('Server=x;Password=***;Database=CRM');
    expect(redactSecrets("Server=x;Password='a;b';Database=CRM")).toBe('Server=x;Password=***;Database=CRM');
    expect(redactSecrets('Server=x;Password={a;b}};c};Database=CRM')).toBe('Server=x;Password=***;Database=CRM');
  });

  it('does not echo the part after an unquoted password that held a ";"', () => {
    for (const [text, fragment] of [
      ['Server=x;User Id=sa;Password=Abc;Def=Ghi', 'def'],
      ['Server=x;User Id=sa;Pwd=Abc;De;f=Ghi', 'de;f'],
      ['Server=x;User Id=sa;Password=Abc;Def Ghi=1;Database=CRM', 'def ghi'],
    ] as const) {
      let message = '';
      try {
        resolveConnection(text, {});
      } catch (e) {
        message = `${(e as { code: string }).code}: ${(e as Error).message}`;
      }
      expect(message, text).toMatch(/^INPUT_BAD_CONNECTION: /);
      expect(message.toLowerCase(), text).not.toContain(fragment);
      expect(message, text).toMatch(/quote/);
    }
    // a real unknown key elsewhere is still named (a typo is found by its name)
    expect(() => resolveConnection('Servr=x;Password=Abc', {})).toThrow(/unknown connection string key 'servr'/);
    // a known key after a password is an ordinary part
    expect(parseConnectionString('Server=x;Password=Abc;Database=CRM')).toEqual({ server: 'x', password: 'Abc', database: 'CRM' });
  });
});
