#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on 127.0.0.1 only.
#   scripts/pg-cluster.sh start DIR PORT   # initdb (C.UTF-8) + start; prints the base URL
#   scripts/pg-cluster.sh resume DIR PORT  # start a cluster made by "start" again
#   scripts/pg-cluster.sh halt DIR         # stop it, keeping DIR
#   scripts/pg-cluster.sh stop DIR         # stop and remove DIR
# Runs the server as the "postgres" system user when started as root (PostgreSQL
# refuses to run as root), else as the current user.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[[ -x $bin/initdb ]] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
cmd=$1 dir=$2
mkdir -p "$dir" 2>/dev/null || true
dir=$(cd "$dir" && pwd) # absolute: the server resolves the socket path from its own cwd
as=()
if [[ $(id -u) -eq 0 ]]; then as=(runuser -u postgres --); fi

case $cmd in
start)
  port=$3
  mkdir -p "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U kehu -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "postgresql://kehu@127.0.0.1:$port"
  ;;
resume)
  port=$3
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "postgresql://kehu@127.0.0.1:$port"
  ;;
halt)
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  ;;
stop)
  if [[ -d $dir/data ]]; then
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start DIR PORT | resume DIR PORT | halt DIR | stop DIR" >&2; exit 2 ;;
esac
