-- Two tables and a user-defined alias type: decode needs --table, and --type-alias for Flag
-- unless the CREATE TYPE below is part of the script.
--   rowback decode --ddl examples/shop.sql --table dbo.T --hex 30000800010000000200000100130068006900
CREATE TYPE [dbo].[Flag] FROM [bit] NOT NULL
GO
CREATE TABLE [dbo].[T] ([Id] INT NOT NULL, [Name] NVARCHAR(50) NULL)
GO
CREATE TABLE [sales].[Orders] (
  [OrderId]  BIGINT IDENTITY(1,1) NOT NULL,
  [Customer] VARCHAR(40) COLLATE Chinese_PRC_CI_AS NOT NULL,
  [Paid]     [dbo].[Flag],
  [Total]    DECIMAL(18,2) NOT NULL CONSTRAINT [DF_Orders_Total] DEFAULT ((0)),
  CONSTRAINT [PK_Orders] PRIMARY KEY CLUSTERED ([OrderId])
) WITH (DATA_COMPRESSION = ROW)
GO
