#!/bin/sh
# Makes a Temporal namespace ready for plazos: creates it when missing and registers plazos's
# search attributes, skipping those already there. Safe to run again.
#
# Reads the variables the worker reads: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and, for mTLS,
# TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME; plus
# TEMPORAL_NAMESPACE_RETENTION for a namespace it creates. Needs the `temporal` CLI on PATH (the
# admin-tools image has it; so does .tools/bin/ after `npm run setup`).
# Temporal Cloud takes search attributes through tcld or its web UI instead (README, Production).
set -eu

# Must equal SEARCH_ATTRIBUTES in workflows/shared.ts: test/deploy/compose.test.ts compares them.
SEARCH_ATTRIBUTES="PlazosPlan=Keyword PlazosActivity=Int PlazosAreas=KeywordList PlazosStatus=Keyword PlazosDue=Datetime PlazosTitle=Text PlazosStart=Keyword PlazosEvidence=Int PlazosLastNotice=Datetime PlazosNextNotice=Datetime PlazosProgress=Int"

address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-400d}"

say() { printf '[plazos] %s\n' "$*"; }

# The connection flags, passed explicitly: the CLI's own environment names changed across versions.
set -- --address "$address"
if [ -n "${TEMPORAL_TLS_CERT:-}" ]; then set -- "$@" --tls-cert-path "$TEMPORAL_TLS_CERT"; fi
if [ -n "${TEMPORAL_TLS_KEY:-}" ]; then set -- "$@" --tls-key-path "$TEMPORAL_TLS_KEY"; fi
if [ -n "${TEMPORAL_TLS_CA:-}" ]; then set -- "$@" --tls-ca-path "$TEMPORAL_TLS_CA"; fi
if [ -n "${TEMPORAL_TLS_SERVER_NAME:-}" ]; then set -- "$@" --tls-server-name "$TEMPORAL_TLS_SERVER_NAME"; fi

# Runs "$@"-style commands again until they succeed: the frontend opens its port before it serves,
# and a namespace just created takes a few seconds to reach every frontend.
retry() {
  what="$1"
  shift
  tries=0
  until "$@"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
      say "ERROR: $what no funcionó tras $tries intentos."
      return 1
    fi
    sleep 2
  done
}

retry "conectar con Temporal en $address" temporal operator cluster health "$@" >/dev/null 2>&1

if temporal operator namespace describe --namespace "$namespace" "$@" >/dev/null 2>&1; then
  say "el namespace $namespace ya existe."
else
  say "creando el namespace $namespace (retención $retention)..."
  temporal operator namespace create --namespace "$namespace" --retention "$retention" "$@"
fi

listing() { temporal operator search-attribute list --namespace "$namespace" "$@"; }
retry "leer los atributos de búsqueda de $namespace" listing "$@" >/dev/null 2>&1

for pair in $SEARCH_ATTRIBUTES; do
  name="${pair%%=*}"
  type="${pair#*=}"
  line="$(listing "$@" | grep -w "$name" || true)"
  if [ -z "$line" ]; then
    say "registrando el atributo de búsqueda $name ($type)..."
    retry "registrar $name" temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "$type" "$@"
  elif printf '%s\n' "$line" | grep -qw "$type"; then
    say "el atributo de búsqueda $name ($type) ya está registrado."
  else
    say "ERROR: el atributo de búsqueda $name ya existe con otro tipo: $line"
    exit 1
  fi
done
say "namespace $namespace listo para plazos."
