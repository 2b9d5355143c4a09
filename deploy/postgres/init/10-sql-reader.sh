#!/bin/sh
# Runs once, when the postgres container initialises an empty data volume (docker-entrypoint-initdb.d).
# Creates the role the sql upstream connects as: it may read the public schema and nothing else, and
# it is not a superuser (the sql server refuses superusers). Its password comes from SQL_READER_PASSWORD
# in the container's environment (from .env), never from this file.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v reader_password="$SQL_READER_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE switchboard_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'reader_password';
GRANT CONNECT ON DATABASE :"db" TO switchboard_reader;
GRANT USAGE ON SCHEMA public TO switchboard_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO switchboard_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO switchboard_reader;
SQL
