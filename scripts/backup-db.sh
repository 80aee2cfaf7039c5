#!/bin/sh
# A backup of plazos's own database (README, "Production", "Backups"): `pg_dump -Fc` of the database
# PLAZOS_DATABASE_URL names, signing in with the password in PLAZOS_DATABASE_PASSWORD_FILE, the same
# two settings the worker, the web app and the mailbox reader read.
#
#   PLAZOS_DATABASE_URL=postgres://plazos@db.entidad.gov.co:5432/plazos \
#   PLAZOS_DATABASE_PASSWORD_FILE=/run/secrets/plazos-db-password \
#     sh scripts/backup-db.sh /var/backups/plazos
#
# Writes <dir>/plazos-<UTC time>.dump (default dir: the current one) and prints its path. The dump
# is written under a temporary name and renamed only once pg_restore can read its table of
# contents, so a file with the final name is always a whole archive. Needs PostgreSQL's client
# programs (pg_dump, pg_restore) of the server's major version or newer. Restore: scripts/restore-db.sh.
set -eu

say() { printf '%s\n' "backup-db: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

[ -n "${PLAZOS_DATABASE_URL:-}" ] || fail "falta PLAZOS_DATABASE_URL (postgres://usuario@servidor:5432/base)."
case "$PLAZOS_DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) fail "PLAZOS_DATABASE_URL debe empezar por postgres:// (la copia de SQLite es copiar <PLAZOS_DATA_DIR>/plazos.sqlite con el proceso detenido)." ;;
esac
command -v pg_dump >/dev/null 2>&1 || fail "no se encontró pg_dump: instale el cliente de PostgreSQL (apt-get install postgresql-client)."

dir=${1:-.}
mkdir -p "$dir"
out="$dir/plazos-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$out.partial"

. "$(dirname "$0")/pg-password.sh"
cleanup() {
  [ -z "$passfile" ] || rm -f "$passfile"
  rm -f "$partial"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
pgpass_from_file

pg_dump --format=custom --file="$partial" --dbname="$PLAZOS_DATABASE_URL" || fail "pg_dump falló; no se escribió ninguna copia."
pg_restore --list "$partial" >/dev/null || fail "pg_restore no puede leer la copia recién escrita; no se guardó."
mv "$partial" "$out"
say "copia de la base de plazos en $out ($(wc -c <"$out" | tr -d ' ') bytes)"
printf '%s\n' "$out"
