import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../../src/errors.js';
import { layoutsFromDdl } from '../../../src/reconstruct/metadata/ddl.js';

/**
 * Whatever a user pastes, the DDL path either returns layouts or throws a SchemaError with a code;
 * nothing else escapes (no TypeError, no hang). Inputs: a realistic script cut and spliced at
 * random places, and random sequences of T-SQL-ish tokens.
 */

const SCRIPT = `SET ANSI_NULLS ON
GO
CREATE TYPE dbo.Flag FROM bit NOT NULL
GO
CREATE TABLE [dbo].[Order Lines](
  [Id] [int] IDENTITY(1,1) NOT NULL,
  [Ref] nvarchar(20) COLLATE Latin1_General_CI_AS NULL DEFAULT (N'x''y'),
  [Qty] decimal(18, 2) NOT NULL CONSTRAINT [DF_Qty] DEFAULT ((1)),
  [Paid] dbo.Flag, [Sp] int SPARSE NULL,
  [Total] AS CAST([Qty] * 2 AS decimal(19,2)) PERSISTED,
  /* comment /* nested */ */ [Made] datetime2(3) NOT NULL, -- line comment
  CONSTRAINT [PK] PRIMARY KEY CLUSTERED ([Id] ASC) WITH (DATA_COMPRESSION = ROW) ON [PRIMARY],
  CONSTRAINT [CK] CHECK ([Qty] > (0)),
  CONSTRAINT [FK] FOREIGN KEY ([Ref]) REFERENCES dbo.Refs ([Ref]) ON DELETE CASCADE
) ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]
GO
CREATE NONCLUSTERED INDEX IX ON [dbo].[Order Lines] ([Made] DESC) INCLUDE ([Qty]) WHERE [Paid] = 1;
ALTER TABLE [dbo].[Order Lines] ADD [Extra] varchar(10) NULL;
ALTER TABLE [dbo].[Order Lines] DROP COLUMN [Extra];
`;

const TOKENS = [
  'CREATE', 'TABLE', 'INDEX', 'ALTER', 'ADD', 'DROP', 'COLUMN', 'CONSTRAINT', 'PRIMARY', 'KEY', 'CLUSTERED', 'UNIQUE',
  'ON', 'WITH', 'DEFAULT', 'NOT', 'NULL', 'AS', 'PERSISTED', 'GO\n', ';', '(', ')', ',', '.', '=', 't', '[a b]', '"q"',
  "'s'", "N's'", '0x0F', '12', 'int', 'varchar', '(max)', 'decimal(5,2)', 'bit', 'SPARSE', 'COLLATE', 'Latin1_General_CI_AS',
  '/*', '*/', '--', '\n', 'TYPE', 'FROM', 'IDENTITY(1,1)', 'REFERENCES', 'CHECK', 'DATA_COMPRESSION', 'ROW', 'PERIOD', 'FOR',
];

function outcome(sql: string): 'ok' | 'schema-error' {
  try {
    const layouts = layoutsFromDdl(sql, { typeAliases: { Flag2: 'bit' } });
    expect(Array.isArray(layouts)).toBe(true);
    return 'ok';
  } catch (e) {
    if (e instanceof SchemaError && /^SCHEMA_[A-Z_]+$/.test(e.code)) return 'schema-error';
    throw e;
  }
}

describe('DDL robustness: layouts or a typed SchemaError, nothing else', () => {
  it('the unmodified script parses', () => {
    const [t] = layoutsFromDdl(SCRIPT);
    expect(t!.columns.map((c) => c.name)).toEqual(['Id', 'Ref', 'Qty', 'Paid', 'Sp', 'Total', 'Made', '$dropped_8']);
  });

  it('every prefix of the script', () => {
    const seen = new Set<string>();
    for (let n = 0; n <= SCRIPT.length; n++) seen.add(outcome(SCRIPT.slice(0, n)));
    expect(seen).toEqual(new Set(['ok', 'schema-error']));
  });

  it('random cuts, splices and character insertions', () => {
    fc.assert(
      fc.property(
        fc.nat(SCRIPT.length), fc.nat(40), fc.string({ maxLength: 6 }), fc.nat(SCRIPT.length),
        (at, len, insert, at2) => {
          const cut = SCRIPT.slice(0, at) + insert + SCRIPT.slice(Math.min(SCRIPT.length, at + len));
          const spliced = cut.slice(0, at2) + SCRIPT.slice(at2, at2 + len) + cut.slice(at2);
          outcome(cut);
          outcome(spliced);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('random token sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }), (toks) => {
        outcome(toks.join(' '));
      }),
      { numRuns: 600 },
    );
  });
});
