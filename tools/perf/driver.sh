# Copyright 2026 Premium Support for Odoo
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
#
# What tools/bench and tools/loadtest share (bash, sourced by both once they
# have set TOOL, their name, and parsed their options into keep=0|1):
# prerequisites, the virtual environment, a work dir, installing, serving on
# 127.0.0.1, and cleaning up the databases named in dbs.

ADDON=helpdesk_premium_support
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PYTHON=${PYTHON:-python3}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/$ADDON
venv=$cache/loadvenv
dbs=()
servers=()
work=

fail() { echo "tools/$TOOL: $*" >&2; exit 2; }
say() { echo "tools/$TOOL: $*"; }
py_ok() { "$PYTHON" -c "$1" 2>/dev/null; }

# Each missing prerequisite stops the run with one line. Arguments: the
# ports on 127.0.0.1 that the run will serve on.
check_prerequisites() {
    py_ok "import odoo.release as r, sys; sys.exit(r.version_info[0] != 19)" \
        || fail "no Odoo 19 importable by $PYTHON: install Odoo 19.0 Community (see README, Prerequisites)"
    py_ok "import odoo.addons.helpdesk_mgmt" \
        || fail "helpdesk_mgmt is not installed: pip install 'odoo-addon-helpdesk_mgmt==19.0.*'"
    py_ok "import psycopg2; psycopg2.connect(dbname='postgres').close()" \
        || fail "PostgreSQL does not answer on $PGHOST:$PGPORT as user $PGUSER (or cannot log in to 'postgres')"
    local installed port
    installed=$("$PYTHON" -c "
import importlib.util, os
spec = importlib.util.find_spec('odoo.addons.$ADDON')
print(os.path.realpath(list(spec.submodule_search_locations)[0]) if spec else '')
" 2>/dev/null || true)
    if [ -n "$installed" ] && [ "$installed" != "$ROOT" ]; then
        fail "another copy of $ADDON is installed at $installed and would run instead of $ROOT: pip uninstall odoo-addon-$ADDON"
    fi
    for port in "$@"; do
        if py_ok "import socket, sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', $port)) != 0)"; then
            fail "port $port on 127.0.0.1 is already in use: stop what listens there or set HTTP_PORT"
        fi
    done
    if ! "$venv/bin/python" -c "import locust, matplotlib" 2>/dev/null; then
        say "installing locust and matplotlib into $venv (first run)"
        mkdir -p "$cache"
        { "$PYTHON" -m venv "$venv" \
            && "$venv/bin/pip" install -q 'locust>=2.30,<3' 'matplotlib>=3.8,<4'; } \
            >"$cache/loadvenv.log" 2>&1 \
            || fail "could not install locust and matplotlib into $venv (see $cache/loadvenv.log)"
    fi
}

# A work dir whose addons folder holds a copy of this checkout under the
# addon's own name (the checkout folder may be called anything), a copy of
# the measuring code next to it (pytest would import the addon's __init__.py
# as a package; editing the checkout during a run changes nothing), the
# Odoo configuration (extra lines on stdin) and the server's launcher.
make_work_dir() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/${ADDON}-$TOOL.XXXXXX")
    mkdir -p "$work/addons/$ADDON" "$work/results" "$work/tools"
    tar -C "$ROOT" --exclude=.git --exclude=__pycache__ --exclude=build -cf - . \
        | tar -C "$work/addons/$ADDON" -xf -
    cp -r "$ROOT/tools/perf" "$work/tools/perf"
    export PYTHONPATH="$work/tools${PYTHONPATH:+:$PYTHONPATH}"
    {
        printf '[options]\ndb_host = %s\ndb_port = %s\ndb_user = %s\n' \
            "$PGHOST" "$PGPORT" "$PGUSER"
        printf 'list_db = False\naddons_path = %s\ndata_dir = %s\n' \
            "$work/addons" "$work/data"
        printf 'http_interface = 127.0.0.1\nmax_cron_threads = 0\nlimit_request = 100000\n'
        printf 'without_demo = True\nlog_level = info\n'
        cat
    } >"$work/odoo.conf"
    "$PYTHON" -m perf.launcher --python "$(command -v "$PYTHON")" --out "$work/odoo-bin"
}

# install_db DB MODULES LOG: a new database with MODULES installed.
install_db() {
    "$PYTHON" -m odoo -c "$work/odoo.conf" -d "$1" -i "$2" --stop-after-init \
        --workers 0 >"$3" 2>&1 \
        || { tail -n 30 "$3" >&2; fail "installing $2 into $1 failed (log above)"; }
}

# start_server LOG PORT ODOO-ARGUMENTS...: a server in the background,
# answering on PORT before this returns.
start_server() {
    local log=$1 port=$2
    shift 2
    "$work/odoo-bin" -c "$work/odoo.conf" "$@" >"$log" 2>&1 &
    servers+=($!)
    for _ in $(seq 1 90); do
        py_ok "import sys, urllib.request
sys.exit(urllib.request.urlopen('http://127.0.0.1:$port/web/login', timeout=5).status != 200)" \
            && return 0
        kill -0 "${servers[-1]}" 2>/dev/null || { tail -n 30 "$log" >&2; fail "the server stopped (log above)"; }
        sleep 1
    done
    fail "the server did not answer within 90 s (log: $log)"
}

stop_servers() {
    local pid
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    servers=()
}

cleanup() {
    local status=$? name
    stop_servers
    if [ "$keep" = 1 ]; then
        say "kept databases ${dbs[*]} and work dir $work"
    else
        for name in "${dbs[@]}"; do dropdb --if-exists "$name" >/dev/null 2>&1 || true; done
        [ -z "$work" ] || rm -rf "$work"
    fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
