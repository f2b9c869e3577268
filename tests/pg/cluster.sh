#!/usr/bin/env bash
# Throw-away PostgreSQL cluster for the test suite (ctest fixtures pg_start / pg_stop).
#
#   tests/pg/cluster.sh start DIR   create + start a private cluster on 127.0.0.1
#   tests/pg/cluster.sh stop  DIR   stop it and remove its data
#
# Uses Debian's `postgresql` package (installed on demand). The system-wide
# "main" cluster the package creates is neither used nor touched.
#
# Files written into DIR by `start`:
#   url       one line: postgres://dms@127.0.0.1:PORT/postgres (mode 0644)
#   port      the TCP port
#   bindir    the PostgreSQL bin directory used
#   location  where the cluster lives (DIR/data, or /tmp/dms-pg.XXXXXX when
#             the cluster user cannot use DIR)
#   user      the unprivileged user the cluster runs as
# Inside the location: pgdata/ (PGDATA), sock/ (Unix socket dir),
# initdb.log and server.log.
set -euo pipefail

PROG=${0##*/}

die() { echo "$PROG: error: $*" >&2; exit 1; }
note() { echo "$PROG: $*" >&2; }

usage() {
    echo "usage: $PROG start DIR | stop DIR" >&2
    exit 2
}

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

# ---------------------------------------------------------------- helpers

# Newest installed PostgreSQL bin dir containing initdb (empty if none).
find_bindir() {
    local d best="" bestv=-1 v
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] || continue
        v=${d#/usr/lib/postgresql/}
        v=${v%%/*}
        v=${v%%.*}
        [[ $v =~ ^[0-9]+$ ]] || continue
        if [ "$v" -gt "$bestv" ]; then
            bestv=$v
            best=$d
        fi
    done
    printf '%s' "$best"
}

apt_install_pg() {
    local -a pre=()
    if [ "$IS_ROOT" -ne 1 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and sudo is unavailable; install Debian's 'postgresql' package as root"
        sudo -n true 2>/dev/null ||
            die "PostgreSQL is not installed and 'sudo -n' is not permitted; install Debian's 'postgresql' package as root"
        pre=(sudo -n)
    fi
    command -v apt-get >/dev/null 2>&1 ||
        die "PostgreSQL is not installed and apt-get is unavailable"
    note "installing Debian package 'postgresql' ..."
    if ! "${pre[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; then
        note "apt-get install failed; running apt-get update and retrying once"
        "${pre[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update >&2 ||
            die "apt-get update failed"
        "${pre[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 ||
            die "apt-get install -y postgresql failed"
    fi
}

# Run a command as the cluster user ($PGUSER_RUN).
as_pg() {
    if [ "$IS_ROOT" -eq 1 ] && [ "$PGUSER_RUN" != root ]; then
        runuser -u "$PGUSER_RUN" -- "$@"
    elif [ "$PGUSER_RUN" = "$(id -un)" ]; then
        "$@"
    else
        sudo -n -u "$PGUSER_RUN" -- "$@"
    fi
}

default_user() {
    if [ "$IS_ROOT" -eq 1 ]; then
        echo postgres
    else
        id -un
    fi
}

# Is something listening on 127.0.0.1:$1 (or any address on that port)?
port_in_use() {
    local port=$1 out
    if command -v ss >/dev/null 2>&1; then
        out=$(ss -Hltn "sport = :$port" 2>/dev/null) || out="?"
        [ -n "$out" ]
        return
    fi
    if command -v timeout >/dev/null 2>&1; then
        timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

pick_port() {
    local i port
    for ((i = 0; i < 20; i++)); do
        port=$(( (RANDOM * 32768 + RANDOM) % 40001 + 20000 ))
        if ! port_in_use "$port"; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# Only ever delete locations this script creates.
safe_location() {
    local loc=$1
    [ "$loc" = "$DIR/data" ] && return 0
    case $loc in
        /tmp/dms-pg.??????) [[ ${loc#/tmp/} =~ ^dms-pg\.[A-Za-z0-9]{6}$ ]] && return 0 ;;
    esac
    return 1
}

# Stop the cluster recorded in DIR (if any) and remove its data. Always succeeds.
do_stop() {
    local loc="" bindir="" pgdata pid i
    if [ -f "$DIR/location" ]; then
        loc=$(head -n1 "$DIR/location")
    elif [ -d "$DIR/data" ]; then
        loc=$DIR/data
    fi
    if [ -f "$DIR/user" ]; then
        PGUSER_RUN=$(head -n1 "$DIR/user")
    else
        PGUSER_RUN=$(default_user)
    fi
    if [ -f "$DIR/bindir" ]; then
        bindir=$(head -n1 "$DIR/bindir")
    fi
    [ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] || bindir=$(find_bindir)

    if [ -n "$loc" ]; then
        pgdata=$loc/pgdata
        if [ -f "$pgdata/postmaster.pid" ]; then
            note "stopping cluster in $pgdata"
            if [ -n "$bindir" ]; then
                as_pg "$bindir/pg_ctl" -D "$pgdata" stop -m fast -w -t 30 >&2 ||
                    as_pg "$bindir/pg_ctl" -D "$pgdata" stop -m immediate -w -t 10 >&2 ||
                    true
            fi
            # Last resort: the postmaster pid is the first line of postmaster.pid.
            if [ -f "$pgdata/postmaster.pid" ]; then
                pid=$(head -n1 "$pgdata/postmaster.pid" 2>/dev/null || true)
                if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
                    grep -q "$pgdata" "/proc/$pid/cmdline" 2>/dev/null; then
                    note "postmaster $pid still alive; killing it"
                    kill -KILL "$pid" 2>/dev/null || true
                    for ((i = 0; i < 50; i++)); do
                        kill -0 "$pid" 2>/dev/null || break
                        sleep 0.1
                    done
                fi
            fi
        fi
        if [ -e "$loc" ]; then
            if safe_location "$loc"; then
                rm -rf -- "$loc" 2>/dev/null || as_pg rm -rf -- "$loc" || true
            else
                note "not removing unexpected location '$loc'"
            fi
        fi
    fi
    rm -f -- "$DIR/url" "$DIR/port" "$DIR/bindir" "$DIR/location" "$DIR/user"
}

# Can the cluster user create and use DIR/data?  Creates it on success.
dir_usable() {
    if [ "$IS_ROOT" -eq 1 ] && [ "$PGUSER_RUN" != root ]; then
        # Traversal of every ancestor is checked by access(2) path resolution.
        as_pg test -x "$(dirname -- "$DIR")" 2>/dev/null || return 1
        chown "$PGUSER_RUN" "$DIR" 2>/dev/null || return 1
    fi
    as_pg test -d "$DIR" -a -w "$DIR" -a -x "$DIR" 2>/dev/null || return 1
    as_pg mkdir -p -- "$DIR/data" 2>/dev/null || return 1
    as_pg test -w "$DIR/data" -a -x "$DIR/data" 2>/dev/null || return 1
    return 0
}

# ---------------------------------------------------------------- start

do_start() {
    local bindir loc pgdata sockdir port attempt started=0 opts sockopt i ready=0

    bindir=$(find_bindir)
    if [ -z "$bindir" ]; then
        apt_install_pg
        bindir=$(find_bindir)
        [ -n "$bindir" ] || die "no initdb under /usr/lib/postgresql/*/bin after installing postgresql"
    fi
    for t in initdb pg_ctl pg_isready; do
        [ -x "$bindir/$t" ] || die "$bindir/$t missing"
    done

    # Clean up anything left by an earlier run (idempotent start).
    do_stop

    PGUSER_RUN=$(default_user)
    if [ "$IS_ROOT" -eq 1 ]; then
        id -u "$PGUSER_RUN" >/dev/null 2>&1 ||
            die "system user '$PGUSER_RUN' does not exist (is Debian's postgresql package installed?)"
        command -v runuser >/dev/null 2>&1 || die "runuser not found"
    fi

    if dir_usable; then
        loc=$DIR/data
    else
        rmdir -- "$DIR/data" 2>/dev/null || true
        loc=$(mktemp -d /tmp/dms-pg.XXXXXX)
        if [ "$IS_ROOT" -eq 1 ] && [ "$PGUSER_RUN" != root ]; then
            chown "$PGUSER_RUN" "$loc"
        fi
        chmod 0700 "$loc"
        note "'$DIR' is not usable by user '$PGUSER_RUN'; using $loc instead"
    fi
    # Record immediately so `stop` can clean up even if the start fails below.
    printf '%s\n' "$loc" >"$DIR/location"
    printf '%s\n' "$PGUSER_RUN" >"$DIR/user"
    printf '%s\n' "$bindir" >"$DIR/bindir"

    pgdata=$loc/pgdata
    sockdir=$loc/sock
    as_pg mkdir -p -- "$sockdir"

    note "initdb $pgdata (as $PGUSER_RUN, $bindir)"
    if ! as_pg "$bindir/initdb" -D "$pgdata" --auth=trust --username=dms \
        --encoding=UTF8 --locale=C.UTF-8 >"$loc/initdb.log" 2>&1; then
        note "initdb with --locale=C.UTF-8 failed; retrying with --locale=C"
        as_pg rm -rf -- "$pgdata"
        as_pg "$bindir/initdb" -D "$pgdata" --auth=trust --username=dms \
            --encoding=UTF8 --locale=C >>"$loc/initdb.log" 2>&1 || {
            cat "$loc/initdb.log" >&2
            die "initdb failed (log: $loc/initdb.log)"
        }
    fi

    # Unix socket paths are limited to ~107 bytes; disable the socket if too long
    # (clients use TCP on 127.0.0.1 anyway).
    if [ $(( ${#sockdir} + 20 )) -lt 100 ] && [[ $sockdir != *"'"* ]]; then
        sockopt="-k '$sockdir'"
    else
        sockopt="-c unix_socket_directories=''"
    fi

    for ((attempt = 1; attempt <= 5; attempt++)); do
        port=$(pick_port) || die "could not find a free TCP port in 20000-60000"
        opts="-c listen_addresses=127.0.0.1 -p $port $sockopt -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        note "starting postgres on 127.0.0.1:$port (attempt $attempt)"
        if as_pg "$bindir/pg_ctl" -D "$pgdata" -l "$loc/server.log" -w -t 60 -o "$opts" start >&2; then
            started=1
            break
        fi
        note "pg_ctl start failed on port $port; tail of server.log:"
        tail -n 20 "$loc/server.log" >&2 2>/dev/null || true
        if [ -f "$pgdata/postmaster.pid" ]; then
            as_pg "$bindir/pg_ctl" -D "$pgdata" stop -m immediate -w -t 10 >&2 2>/dev/null || true
        fi
    done
    [ "$started" -eq 1 ] || die "could not start PostgreSQL (log: $loc/server.log)"

    for ((i = 0; i < 30; i++)); do
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U dms -d postgres; then
            ready=1
            break
        fi
        sleep 1
    done
    if [ "$ready" -ne 1 ]; then
        tail -n 20 "$loc/server.log" >&2 2>/dev/null || true
        die "server on 127.0.0.1:$port did not become ready within 30 s"
    fi

    local url="postgres://dms@127.0.0.1:$port/postgres"
    printf '%s\n' "$port" >"$DIR/port"
    printf '%s\n' "$url" >"$DIR/url"
    chmod 0644 "$DIR/url" "$DIR/port" "$DIR/bindir" "$DIR/location" "$DIR/user"
    echo "PostgreSQL test cluster running at $url (data: $pgdata, user: $PGUSER_RUN, bin: $bindir)"
}

# ---------------------------------------------------------------- main

[ $# -eq 2 ] || usage
CMD=$1
DIR=$2
[ -n "$DIR" ] || usage

case $CMD in
    start)
        mkdir -p -- "$DIR"
        DIR=$(cd -- "$DIR" && pwd -P)
        cd /
        do_start
        ;;
    stop)
        if [ ! -d "$DIR" ]; then
            exit 0
        fi
        DIR=$(cd -- "$DIR" && pwd -P)
        cd /
        do_stop
        ;;
    *)
        usage
        ;;
esac
exit 0
