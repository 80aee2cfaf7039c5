#!/bin/sh
# Creates Temporal's two PostgreSQL databases (persistence and visibility) when missing and brings
# their schema to the version this admin-tools image ships. Safe on every start: an existing
# database is kept and update-schema applies only the versions it lacks, so raising
# TEMPORAL_VERSION (with the matching TEMPORAL_ADMINTOOLS_VERSION) upgrades the schema before the
# new server starts.
#
# Runs in temporalio/admin-tools as the `temporal-schema` service of docker-compose.yml.
# The password comes from SQL_PASSWORD, which temporal-sql-tool reads itself, so it never shows
# on a command line.
set -eu

host="${SQL_HOST:-postgresql}"
port="${SQL_PORT:-5432}"
user="${SQL_USER:-temporal}"
schema_root=/etc/temporal/schema/postgresql/v12

# The database names are the server image's defaults (DBNAME, VISIBILITY_DBNAME): keep them equal.
for pair in temporal:temporal temporal_visibility:visibility; do
  database="${pair%%:*}"
  schema="${pair#*:}"
  echo "[plazos] esquema de Temporal: base de datos ${database}..."
  temporal-sql-tool --plugin postgres12 --endpoint "$host" --port "$port" --user "$user" --database "$database" create-database
  temporal-sql-tool --plugin postgres12 --endpoint "$host" --port "$port" --user "$user" --database "$database" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --endpoint "$host" --port "$port" --user "$user" --database "$database" update-schema -d "$schema_root/$schema/versioned"
done
echo "[plazos] esquema de Temporal al día."
