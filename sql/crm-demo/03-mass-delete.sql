-- rowback CRM demo: the incident. The nightly purge was meant to remove customers that are
-- inactive AND were created before 2021; the filter says OR. Run as login crm_batch, it
-- deletes every inactive customer and every old one — and, through ON DELETE CASCADE, their
-- contacts, orders, order lines and notes. Committed. Nobody notices until the morning.
USE [CRM];
GO
SET NOCOUNT ON;
BEGIN TRANSACTION nightly_purge;
  DELETE FROM dbo.Customers
  WHERE IsActive = 0
     OR CreatedAt < '2021-01-01';   -- BUG: should be AND
COMMIT TRANSACTION nightly_purge;
GO
