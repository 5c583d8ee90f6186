#!/usr/bin/env bash
# The services the tests need, on a fresh Debian machine or on one where they already run:
# PostgreSQL 15 on 127.0.0.1:5432 with trust for local connections (the tests connect as
# `postgres` without a password) and Redis on 127.0.0.1:6379 (LiveKit's multi-node mode).
# Idempotent: installs what is missing, starts what is stopped, and waits until both answer.
# Run as root (it installs Debian packages and edits pg_hba.conf). Used by .ci/run.
set -euo pipefail

say() { printf 'services: %s\n' "$*"; }

need=()
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

# PostgreSQL: the newest installed cluster (15 on Debian 12), created if the package did not.
version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
if [ ! -d "/etc/postgresql/$version/main" ]; then
  say "creating PostgreSQL $version cluster main"
  pg_createcluster "$version" main
fi
hba="/etc/postgresql/$version/main/pg_hba.conf"
# Trust on loopback only: a development and test machine, never a deployment (compose sets passwords).
if grep -Eq '^host\s+all\s+all\s+(127\.0\.0\.1/32|::1/128)\s+(scram-sha-256|md5|peer)' "$hba"; then
  say "trusting loopback connections in $hba"
  sed -Ei 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)(scram-sha-256|md5|peer)/\1trust/' "$hba"
  if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
fi
if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null
    say "PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 are ready"
    exit 0
  fi
  sleep 1
done
say "PostgreSQL or Redis did not answer within 60 s" >&2
exit 1
