#!/usr/bin/env bash
# Makes media/fatc-run.txt: what `fatc run` prints for the bundled example config in its first seconds.
# Usage: npm run build && media/make-run-transcript.sh [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/../.fatcontrollerrc.example" "$work/.fatcontrollerrc"
cd "$work"
node "$here/../dist/cli.js" run > out.txt &
pid=$!
sleep "${1:-8}"
kill -TERM "$pid"
wait "$pid"
# Pids and times differ on every run; keep the shape.
sed -E 's/^[0-9T:.-]+Z //' out.txt > "$here/fatc-run.txt"
echo "wrote $here/fatc-run.txt ($(wc -l < "$here/fatc-run.txt") lines)"
