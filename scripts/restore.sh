#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media folder.
#
#   createdb -O community community_restored   # (PostGIS: CREATE EXTENSION postgis, or a template with it)
#   DATABASE_URL=postgresql+psycopg://.../community_restored MEDIA_FOLDER=/srv/media-restored \
#       scripts/restore.sh /backups/2026-12-03
#
# Then run the app with the same PHONE_ENCRYPTION_KEY and PHONE_HASH_KEY (or SECRET_KEY where
# they are derived) as the backed-up deployment, and `flask db upgrade` if the code is newer.
#
# Environment: DATABASE_URL (required), MEDIA_FOLDER (default instance/media), PG_BIN,
# SERVICES_DIR.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRIPT_NAME=restore
# shellcheck source=scripts/pgtools.sh
. "$PROJECT_DIR/scripts/pgtools.sh"

[ $# -eq 1 ] || die "usage: scripts/restore.sh BACKUP_FOLDER"
IN=$1
[ -f "$IN/database.dump" ] && [ -f "$IN/media.tar.gz" ] || die "$IN is not a backup (database.dump, media.tar.gz)"
[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set"
URL=$(libpq_url "$DATABASE_URL")
PG_BIN=$(find_pg_bin "$URL")
MEDIA=$(media_folder)

if [ -f "$IN/MANIFEST" ]; then
    (cd "$IN" && grep -E '^[0-9a-f]{64}  ' MANIFEST | sha256sum --check --quiet) || die "checksums differ: the backup is damaged"
fi
TABLES=$("$PG_BIN/psql" -X -A -t -d "$URL" -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('alembic_version', 'concern', 'resident')")
[ "$TABLES" = "0" ] || die "the target database is not empty (it has the app's tables): restore only into a new one"
if [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ]; then
    die "the media folder $MEDIA is not empty"
fi

log "database: pg_restore into $(echo "$URL" | sed 's#//[^@]*@#//#')"
# Extensions (PostGIS) belong to the superuser who made them: the app's role may create the
# extension in a new database but not re-comment it or write its reference table
# (spatial_ref_sys, which the extension fills itself), so those entries are left out.
LIST=$(mktemp)
trap 'rm -f "$LIST"' EXIT
"$PG_BIN/pg_restore" --list "$IN/database.dump" \
    | grep -v -E ' COMMENT - EXTENSION | TABLE DATA public spatial_ref_sys ' >"$LIST"
"$PG_BIN/pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
    --use-list="$LIST" -d "$URL" "$IN/database.dump"
# Fresh planner statistics (the system catalogs a non-superuser may not analyze are skipped).
PGOPTIONS='-c client_min_messages=error' "$PG_BIN/psql" -X -q -d "$URL" -c "ANALYZE" >/dev/null

log "media: into $MEDIA"
mkdir -p "$MEDIA"
tar -C "$MEDIA" -xzf "$IN/media.tar.gz"

COUNTS=$("$PG_BIN/psql" -X -A -t -F ' ' -d "$URL" -c "SELECT (SELECT count(*) FROM concern), (SELECT count(*) FROM resident), (SELECT count(*) FROM message), (SELECT count(*) FROM hotspot), (SELECT count(*) FROM photo)")
read -r CONCERNS RESIDENTS MESSAGES HOTSPOTS PHOTOS <<<"$COUNTS"
log "done: $CONCERNS concerns, $RESIDENTS residents, $MESSAGES texts, $HOTSPOTS hotspots, $PHOTOS web photos, $(find "$MEDIA" -type f | wc -l) media files"
