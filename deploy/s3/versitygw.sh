#!/bin/sh
# The S3 server of docker-compose.yml: the Versity S3 Gateway over the `s3-data` volume (its posix
# backend: a bucket is a directory, an object a file), holding the bucket PLAZOS_BLOB_STORE names,
# created as a directory when missing. Its one user is the root user: ROOT_ACCESS_KEY_ID, with
# the secret key read here from the file S3_SECRET_FILE (the same file plazos reads), so the key
# sits in neither the compose file nor `docker inspect`.
#
# Runs in the versity/versitygw image as the `s3` service; VGW_PORT (default :7070) is where it
# listens, GET /health answers the healthcheck.
set -eu

: "${PLAZOS_BLOB_STORE:?falta PLAZOS_BLOB_STORE (s3://cubo/prefijo)}"
: "${ROOT_ACCESS_KEY_ID:?falta ROOT_ACCESS_KEY_ID}"
: "${S3_SECRET_FILE:?falta S3_SECRET_FILE, el archivo con la clave secreta}"
# Its first line is the secret; an empty one would leave the role (or the server) with no password.
if [ -z "$(head -n 1 "$S3_SECRET_FILE" 2>/dev/null | tr -d '\r\n')" ]; then
  echo "[plazos] ${S3_SECRET_FILE} está vacío o no se puede leer: ponga ahí la clave secreta del servidor S3." >&2
  exit 1
fi
data="${S3_DATA_DIR:-/data}"
bucket="${PLAZOS_BLOB_STORE#s3://}"
bucket="${bucket%%/*}"
mkdir -p "$data/$bucket"
ROOT_SECRET_ACCESS_KEY="$(head -n 1 "$S3_SECRET_FILE" | tr -d '\r\n')"
export ROOT_SECRET_ACCESS_KEY
echo "[plazos] servidor S3 con el cubo ${bucket} en ${data}"
exec "${VERSITYGW:-/app/versitygw}" --health /health posix "$data"
