#!/bin/bash
# rowback demo: seeds the CRM database, then runs the faulty nightly purge as login crm_batch,
# and prints the window of the delete and the command that recovers the rows.
# Runs in the demo stack's `seed` container (Microsoft's SQL Server image, which ships sqlcmd).
set -euo pipefail
SQLCMD=/opt/mssql-tools18/bin/sqlcmd
HOST="${MSSQL_HOST:-mssql}"
# -C: the demo server uses a self-signed certificate. -b: stop on the first error.
AS_SA=(-S "$HOST" -U sa -P "$MSSQL_SA_PASSWORD" -C -b)

echo "seed: waiting for SQL Server at $HOST…"
for _ in $(seq 1 90); do
  if "$SQLCMD" "${AS_SA[@]}" -Q "SELECT 1" >/dev/null 2>&1; then break; fi
  sleep 2
done

"$SQLCMD" "${AS_SA[@]}" -i /crm-demo/01-schema.sql -v BatchPassword="$CRM_BATCH_PASSWORD"
"$SQLCMD" "${AS_SA[@]}" -i /crm-demo/02-seed.sql
now() { "$SQLCMD" "${AS_SA[@]}" -h -1 -W -Q "SET NOCOUNT ON; SELECT CONVERT(varchar(19), SYSDATETIME(), 126)" | head -n 1; }
# Whole seconds around the delete, so the window is easy to type; the seed itself falls outside it.
sleep 2
FROM="$(now)"
sleep 1
"$SQLCMD" -S "$HOST" -U crm_batch -P "$CRM_BATCH_PASSWORD" -C -b -i /crm-demo/03-mass-delete.sql
sleep 1
TO="$(now)"
LEFT="$("$SQLCMD" "${AS_SA[@]}" -d CRM -h -1 -W -Q "SET NOCOUNT ON; SELECT COUNT(*) FROM dbo.Customers")"
TZ_OFFSET="$("$SQLCMD" "${AS_SA[@]}" -h -1 -W -Q "SET NOCOUNT ON; SELECT DATENAME(TZOFFSET, SYSDATETIMEOFFSET())")"
cat <<MSG

seed: the nightly purge deleted $((240 - LEFT)) of 240 customers (and their contacts, orders, lines, notes)
seed: between $FROM and $TO, server local time (UTC$TZ_OFFSET).
seed: recover them with:
  docker compose exec rowback npx rowback scan --database CRM --from $FROM --to $TO --out /app/recovered.ndjson

MSG
