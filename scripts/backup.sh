#!/usr/bin/env bash
# A consistent backup of the app's data: PostgreSQL (pg_dump, custom format, one snapshot)
# and then the media folder (residents' photos), into one new folder.
#
#   DATABASE_URL=postgresql+psycopg://... MEDIA_FOLDER=/srv/media scripts/backup.sh /backups/2026-12-03
#
# The database is dumped first: photos are only ever added (or removed by the retention purge)
# and each is written before the row that names it is committed, so every photo the dump names
# is in the media archive taken after it (run backups outside the purge's hour to be sure).
#
# NOT in the backup, and needed to read it: PHONE_ENCRYPTION_KEY and PHONE_HASH_KEY (or, where
# they are derived, SECRET_KEY). Keep them apart from the backups, in your secret store: a backup
# without them reveals no phone number, and without them no restored number can be decrypted.
#
# Environment: DATABASE_URL (required), MEDIA_FOLDER (default instance/media), PG_BIN (the
# pg_dump matching the server; default as scripts/services.sh picks), SERVICES_DIR.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRIPT_NAME=backup
# shellcheck source=scripts/pgtools.sh
. "$PROJECT_DIR/scripts/pgtools.sh"

[ $# -eq 1 ] || die "usage: scripts/backup.sh NEW_FOLDER"
OUT=$1
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set"
[ ! -e "$OUT" ] || [ -z "$(ls -A "$OUT")" ] || die "$OUT exists and is not empty"
mkdir -p "$OUT"
URL=$(libpq_url "$DATABASE_URL")
PG_BIN=$(find_pg_bin "$URL")
MEDIA=$(media_folder)

log "database: pg_dump --format=custom ($("$PG_BIN/pg_dump" --version))"
# One transaction snapshot; owners and grants left out so it restores under any role.
"$PG_BIN/pg_dump" --format=custom --no-owner --no-privileges --file="$OUT/database.dump" "$URL"

log "media: $MEDIA"
if [ -d "$MEDIA" ]; then
    tar -C "$MEDIA" --exclude='.*.part' -czf "$OUT/media.tar.gz" .
else
    log "no media folder at $MEDIA: an empty archive"
    tar -czf "$OUT/media.tar.gz" -T /dev/null
fi

REVISION=$("$PG_BIN/psql" -X -A -t -d "$URL" -c "SELECT version_num FROM alembic_version" 2>/dev/null || echo unknown)
{
    echo "made: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "schema revision: $REVISION"
    echo "server: $("$PG_BIN/psql" -X -A -t -d "$URL" -c 'SHOW server_version')"
    echo "keys needed to read phone numbers (not in this backup): PHONE_ENCRYPTION_KEY, PHONE_HASH_KEY (or SECRET_KEY where they are derived)"
    (cd "$OUT" && sha256sum database.dump media.tar.gz)
} >"$OUT/MANIFEST"
log "done: $OUT ($(du -sh "$OUT" | cut -f1)); keep PHONE_ENCRYPTION_KEY and PHONE_HASH_KEY apart from it"
