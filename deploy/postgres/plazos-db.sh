#!/bin/sh
# plazos's own database on the PostgreSQL server that holds Temporal's two: the role PLAZOS_DB_USER
# (plazos), signing in with the password in the file PLAZOS_DB_PASSWORD_FILE, owns the database
# PLAZOS_DB_NAME (plazos), which no other role but the superuser may connect to. plazos creates
# and upgrades its own tables at start (store/records/migrations), so this makes only the role and
# the empty database.
#
# Safe on every start: what exists is kept, and the role's password is set again from the file, so
# a new password is a new file and `docker compose up -d` (the web app, the worker and the mailbox
# reader read the same file at their start). Runs in the postgres image as the `plazos-db` one-shot
# of docker-compose.yml, signed in as the server's superuser through libpq's PGHOST, PGUSER and
# PGPASSWORD. psql reads the password file itself, so it shows on no command line.
set -eu

: "${PLAZOS_DB_PASSWORD_FILE:?falta PLAZOS_DB_PASSWORD_FILE, el archivo con la clave del usuario de plazos}"
# Its first line is the secret; an empty one would leave the role (or the server) with no password.
if [ -z "$(head -n 1 "$PLAZOS_DB_PASSWORD_FILE" 2>/dev/null | tr -d '\r\n')" ]; then
  echo "[plazos] ${PLAZOS_DB_PASSWORD_FILE} está vacío o no se puede leer: ponga ahí la clave del usuario de la base de plazos." >&2
  exit 1
fi
export PLAZOS_DB_PASSWORD_FILE
database="${PLAZOS_DB_NAME:-plazos}"
role="${PLAZOS_DB_USER:-plazos}"

psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 -v role="$role" -v database="$database" --dbname="${PGDATABASE:-postgres}" <<'SQL'
\set password `head -n 1 "$PLAZOS_DB_PASSWORD_FILE" | tr -d '\r\n'`
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'database') \gexec
SQL
echo "[plazos] base de datos ${database} lista para el usuario ${role}."
