# Sourced by backup-db.sh and restore-db.sh: the password in PLAZOS_DATABASE_PASSWORD_FILE reaches
# libpq through a pgpass file of this run only (mode 0600; the caller removes "$passfile" on exit),
# never the command line, where `ps` would show it. Needs the caller's `fail`.
passfile=
pgpass_from_file() {
  [ -n "${PLAZOS_DATABASE_PASSWORD_FILE:-}" ] || return 0
  [ -r "$PLAZOS_DATABASE_PASSWORD_FILE" ] || fail "no se puede leer PLAZOS_DATABASE_PASSWORD_FILE ($PLAZOS_DATABASE_PASSWORD_FILE)."
  passfile=$(umask 077 && mktemp)
  # pgpass: host:port:database:user:password, with ':' and '\' in the password escaped.
  printf '*:*:*:*:%s\n' "$(head -n 1 "$PLAZOS_DATABASE_PASSWORD_FILE" | tr -d '\r' | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g')" >"$passfile"
  PGPASSFILE=$passfile
  export PGPASSFILE
}
