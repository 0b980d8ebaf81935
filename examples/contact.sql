-- The README quick start:
--   npx rowback decode --ddl examples/contact.sql --hex 0x30000800010000000200000100130068006900
-- That hex is a real row image (fn_dblog RowLog Contents 0 of an INSERT, SQL Server 2025) from the
-- corpus example lc-nvarchar, captured from a table with this same physical layout
-- (an int, then one nvarchar): it decodes to {"Id":1,"Name":"hi"}.
CREATE TABLE [dbo].[Contact] (
  [Id]   INT           NOT NULL CONSTRAINT [PK_Contact] PRIMARY KEY CLUSTERED,
  [Name] NVARCHAR(50)  NULL
)
GO
