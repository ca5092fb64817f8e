#!/usr/bin/env bash
# throwaway-pg.sh: a disposable PostgreSQL cluster on 127.0.0.1 for tests.
#
#   throwaway-pg.sh start [--parent PID]   initdb in a fresh temp dir, start on a free loopback
#                                          port, create database "storyline"; prints
#                                            PGURL=postgres://storyline@127.0.0.1:PORT/storyline
#                                            PGDIR=/tmp/throwaway-pg.XXXXXX
#                                          With --parent PID a detached watcher stops the cluster
#                                          and removes PGDIR once PID has exited.
#   throwaway-pg.sh stop DIR               stop the cluster in DIR (if running) and remove DIR;
#                                          a DIR that is gone already is fine (exit 0).
#   throwaway-pg.sh reap                   remove leftovers of earlier runs whose server and
#                                          creator are both dead (start does this too).
#
# Works as root (initdb refuses root: the cluster is owned by the "postgres" system user, or
# "nobody") and as an ordinary user. Installs Debian's postgresql with apt-get when no initdb is
# found (root, or passwordless sudo), unless THROWAWAY_PG_NO_INSTALL=1.
# Environment: THROWAWAY_PG_TMP (parent dir, default ${TMPDIR:-/tmp}), PG_BINDIR (bin dir).
set -euo pipefail

MARKER=.throwaway-pg
log() { echo "throwaway-pg: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Variables from the caller's environment would redirect psql/pg_ctl; the script passes all
# it needs explicitly.
unset PGDATA PGHOST PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS PGPASSWORD

find_bindir() {
  if [[ -n "${PG_BINDIR:-}" && -x "$PG_BINDIR/initdb" ]]; then echo "$PG_BINDIR"; return 0; fi
  local d
  # Debian keeps the server binaries off PATH, in /usr/lib/postgresql/NN/bin; take the newest.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -n -r); do
    if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return 0; fi
  return 1
}

install_pg() {
  [[ "${THROWAWAY_PG_NO_INSTALL:-}" == 1 ]] && die "no initdb found and THROWAWAY_PG_NO_INSTALL=1"
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    sudo -n true 2>/dev/null || die "no initdb found; install postgresql (not root, no sudo -n)"
    sudo=(sudo -n)
  fi
  log "installing postgresql with apt-get"
  # Keep the package from creating (and, without policy-rc.d, starting) a "main" cluster on
  # port 5432; the tests never use it.
  "${sudo[@]}" mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.d/99-no-main.conf >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

# Prefix that runs a command as the cluster's owner.
AS=()
choose_user() {
  if [[ "$(id -u)" == 0 ]]; then
    local u
    if getent passwd postgres >/dev/null; then u=postgres; else u=nobody; fi
    AS=(runuser -u "$u" --)
    RUN_USER=$u
  else
    AS=()
    RUN_USER=$(id -un)
  fi
}

pick_port() {
  # Port 0 lets the kernel choose a free port; the small race before postgres binds it is
  # covered by retrying start. Without python3: random port, skipped if something answers.
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
}

server_running() { # DIR
  local dir=$1
  [[ -f "$dir/data/postmaster.pid" ]] || return 1
  local pid; pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A postmaster that died but was not reaped yet (zombie) still answers kill -0.
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]]
}

cmd_stop() {
  local dir=${1:-}
  [[ -n "$dir" ]] || die "usage: $0 stop DIR"
  [[ -e "$dir" ]] || return 0                    # idempotent: already gone
  [[ -f "$dir/$MARKER" ]] || die "$dir is not a throwaway-pg dir (no $MARKER); not touching it"
  local bindir; bindir=$(cat "$dir/bindir" 2>/dev/null || find_bindir || true)
  if server_running "$dir"; then
    local owner; owner=$(stat -c %U "$dir/data")
    local as=()
    [[ "$(id -u)" == 0 && "$owner" != root ]] && as=(runuser -u "$owner" --)
    if ! "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      log "fast stop failed; immediate stop"
      "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 10 stop >/dev/null 2>&1 \
        || kill -KILL "$(head -1 "$dir/data/postmaster.pid")" 2>/dev/null || true
    fi
  fi
  rm -rf -- "$dir"
}

cmd_reap() {
  local base=${THROWAWAY_PG_TMP:-${TMPDIR:-/tmp}} dir creator
  for dir in "$base"/throwaway-pg.*; do
    [[ -f "$dir/$MARKER" ]] || continue
    server_running "$dir" && continue
    creator=$(cat "$dir/$MARKER" 2>/dev/null || true)
    # A start still in progress (its creator alive) has no server yet; "0" means started.
    [[ -n "$creator" && "$creator" != 0 ]] && kill -0 "$creator" 2>/dev/null && continue
    log "removing leftover $dir"
    rm -rf -- "$dir"
  done
}

cmd_start() {
  local parent=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --parent) parent=${2:?--parent needs a PID}; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  local bindir
  bindir=$(find_bindir) || { install_pg; bindir=$(find_bindir) || die "initdb still not found"; }
  choose_user
  cmd_reap || true

  local base=${THROWAWAY_PG_TMP:-${TMPDIR:-/tmp}}
  mkdir -p "$base"
  local dir; dir=$(mktemp -d "$base/throwaway-pg.XXXXXX")
  echo $$ >"$dir/$MARKER"
  echo "$bindir" >"$dir/bindir"
  # From here on, any failure removes what was made.
  trap 'cmd_stop "$dir" || true' EXIT
  if [[ "$(id -u)" == 0 ]]; then
    chown "$RUN_USER" "$dir"
    # The owner must be able to reach the dir: a TMPDIR under /root (0700) would not do.
    if ! "${AS[@]}" test -w "$dir"; then
      rm -rf -- "$dir"
      dir=$(mktemp -d /tmp/throwaway-pg.XXXXXX)
      echo $$ >"$dir/$MARKER"; echo "$bindir" >"$dir/bindir"; chown "$RUN_USER" "$dir"
    fi
  fi
  chmod 700 "$dir"

  # C.UTF-8 (glibc >= 2.35, Debian 12) sorts by code point like C, but lower-cases non-ASCII
  # letters, which to_tsvector('simple', ...) relies on. Fall back to plain C where missing.
  local loc=(--locale=C.UTF-8)
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || loc=(--no-locale)
  "${AS[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U storyline -E UTF8 "${loc[@]}" \
    --no-sync --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(pick_port)
    # -k: socket and lock file in our dir, not /var/run/postgresql (root-owned group dir, may
    # be missing). fsync etc. off: a throwaway cluster need not survive a crash.
    if "${AS[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
        start >/dev/null 2>&1; then
      break
    fi
    if grep -q "could not bind\|already in use" "$dir/server.log" 2>/dev/null && [[ $attempt -lt 5 ]]; then
      log "port $port taken, retrying"; : >"$dir/server.log"; continue
    fi
    cat "$dir/server.log" >&2 || true
    die "pg_ctl start failed"
  done
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U storyline -d postgres \
    -c "CREATE DATABASE storyline" >/dev/null

  local url="postgres://storyline@127.0.0.1:$port/storyline"
  printf 'PGURL=%s\nPGDIR=%s\n' "$url" "$dir" >"$dir/env"
  echo 0 >"$dir/$MARKER"   # started: no creator to wait for
  trap - EXIT

  if [[ -n "$parent" ]]; then
    # Detached watcher; its fds go to a file so that a caller reading our stdout to EOF
    # (Rust's Command::output, $(...)) is not kept waiting.
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; exec "$2" stop "$3"' \
      watcher "$parent" "$(readlink -f "$0")" "$dir" </dev/null >/dev/null 2>&1 &
    disown || true
  fi
  cat "$dir/env"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "${1:-}" ;;
  reap) cmd_reap ;;
  *) echo "usage: $0 start [--parent PID] | stop DIR | reap" >&2; exit 2 ;;
esac
