-- rowback CRM demo: schema. Run as sysadmin (the demo stack's seed container does).
-- Covers what the decoder must handle on the live path: identity keys, FKs with ON DELETE
-- CASCADE, nvarchar and Chinese_PRC_CI_AS varchar (GBK) names, decimal, money, datetime2,
-- bit, uniqueidentifier, rowversion, a non-unique clustered index (uniquifier), a
-- row-compressed table, a sparse column, an nvarchar(max) note, and a heap.
IF DB_ID(N'CRM') IS NOT NULL
BEGIN
  ALTER DATABASE [CRM] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
  DROP DATABASE [CRM];
END;
GO
CREATE DATABASE [CRM];
GO
-- FULL recovery, so deleted rows stay in the log until a log backup (after the first full backup).
ALTER DATABASE [CRM] SET RECOVERY FULL;
GO
USE [CRM];
GO
CREATE TABLE dbo.Customers (
  CustomerId   int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Customers PRIMARY KEY CLUSTERED,
  Name         nvarchar(100) NOT NULL,
  NameZh       varchar(100) COLLATE Chinese_PRC_CI_AS NULL,
  Email        varchar(200) NULL,
  Region       varchar(20) NOT NULL,
  CreditLimit  decimal(18, 2) NOT NULL,
  Balance      money NOT NULL,
  CreatedAt    datetime2(3) NOT NULL,
  LastOrderAt  datetime2(3) NULL,
  IsActive     bit NOT NULL,
  IsVip        bit NOT NULL,
  ExternalId   uniqueidentifier NOT NULL,
  Notes        nvarchar(max) NULL,
  RowVer       rowversion NOT NULL
);
GO
CREATE TABLE dbo.Contacts (
  ContactId          int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Contacts PRIMARY KEY CLUSTERED,
  CustomerId         int NOT NULL CONSTRAINT FK_Contacts_Customers REFERENCES dbo.Customers (CustomerId) ON DELETE CASCADE,
  FullName           nvarchar(100) NOT NULL,
  FullNameZh         varchar(60) COLLATE Chinese_PRC_CI_AS NULL,
  Phone              varchar(30) NULL,
  -- Emergency contact: another contact of the same customer (self-reference; no cascade allowed on it).
  EmergencyContactId int NULL CONSTRAINT FK_Contacts_Emergency REFERENCES dbo.Contacts (ContactId),
  Nickname           nvarchar(50) SPARSE NULL,
  IsPrimary          bit NOT NULL
);
GO
-- A non-unique clustered index: SQL Server adds a hidden 4-byte uniquifier to duplicate keys.
CREATE TABLE dbo.Orders (
  OrderId     int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Orders PRIMARY KEY NONCLUSTERED,
  CustomerId  int NOT NULL CONSTRAINT FK_Orders_Customers REFERENCES dbo.Customers (CustomerId) ON DELETE CASCADE,
  OrderDate   datetime2(0) NOT NULL,
  Status      tinyint NOT NULL,
  Total       money NOT NULL,
  ShipTo      nvarchar(200) NULL
);
CREATE CLUSTERED INDEX CX_Orders_CustomerId ON dbo.Orders (CustomerId);
GO
-- Row-compressed: records are in the CD format.
CREATE TABLE dbo.OrderLines (
  OrderLineId bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_OrderLines PRIMARY KEY CLUSTERED,
  OrderId     int NOT NULL CONSTRAINT FK_OrderLines_Orders REFERENCES dbo.Orders (OrderId) ON DELETE CASCADE,
  Sku         varchar(30) NOT NULL,
  Quantity    int NOT NULL,
  UnitPrice   decimal(12, 4) NOT NULL,
  Discount    decimal(5, 2) NOT NULL
) WITH (DATA_COMPRESSION = ROW);
GO
-- A heap: no clustered index (deletes log LCX_HEAP).
CREATE TABLE dbo.CustomerNotes (
  NoteId      int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_CustomerNotes PRIMARY KEY NONCLUSTERED,
  CustomerId  int NOT NULL CONSTRAINT FK_CustomerNotes_Customers REFERENCES dbo.Customers (CustomerId) ON DELETE CASCADE,
  WrittenAt   datetime2(3) NOT NULL,
  Body        nvarchar(max) NOT NULL
);
GO
-- The nightly batch job's login (the mass delete runs as it, so the log's Transaction SID names it)
-- and a least-privilege reader for rowback (fn_dblog needs sysadmin; see docs/live.md).
IF SUSER_ID(N'crm_batch') IS NULL CREATE LOGIN crm_batch WITH PASSWORD = N'$(BatchPassword)', CHECK_POLICY = OFF;
GO
CREATE USER crm_batch FOR LOGIN crm_batch;
ALTER ROLE db_datareader ADD MEMBER crm_batch;
ALTER ROLE db_datawriter ADD MEMBER crm_batch;
GO
