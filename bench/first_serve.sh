#!/usr/bin/env bash
# Seconds from `./dev serve --demo` in a fresh clone until /healthz answers, with empty package caches:
# with this commit's ./dev (uv and uv.lock) and with the ./dev of a commit that installs with pip, in turn.
#   bench/first_serve.sh [PIP_COMMIT] [RUNS]     PIP_COMMIT defaults to the commit before uv.lock came
# Each run clones into a new temporary folder, serves on a free port, and stops its server when
# /healthz answers. The figures include fetching uv itself, and every package, from the registry.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
pip_commit="${1:-$(git log --diff-filter=A --format=%H -- uv.lock | tail -n 1)~1}"
pip_commit="$(git rev-parse --short "$pip_commit")"
runs="${2:-3}"
head="$(git rev-parse --short HEAD)"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# One run: prints the seconds, or exits non-zero with the server's output.
first_serve() {
    local commit="$1" work port began pid took
    work="$(mktemp -d /tmp/nextdesk-first-serve.XXXXXX)"
    git clone --quiet --no-hardlinks "$repo" "$work/clone"
    git -C "$work/clone" checkout --quiet "$commit"
    port="$(free_port)"
    began="$(date +%s.%N)"
    (
        cd "$work/clone"
        export UV_CACHE_DIR="$work/uv-cache" PIP_CACHE_DIR="$work/pip-cache" XDG_CACHE_HOME="$work/cache"
        exec ./dev serve --demo --port "$port"
    ) >"$work/serve.log" 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            cat "$work/serve.log" >&2
            return 1
        fi
        sleep 0.1
    done
    took="$(python3 -c "import time; print(f'{time.time() - $began:.1f}')")"
    kill "$pid"
    wait "$pid" || true
    rm -rf "$work"
    echo "$took"
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The two take turns, so that both meet the same load from the machine's other work.
uv_runs=() pip_runs=() loads=()
for ((i = 1; i <= runs; i++)); do
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    uv_runs+=("$(first_serve "$head")")
    loads+=("$(cut -d' ' -f1 /proc/loadavg)")
    pip_runs+=("$(first_serve "$pip_commit")")
done
echo "| install | commit | runs (s) | median |"
echo "|---|---|---|---|"
echo "| uv, uv.lock | $head | ${uv_runs[*]} | $(printf '%s\n' "${uv_runs[@]}" | median) s |"
echo "| pip | $pip_commit | ${pip_runs[*]} | $(printf '%s\n' "${pip_runs[@]}" | median) s |"
echo
echo "Load average (1 min) before each run, in turn: ${loads[*]} ($(nproc) cores)."
