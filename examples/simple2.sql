-- dbo.Simple2 from the corpus example lc-nonunique-clustered-uniquifier-slot:
-- a nonclustered primary key and a NON-unique clustered index, so SQL Server adds the hidden
-- 4-byte uniquifier (first variable column, null bit 1).
--   rowback decode --ddl examples/simple2.sql \
--     --hex 30001000000000000020490B01000000050010020019001F00580059005A00
CREATE TABLE [dbo].[Simple2] (
  [Id]       INT           NOT NULL CONSTRAINT [PK_Simple2] PRIMARY KEY NONCLUSTERED,
  [ColA]     NVARCHAR(20)  NOT NULL,
  [Sortable] DATETIME2     NULL,
  [ColB]     NVARCHAR(20)  NULL
)
GO
CREATE CLUSTERED INDEX [CX_Simple2_Sortable] ON [dbo].[Simple2] ([Sortable])
GO
