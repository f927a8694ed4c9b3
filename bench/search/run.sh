#!/usr/bin/env bash
# The site search under load (a benchmark, not a test): the real server on a fresh SQLite database
# with the seeded corpus (the cooperation's data and the portal's published content), and
# `wrk -t2 -c16 --latency` on /suche?q=… with a rotating mix of queries (German, English, phrases,
# odd input), every request answered through the search handler (search pages are never cached).
# Then the in-process timing (search_bench) when it is built. Targets (issue 3):
#
#   search p99 < 20 ms at 16 connections            (this script)
#   a query over the whole corpus < 50 ms (p99)    (search_bench: a corpus larger than the real one)
#
# Usage: bench/search/run.sh [--write]
#   --write   replace the search section of bench/RESULTS.md with this run's figures
# Environment: BENCH_SECONDS (15), BENCH_BINARY (build/release/src/app/interkommunal),
# BENCH_SEARCH_BENCH (build/release/src/search/bench/search_bench; configure with
# -DIK_BUILD_SEARCH_BENCH=ON), BENCH_THREADS (nproc: server threads).
# Exit status: 0 targets met, 3 a target missed, 1 the benchmark itself failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
results_file="$root/bench/RESULTS.md"
binary="${BENCH_BINARY:-$root/build/release/src/app/interkommunal}"
in_process="${BENCH_SEARCH_BENCH:-$root/build/release/src/search/bench/search_bench}"
seconds="${BENCH_SECONDS:-15}"
threads="${BENCH_THREADS:-$(nproc)}"
connections=16
target_p99_ms=20

fail() {
  echo "bench/search: $*" >&2
  exit 1
}

write_results=false
case "${1:-}" in
  --write) write_results=true ;;
  "") ;;
  *) fail "unknown argument '$1' (usage: bench/search/run.sh [--write])" ;;
esac
[[ -z "${CI:-}" ]] || fail "this is a benchmark, not a test; it does not run in CI"
[[ "$seconds" =~ ^[1-9][0-9]{0,2}$ ]] || fail "BENCH_SECONDS must be 1..999"
[[ -x "$binary" ]] || fail "$binary is missing; build it first"
for tool in wrk curl awk; do command -v "$tool" >/dev/null || fail "$tool is missing"; done

tmp="$(mktemp -d /tmp/ik-search-bench.XXXXXX)"
server_pid=""
cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  ((status == 1)) && [[ -s "$tmp/server.log" ]] && tail -n 20 "$tmp/server.log" >&2
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT

install -m 755 "$binary" "$tmp/interkommunal"
"$root/scripts/build-assets.sh" "$tmp/assets" >/dev/null
mkdir -p "$tmp/var"
export IK_DATABASE_URL="sqlite:$tmp/interkommunal.db" IK_PATHS_VAR="$tmp/var" IK_PATHS_ASSETS="$tmp/assets" \
  IK_PATHS_MIGRATIONS="$root/migrations" IK_SERVER_ADDRESS=127.0.0.1 IK_SERVER_PORT=0 \
  IK_SERVER_THREADS="$threads" IK_LOG_LEVEL=warn
(cd "$tmp" && exec "$tmp/interkommunal" serve) >"$tmp/server.out" 2>"$tmp/server.log" &
server_pid=$!
port=""
for ((attempt = 0; attempt < 300; attempt++)); do
  port="$(sed -n 's|^Interkommunal läuft auf http://[^:]*:\([0-9]*\)/$|\1|p' "$tmp/server.out")"
  [[ -n "$port" ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited while starting"
  sleep 0.1
done
[[ -n "$port" ]] || fail "the server did not announce itself within 30 s"
url="http://127.0.0.1:$port"

# The queries, rotated by wrk; each must answer 200. The first request builds the index.
cat >"$tmp/queries.lua" <<'LUA'
local queries = {
  "/suche?q=Integration", "/suche?q=Verwaltung", "/suche?q=Hagen", "/suche?q=interkulturelle+%C3%96ffnung",
  "/suche?q=%22Vielfalt+schafft+Zukunft%22", "/suche?q=Bildung+Sprache", "/suche?q=Regiegruppe",
  "/suche?q=Handreichung", "/suche?q=%22*%26%3Cscript%3E", "/suche?q=Gelsenkirchen+-Bochum",
  "/en/suche?q=integration", "/en/suche?q=cities", "/en/suche?q=Verwaltung", "/suche?q=nichtvorhanden",
}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", queries[(counter % #queries) + 1])
end
LUA
for path in "/suche?q=Integration" "/en/suche?q=integration"; do
  status="$(curl -sS --max-time 30 -o "$tmp/first.html" -w '%{http_code}' "$url$path")"
  [[ "$status" == 200 ]] || fail "$path answered $status"
done
grep -q 'search-results__item' "$tmp/first.html" || fail "the search found nothing; is the corpus seeded?"

echo "bench/search: warm-up, then wrk -t2 -c$connections -d${seconds}s on /suche" >&2
wrk -t2 -c"$connections" -d3s -s "$tmp/queries.lua" "$url" >/dev/null
# CPU time (user + system, clock ticks) of the server: with other work on the machine, requests/s
# and latency move with the load; the CPU cost per request does not.
cpu_ticks() { sed 's/^.*) //' "/proc/$server_pid/stat" | awk '{ print $12 + $13 }'; }
ticks_before="$(cpu_ticks)"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$tmp/queries.lua" "$url" >"$tmp/wrk.txt" 2>&1
ticks=$(($(cpu_ticks) - ticks_before))
load="$(cut -d' ' -f1-3 /proc/loadavg)"
! grep -q 'Non-2xx' "$tmp/wrk.txt" || fail "responses with errors: $(grep 'Non-2xx' "$tmp/wrk.txt")"
to_ms() {
  awk -v value="$1" 'BEGIN {
    if (value ~ /us$/) { print value / 1000; exit }
    if (value ~ /ms$/) { print value + 0; exit }
    if (value ~ /s$/) { print value * 1000; exit } }'
}
rps="$(awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' "$tmp/wrk.txt")"
p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.txt")")"
p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.txt")")"
[[ -n "$rps" && -n "$p99" ]] || fail "cannot read wrk's output: $(tail -n 3 "$tmp/wrk.txt")"
requests="$(awk '$2 == "requests" && $3 == "in" { print $1 }' "$tmp/wrk.txt")"
cpu_us="$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.0f", t * 1e6 / hz / n }')"
missed=false
verdict=PASS
awk -v p="$p99" -v t="$target_p99_ms" 'BEGIN { exit !(p < t) }' || { verdict=FAIL; missed=true; }

in_process_report="search_bench not built (configure with -DIK_BUILD_SEARCH_BENCH=ON), not run."
if [[ -x "$in_process" ]]; then
  status=0
  "$in_process" >"$tmp/in-process.txt" || status=$?
  ((status == 0 || status == 3)) || fail "search_bench failed"
  ((status == 0)) || missed=true
  in_process_report="$(sed 's/^/    /' "$tmp/in-process.txt")"
fi

section="$tmp/section.md"
{
  echo
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) CPUs, $threads server threads," \
    "$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'); command \`bench/search/run.sh\`."
  echo
  echo "| target | measured | result |"
  echo "|---|---:|:---:|"
  echo "| search p99 at $connections connections < $target_p99_ms ms | p99 $(printf '%.2f' "$p99") ms (p50 $(printf '%.2f' "$p50") ms, $rps req/s) | $verdict |"
  echo
  echo "Server CPU time per search request: $cpu_us µs. Load average (1/5/15 min) after the run: $load" \
    "(on a machine shared with other work, latency grows with the load; the CPU time does not)."
  echo
  echo "In-process (search_bench, 2 index copies):"
  echo
  echo "$in_process_report"
  echo
} >"$section"
cat "$section"
if $write_results; then
  grep -q '^<!-- search-results:begin -->$' "$results_file" && grep -q '^<!-- search-results:end -->$' "$results_file" ||
    fail "$results_file lacks the <!-- search-results:begin --> / <!-- search-results:end --> markers"
  awk -v section="$section" '
    /^<!-- search-results:begin -->$/ { print; while ((getline line < section) > 0) print line; skipping = 1; next }
    /^<!-- search-results:end -->$/ { skipping = 0 }
    !skipping { print }' "$results_file" >"$tmp/RESULTS.md"
  cat "$tmp/RESULTS.md" >"$results_file"
  echo "bench/search: wrote ${results_file#"$root"/}" >&2
fi
$missed && exit 3
exit 0
