#!/bin/sh
# Restores a backup made by scripts/backup-db.sh into an empty database (README, "Production",
# "Backups"): the database PLAZOS_DATABASE_URL names, created beforehand and owned by the role that
# signs in (the objects are created as that role, whoever owned them in the dump).
#
#   PLAZOS_DATABASE_URL=postgres://plazos@db.entidad.gov.co:5432/plazos \
#   PLAZOS_DATABASE_PASSWORD_FILE=/run/secrets/plazos-db-password \
#     sh scripts/restore-db.sh /var/backups/plazos/plazos-20270105T030000Z.dump
#
# One transaction: a restore that fails (a database that is not empty, a damaged file) leaves the
# database as it was. Stop the worker, the web app and the mailbox reader first, and start them once
# it is done: they find every record the backup held and apply any newer migrations themselves.
set -eu

say() { printf '%s\n' "restore-db: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

[ $# -eq 1 ] || fail "uso: sh scripts/restore-db.sh ARCHIVO.dump"
dump=$1
[ -r "$dump" ] || fail "no se puede leer $dump."
[ -n "${PLAZOS_DATABASE_URL:-}" ] || fail "falta PLAZOS_DATABASE_URL (postgres://usuario@servidor:5432/base)."
case "$PLAZOS_DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) fail "PLAZOS_DATABASE_URL debe empezar por postgres://." ;;
esac
command -v pg_restore >/dev/null 2>&1 || fail "no se encontró pg_restore: instale el cliente de PostgreSQL (apt-get install postgresql-client)."

. "$(dirname "$0")/pg-password.sh"
cleanup() { [ -z "$passfile" ] || rm -f "$passfile"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
pgpass_from_file

pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$PLAZOS_DATABASE_URL" "$dump" ||
  fail "pg_restore falló; la base quedó como estaba (¿no estaba vacía?)."
say "copia $dump restaurada"
