#!/usr/bin/env bash
# Seconds from `./dev serve --demo` in a fresh clone until /healthz answers, with empty package caches:
# once with this commit's ./dev (uv and uv.lock), once with the ./dev of a commit that installs with pip.
#   bench/first_serve.sh [PIP_COMMIT] [RUNS]     PIP_COMMIT defaults to the last commit without uv.lock
# Each run clones into a new temporary folder, serves on a free port, and stops its server when
# /healthz answers. The figures include fetching uv itself, and every package, from the registry.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
pip_commit="${1:-$(git rev-list -n 1 HEAD -- uv.lock)~1}"
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

measure() {
    local label="$1" commit="$2" all=() i
    for ((i = 1; i <= runs; i++)); do
        all+=("$(first_serve "$commit")")
    done
    local sorted
    sorted="$(printf '%s\n' "${all[@]}" | sort -n | tr '\n' ' ')"
    echo "| $label | $commit | ${sorted% } | $(printf '%s\n' "${all[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p") s |"
}

echo "| install | commit | runs (s, sorted) | median |"
echo "|---|---|---|---|"
measure "uv, uv.lock" "$head"
measure "pip" "$pip_commit"
