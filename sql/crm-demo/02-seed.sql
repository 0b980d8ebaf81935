-- rowback CRM demo: deterministic seed data (same values on every run, so tests can compare).
USE [CRM];
GO
SET NOCOUNT ON;
DECLARE @zh TABLE (i int PRIMARY KEY, name nvarchar(20));
INSERT @zh VALUES (0, N'王伟'), (1, N'李娜'), (2, N'张敏'), (3, N'刘洋'), (4, N'陈静'), (5, N'杨磊'), (6, N'赵丽'), (7, N'黄强');
DECLARE @regions TABLE (i int PRIMARY KEY, region varchar(20));
INSERT @regions VALUES (0, 'North'), (1, 'South'), (2, 'East'), (3, 'West'), (4, 'APAC');

-- 240 customers; every 4th inactive, every 5th created before 2021 (old), every 7th a VIP.
WITH n AS (SELECT TOP (240) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS k FROM sys.all_columns)
INSERT dbo.Customers (Name, NameZh, Email, Region, CreditLimit, Balance, CreatedAt, LastOrderAt, IsActive, IsVip, ExternalId, Notes)
SELECT
  CONCAT(N'Customer ', k, N' Ltd.'),
  -- Assigned to a Chinese_PRC_CI_AS varchar column, the text is stored in GBK (code page 936).
  CONCAT(z.name, N'贸易公司', k),
  CASE WHEN k % 9 = 0 THEN NULL ELSE CONCAT('contact', k, '@example.com') END,
  r.region,
  CAST(1000 + k * 250.25 AS decimal(18, 2)),
  CAST(k * 12.3456 AS money),
  DATEADD(millisecond, k * 7919, DATEADD(day, -k * 7, CAST('2024-01-15T10:30:00.000' AS datetime2(3)))),
  CASE WHEN k % 3 = 0 THEN NULL ELSE DATEADD(day, -k, CAST('2024-02-01T09:00:00.125' AS datetime2(3))) END,
  CASE WHEN k % 4 = 0 THEN 0 ELSE 1 END,
  CASE WHEN k % 7 = 0 THEN 1 ELSE 0 END,
  CONVERT(uniqueidentifier, HASHBYTES('MD5', CONCAT('customer-', k))),
  CASE WHEN k % 2 = 0 THEN CONCAT(N'Key account since ', 2000 + k % 20, N'. 备注: 重要客户 #', k) END
FROM n
JOIN @zh AS z ON z.i = k % 8
JOIN @regions AS r ON r.i = k % 5;

-- Two contacts per customer; the second names the first as emergency contact.
INSERT dbo.Contacts (CustomerId, FullName, FullNameZh, Phone, EmergencyContactId, Nickname, IsPrimary)
SELECT c.CustomerId, CONCAT(N'Primary Contact ', c.CustomerId), CONCAT(z.name, N'经理'),
       CONCAT('+86 21 5555 ', RIGHT(CONCAT('0000', c.CustomerId), 4)), NULL,
       CASE WHEN c.CustomerId % 6 = 0 THEN CONCAT(N'Boss', c.CustomerId) END, 1
FROM dbo.Customers AS c JOIN @zh AS z ON z.i = c.CustomerId % 8;
INSERT dbo.Contacts (CustomerId, FullName, FullNameZh, Phone, EmergencyContactId, Nickname, IsPrimary)
SELECT p.CustomerId, CONCAT(N'Assistant ', p.CustomerId), NULL, NULL, p.ContactId, NULL, 0
FROM dbo.Contacts AS p WHERE p.IsPrimary = 1;

-- 0–3 orders per customer (duplicate CustomerId keys → uniquifiers), 1–3 lines each.
WITH o AS (
  SELECT c.CustomerId, v.n
  FROM dbo.Customers AS c CROSS APPLY (VALUES (1), (2), (3)) AS v(n)
  WHERE v.n <= c.CustomerId % 4
)
INSERT dbo.Orders (CustomerId, OrderDate, Status, Total, ShipTo)
SELECT CustomerId, DATEADD(hour, CustomerId * 5 + n, CAST('2023-06-01T08:00:00' AS datetime2(0))), n % 3, CAST(CustomerId * 10 + n * 0.5 AS money),
       CASE WHEN n = 2 THEN NULL ELSE CONCAT(N'上海市 ', CustomerId, N' 号') END
FROM o;
INSERT dbo.OrderLines (OrderId, Sku, Quantity, UnitPrice, Discount)
SELECT o.OrderId, CONCAT('SKU-', o.OrderId, '-', v.n), v.n * 2, CAST(o.OrderId * 1.1 + v.n AS decimal(12, 4)), CAST(v.n * 2.5 AS decimal(5, 2))
FROM dbo.Orders AS o CROSS APPLY (VALUES (1), (2), (3)) AS v(n)
WHERE v.n <= 1 + o.OrderId % 3;

INSERT dbo.CustomerNotes (CustomerId, WrittenAt, Body)
SELECT CustomerId, DATEADD(minute, CustomerId, CAST('2024-02-10T12:00:00.250' AS datetime2(3))), CONCAT(N'Called about invoice ', CustomerId, N'; 客户要求回电.')
FROM dbo.Customers WHERE CustomerId % 3 = 1;
GO
-- The log chain starts at the first full backup; before it, FULL recovery behaves like SIMPLE.
BACKUP DATABASE [CRM] TO DISK = N'/var/opt/mssql/data/crm_full.bak' WITH INIT, FORMAT;
GO
