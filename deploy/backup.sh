#!/bin/sh
# Dump the database named by DATABASE_URL into DIR (custom format), keep the last DAYS days.
# Restore: createdb NEW && pg_restore --no-owner --dbname=NEW FILE   (see deploy/README.md)
set -eu
dir=${1:?usage: backup.sh DIR [DAYS]}
days=${2:-14}
: "${DATABASE_URL:?DATABASE_URL is not set}"
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tmp="$dir/.maillage-$stamp.dump.part"
pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$tmp"
mv "$tmp" "$dir/maillage-$stamp.dump"
find "$dir" -maxdepth 1 -name 'maillage-*.dump' -mtime +"$days" -delete
echo "$dir/maillage-$stamp.dump"
