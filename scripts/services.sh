#!/usr/bin/env bash
# Start the services the tests use, and print what the tests need to reach them.
#
#   bash scripts/services.sh postgres   -> prints a SQLAlchemy URL for an empty test database
#
# PostgreSQL: uses Debian's postgresql package (installed with apt-get when missing and when
# running as root). initdb refuses to run as root, so the packaged cluster is started with
# pg_ctlcluster and a superuser role is made for the current user. Exit status 1, with the
# reason on stderr, when no server can be started; the tests then skip and say so.
set -euo pipefail
DB=riskscreen_test

fail() { echo "services.sh: $*" >&2; exit 1; }

postgres() {
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
        || fail "could not install Debian's postgresql package"
    else
      fail "PostgreSQL is not installed (Debian: apt-get install postgresql)"
    fi
  fi
  local line version cluster
  line=$(pg_lsclusters --no-header 2>/dev/null | head -n 1)
  [ -n "$line" ] || fail "no PostgreSQL cluster exists (pg_createcluster)"
  version=$(echo "$line" | awk '{print $1}')
  cluster=$(echo "$line" | awk '{print $2}')
  if ! echo "$line" | grep -q online; then
    if [ "$(id -u)" = 0 ]; then
      pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 || fail "pg_ctlcluster $version $cluster start failed"
    else
      pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 \
        || fail "PostgreSQL $version/$cluster is down and could not be started by $(id -un)"
    fi
  fi
  local me socket=/var/run/postgresql
  me=$(id -un)
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- psql -qAt -c "select 1 from pg_roles where rolname='$me'" | grep -q 1 \
      || runuser -u postgres -- psql -q -c "create role \"$me\" superuser login" >/dev/null
  fi
  psql -h "$socket" -d postgres -qAt -c "drop database if exists $DB" >/dev/null 2>&1 \
    || fail "cannot connect to PostgreSQL at $socket as $me"
  psql -h "$socket" -d postgres -qAt -c "create database $DB" >/dev/null
  echo "postgresql+psycopg://$me@/$DB?host=$socket"
}

case "${1:-}" in
  postgres) postgres ;;
  *) echo "usage: $0 postgres" >&2; exit 2 ;;
esac
