#!/usr/bin/env bash
# Throughput benchmark of Interkommunal against nginx, as the issues ask: wrk (2 threads,
# 64 connections, loopback) on the home page, a news article and a signed-in page, and in the same
# run nginx serving the home page's and the article's bytes as static files. Public pages are
# asked for with "Accept-Encoding: gzip", as browsers do, so both servers send the same
# gzip-compressed bytes. Prints the figures and the ratios with PASS/FAIL against the targets:
#
#   home page       requests/s >= 0.8 x nginx, p99 <= 1.5 x nginx's p99
#   news article    requests/s >= 0.8 x nginx (serving the article's bytes)
#   signed-in page  requests/s >= 0.5 x nginx (home)  (/bereich, with the cookies a browser sends)
#   server RSS      < 80 MiB under that load
#
# A benchmark, not a test: scripts/test.sh and CI never run it (it refuses when CI is set).
#
# Usage: bench/run.sh [--write] [--rounds N] [--log-level LEVEL]...
#   --write          replace the results section of bench/RESULTS.md with this run's figures
#   --rounds N       measure N rounds (nginx, home, signed-in each), default 1; the spread goes
#                    into the summary
#   --log-level L    the server's log level (repeatable; default: warn, then info). At info and
#                    below the server writes an access line per request, so nginx gets its
#                    access_log as well; above, both run without access logs.
# Environment: BENCH_SECONDS (15) and BENCH_WARMUP_SECONDS (3) per wrk run, BENCH_BINARY
# (build/release/src/app/interkommunal), BENCH_THREADS (nproc: server threads = nginx workers).
#
# Everything runs in a temporary directory on 127.0.0.1 (fresh SQLite database, assets, nginx
# prefix) and is stopped and removed on exit. Exit status: 0 all targets met, 3 a target missed,
# 1 the benchmark itself failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results_file="$root/bench/RESULTS.md"
binary="${BENCH_BINARY:-$root/build/release/src/app/interkommunal}"
seconds="${BENCH_SECONDS:-15}"
warmup_seconds="${BENCH_WARMUP_SECONDS:-3}"
threads="${BENCH_THREADS:-$(nproc)}"
clock_ticks="$(getconf CLK_TCK)"
wrk_threads=2
wrk_connections=64
user_name="bench"
user_password="bench-Passwort-$$-$RANDOM$RANDOM"
targets_home_rps=0.8
targets_home_p99=1.5
targets_signed_in_rps=0.5
targets_news_rps=0.8
news_path="/aktuelles/hagen-tritt-bei"
gzip_header="Accept-Encoding: gzip"
targets_rss_mib=80

command_line="bench/run.sh${*:+ $*}"
for variable in BENCH_SECONDS BENCH_WARMUP_SECONDS BENCH_THREADS BENCH_BINARY; do
  [[ -n "${!variable:-}" ]] && command_line="$variable=${!variable} $command_line"
done

fail() {
  echo "bench: $*" >&2
  exit 1
}

write_results=false
rounds=1
log_levels=()
while (($#)); do
  case "$1" in
    --write) write_results=true ;;
    --rounds)
      [[ $# -ge 2 ]] || fail "--rounds needs a number"
      rounds="$2"
      shift
      ;;
    --log-level)
      [[ $# -ge 2 ]] || fail "--log-level needs a level"
      log_levels+=("$2")
      shift
      ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
      exit 0
      ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
((${#log_levels[@]})) || log_levels=(warn info)

[[ -z "${CI:-}" ]] || fail "this is a benchmark, not a test; it does not run in CI"
is_count() { [[ "$1" =~ ^[1-9][0-9]{0,2}$ ]]; }
if ! is_count "$seconds" || ((seconds > 600)); then fail "BENCH_SECONDS must be 1..600, not '$seconds'"; fi
is_count "$warmup_seconds" || [[ "$warmup_seconds" == 0 ]] || fail "BENCH_WARMUP_SECONDS must be 0..999"
is_count "$threads" || fail "BENCH_THREADS must be a positive number"
if ! is_count "$rounds" || ((rounds > 10)); then fail "--rounds must be 1..10"; fi
for level in "${log_levels[@]}"; do
  [[ "$level" =~ ^(trace|debug|info|warn|error|critical|off)$ ]] || fail "unknown log level '$level'"
done
[[ -x "$binary" ]] || fail "$binary is missing; build it first (scripts/serve.sh or ninja)"
for tool in wrk nginx curl awk ss; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install -y wrk nginx-light curl)"
done

tmp="$(mktemp -d /tmp/ik-bench.XXXXXX)"
# nginx's workers run as "nobody" when started by root; they must reach the page.
chmod 755 "$tmp"
server_pid=""
nginx_pid=""
wrk_pid=""

stop_process() {
  local pid="$1" signal="$2" waited
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  for ((waited = 0; waited < 100; waited++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  stop_process "$wrk_pid" TERM
  stop_process "$server_pid" TERM
  stop_process "$nginx_pid" TERM
  wrk_pid="" server_pid="" nginx_pid=""
}

# shellcheck disable=SC2317  # runs from the EXIT trap
on_exit() {
  local status=$?
  stop_all
  if ((status == 1)); then
    local log
    for log in "$tmp"/*/server.log "$tmp"/*/nginx/error.log; do
      [[ -s "$log" ]] || continue
      echo "--- last lines of ${log#"$tmp"/}:" >&2
      tail -n 20 "$log" >&2
    done
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap on_exit EXIT
trap 'echo "bench: interrupted" >&2; exit 1' INT TERM

# ---------------------------------------------------------------------------------------------
# Server

# Starts `interkommunal serve` for one log level on a free port (port 0) with a fresh database
# and sets server_pid and server_url. The user for the signed-in page is created first, in the
# same database, so that serve finds it.
start_server() {
  local level="$1" dir="$2" attempt port
  mkdir -p "$dir/var"
  # Absolute paths and no config file in the working directory: nothing of the developer's own
  # setup (interkommunal.toml, var/) takes part.
  export IK_DATABASE_URL="sqlite:$dir/interkommunal.db" IK_PATHS_VAR="$dir/var" \
    IK_PATHS_ASSETS="$tmp/assets" IK_PATHS_MIGRATIONS="$root/migrations" \
    IK_SERVER_ADDRESS=127.0.0.1 IK_SERVER_PORT=0 IK_SERVER_THREADS="$threads" IK_LOG_LEVEL="$level"
  (cd "$dir" && printf '%s\n' "$user_password" |
    "$tmp/interkommunal" create-user --username "$user_name" --name "Benchmark" --role city_entry \
      --city bochum --password-stdin) >"$dir/create-user.log" 2>&1 ||
    fail "create-user failed: $(tail -n 3 "$dir/create-user.log")"
  # Logs go to a file, as nginx's access log does, not to a terminal.
  (cd "$dir" && exec "$tmp/interkommunal" serve) >"$dir/server.out" 2>"$dir/server.log" &
  server_pid=$!
  for ((attempt = 0; attempt < 300; attempt++)); do
    port="$(sed -n 's|^Interkommunal läuft auf http://[^:]*:\([0-9]*\)/$|\1|p' "$dir/server.out")"
    [[ -n "$port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited while starting"
    sleep 0.1
  done
  [[ -n "$port" ]] || fail "the server did not announce itself within 30 s"
  server_url="http://127.0.0.1:$port"
}

# Signs in through the form like a browser and sets cookie_header to the cookies a browser then
# sends (ik_session and ik_csrf; without ik_csrf every page would set a new one).
sign_in() {
  local dir="$1" jar="$1/cookies.txt" token status
  curl -sS --max-time 10 -c "$jar" -o "$dir/login.html" "$server_url/anmelden"
  token="$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$dir/login.html" | head -n 1)"
  [[ -n "$token" ]] || fail "no csrf_token in the login form"
  status="$(curl -sS --max-time 10 -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "benutzername=$user_name" --data-urlencode "passwort=$user_password" \
    --data-urlencode "csrf_token=$token" --data-urlencode "weiter=/bereich" "$server_url/anmelden")"
  [[ "$status" == 303 ]] || fail "signing in answered $status instead of 303"
  local session csrf
  session="$(awk '$6 == "ik_session" { print $7 }' "$jar")"
  csrf="$(awk '$6 == "ik_csrf" { print $7 }' "$jar")"
  [[ -n "$session" && -n "$csrf" ]] || fail "signing in set no ik_session/ik_csrf cookie"
  cookie_header="Cookie: ik_session=$session; ik_csrf=$csrf"
}

# Fails unless GET url (with the optional header) answers 200 without setting a cookie; prints
# the size of the whole response (header + body), to check wrk's transfer figures against.
checked_response_size() {
  local url="$1" header="${2:-}" headers="$tmp/check-headers" size
  local -a extra=()
  [[ -n "$header" ]] && extra=(-H "$header")
  size="$(curl -sS --max-time 10 "${extra[@]}" -D "$headers" -o /dev/null \
    -w '%{http_code} %{size_header} %{size_download}' "$url")"
  [[ "${size%% *}" == 200 ]] || fail "$url answered ${size%% *} instead of 200"
  ! grep -qi '^set-cookie:' "$headers" || fail "$url sets a cookie; the benchmark would not be steady"
  awk '{ print $2 + $3 }' <<<"$size"
}

rss_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# ---------------------------------------------------------------------------------------------
# nginx

# A public page as the server sends it to a browser (gzip-compressed): the body as www/NAME and
# every header that does not change per response as add_header lines in NAME.conf, so that both
# answers have the same size.
save_page() {
  local dir="$1" path="$2" name="$3" header value
  mkdir -p "$dir/nginx/www" "$dir/nginx/temp"
  chmod 755 "$dir" "$dir/nginx" "$dir/nginx/www"
  curl -sS --max-time 10 -H "$gzip_header" -D "$dir/$name.headers" -o "$dir/nginx/www/$name" "$server_url$path"
  chmod 644 "$dir/nginx/www/$name"
  grep -qi '^content-encoding: gzip' "$dir/$name.headers" || fail "$path is not sent gzip-compressed"
  : >"$dir/nginx/$name.conf"
  while IFS= read -r line; do
    line="${line%$'\r'}"
    [[ "$line" == *:* ]] || continue
    header="${line%%:*}"
    value="${line#*: }"
    case "${header,,}" in
      # Per response, or nginx sends its own (ETag, Last-Modified of the file).
      connection | content-length | content-type | x-request-id | set-cookie | date | server | etag | last-modified) continue ;;
    esac
    [[ "$value" != *[\$\"\\]* ]] ||
      fail "header $header cannot be repeated in nginx's configuration"
    printf '      add_header %s "%s";\n' "$header" "$value" >>"$dir/nginx/$name.conf"
  done <"$dir/$name.headers"
  home_content_type="$(awk -F': ' 'tolower($1) == "content-type" { sub(/\r$/, "", $2); print $2 }' \
    "$dir/$name.headers")"
  [[ -n "$home_content_type" ]] || fail "$path has no Content-Type"
}

# Writes nginx.conf for `port`. Same worker count as server threads; Debian's defaults for
# static files (sendfile, tcp_nopush); keep-alive without a request limit, as the server has none.
write_nginx_config() {
  local dir="$1" port="$2" access_log="$3"
  cat >"$dir/nginx/nginx.conf" <<EOF
worker_processes $threads;
daemon off;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $access_log;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  server_tokens off;
  client_body_temp_path $dir/nginx/temp/body;
  proxy_temp_path $dir/nginx/temp/proxy;
  fastcgi_temp_path $dir/nginx/temp/fastcgi;
  uwsgi_temp_path $dir/nginx/temp/uwsgi;
  scgi_temp_path $dir/nginx/temp/scgi;
  types { }
  default_type "$home_content_type";
  server {
    listen 127.0.0.1:$port;
    root $dir/nginx/www;
    location = /index.html {
$(cat "$dir/nginx/index.html.conf")
    }
    location = /news.html {
$(cat "$dir/nginx/news.html.conf")
    }
  }
}
EOF
}

# A port nobody listens on; nginx cannot be given port 0, so a taken one is retried.
candidate_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    ss -Htln "sport = :$port" | grep -q . || break
  done
  echo "$port"
}

start_nginx() {
  local dir="$1" level="$2" access_log="off" attempt port
  if [[ "$level" =~ ^(trace|debug|info)$ ]]; then access_log="$dir/nginx/access.log"; fi
  for ((attempt = 0; attempt < 5; attempt++)); do
    port="$(candidate_port)"
    write_nginx_config "$dir" "$port" "$access_log"
    nginx -p "$dir/nginx" -e "$dir/nginx/error.log" -c "$dir/nginx/nginx.conf" &
    nginx_pid=$!
    nginx_url="http://127.0.0.1:$port/index.html"
    nginx_news_url="http://127.0.0.1:$port/news.html"
    local waited
    for ((waited = 0; waited < 50; waited++)); do
      kill -0 "$nginx_pid" 2>/dev/null || break
      curl -s --max-time 1 -o /dev/null "$nginx_url" && return 0
      sleep 0.1
    done
    stop_process "$nginx_pid" TERM
    nginx_pid=""
  done
  fail "nginx did not start (see the error log below)"
}

# ---------------------------------------------------------------------------------------------
# wrk

# Converts wrk's "14.64ms" / "812.00us" / "1.02s" to milliseconds.
to_ms() {
  awk -v value="$1" 'BEGIN {
    if (value ~ /us$/) { print value / 1000; exit }
    if (value ~ /ms$/) { print value + 0; exit }
    if (value ~ /m$/) { print value * 60000; exit }
    if (value ~ /s$/) { print value * 1000; exit }
    exit 1 }'
}

# Converts wrk's "233.41MB" (binary units) to bytes.
to_bytes() {
  awk -v value="$1" 'BEGIN {
    factor = 1
    if (value ~ /KB$/) factor = 1024; else if (value ~ /MB$/) factor = 1048576
    else if (value ~ /GB$/) factor = 1073741824
    print value * factor }'
}

# CPU time (user + system, in clock ticks) the given processes have used so far.
cpu_ticks() {
  local pid total=0
  for pid in "$@"; do
    # Fields after the command name, which is in parentheses and may contain spaces: utime is
    # the 12th, stime the 13th.
    total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}

# Runs wrk on `url` after a warm-up and appends "round target requests/s p50_ms p99_ms
# socket_errors cpu_us_per_request" to the file `results`. The CPU time is that of the
# processes listed after the URL arguments (the server, or nginx's master and workers) during the
# measured run. While the server is loaded, its VmRSS halfway through goes to rss_samples.
measure() {
  local round="$1" target="$2" url="$3" header="$4" expected_bytes="$5"
  shift 5
  local -a pids=("$@")
  local output="$tmp/wrk-$level-$target-$round.txt"
  local -a load=("-t$wrk_threads" "-c$wrk_connections")
  [[ -n "$header" ]] && load+=(-H "$header")
  if ((warmup_seconds > 0)); then
    timeout $((warmup_seconds + 30)) wrk "${load[@]}" "-d${warmup_seconds}s" "$url" >/dev/null ||
      fail "wrk warm-up on $target failed"
  fi
  local ticks_before
  ticks_before="$(cpu_ticks "${pids[@]}")"
  timeout $((seconds + 30)) wrk "${load[@]}" "-d${seconds}s" --latency "$url" >"$output" 2>&1 &
  wrk_pid=$!
  if [[ "${pids[0]}" == "$server_pid" ]]; then
    sleep "$(awk -v s="$seconds" 'BEGIN { print s / 2 }')"
    rss_kib "$server_pid" VmRSS >>"$rss_samples"
  fi
  wait "$wrk_pid" || fail "wrk on $target failed: $(tail -n 3 "$output")"
  wrk_pid=""
  local ticks=$(($(cpu_ticks "${pids[@]}") - ticks_before))

  local rps p50 p99 requests read non_2xx socket_errors
  rps="$(awk '$1 == "Requests/sec:" { print $2 }' "$output")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$output")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$output")")"
  requests="$(awk '$2 == "requests" && $3 == "in" { print $1 }' "$output")"
  read="$(to_bytes "$(awk '$2 == "requests" && $3 == "in" { print $5 }' "$output")")"
  non_2xx="$(awk -F': ' '/Non-2xx or 3xx responses/ { print $2 }' "$output")"
  socket_errors="$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$output")"
  [[ -n "$rps" && -n "$p99" && "${requests:-0}" -gt 0 ]] || fail "cannot read wrk's output for $target"
  [[ -z "$non_2xx" ]] || fail "$target: $non_2xx responses with status >= 400"
  # wrk counts redirects as success; the average size tells a page from a 303 to the login form.
  awk -v read="$read" -v n="$requests" -v expected="$expected_bytes" \
    'BEGIN { average = read / n; exit !(average > 0.9 * expected && average < 1.1 * expected) }' ||
    fail "$target: wrk received $read bytes for $requests responses; one response is $expected_bytes bytes"
  awk -v round="$round" -v target="$target" -v rps="$rps" -v p50="$p50" -v p99="$p99" \
    -v errors="${socket_errors:-0}" -v ticks="$ticks" -v hz="$clock_ticks" -v n="$requests" \
    'BEGIN { print round, target, rps, p50, p99, errors, ticks * 1e6 / hz / n }' >>"$results"
}

# ---------------------------------------------------------------------------------------------
# Report

median() { sort -g | awk '{ value[NR] = $1 } END { print (NR % 2 ? value[(NR + 1) / 2] : (value[NR / 2] + value[NR / 2 + 1]) / 2) }'; }
minimum() { sort -g | head -n 1; }
maximum() { sort -g | tail -n 1; }
format() { awk -v value="$1" -v digits="$2" 'BEGIN { printf "%.*f", digits, value }'; }
mib() { awk -v kib="$1" 'BEGIN { printf "%.1f", kib / 1024 }'; }

# Per round, column `column` of target `a` divided by that of target `b` (results file).
ratios() {
  awk -v a="$2" -v b="$3" -v column="$4" '
    { value[$1, $2] = $column; rounds[$1] = 1 }
    END { for (round in rounds) print value[round, a] / value[round, b] }' "$1"
}

# One row of the targets table, judged by the median over the rounds; records a miss.
ratio_row() {
  local label="$1" values="$2" comparison="$3" target="$4" mid verdict=PASS
  mid="$(median <<<"$values")"
  awk -v v="$mid" -v t="$target" -v c="$comparison" 'BEGIN { exit !(c == "ge" ? v >= t : v <= t) }' ||
    verdict=FAIL
  [[ "$verdict" == PASS ]] || missed=true
  echo "| $label | $(format "$mid" 2) ($(format "$(minimum <<<"$values")" 2)–$(format "$(maximum <<<"$values")" 2)) | $verdict |"
}

# Prints the Markdown for one log level from its results file and records misses.
report_level() {
  local level="$1" file="$2" hwm_login="$3" hwm_load="$4" rss_mid="$5" load_before="$6" load_after="$7"
  local access="without access logs" rounds_measured
  [[ "$level" =~ ^(trace|debug|info)$ ]] &&
    access="with access logs (server: one JSON line per request to a file; nginx: access_log to a file)"
  rounds_measured="$(awk '{ print $1 }' "$file" | sort -u | wc -l)"
  echo "### Log level \`$level\` — $access"
  echo
  echo "Load average (1/5/15 min) before: $load_before; after: $load_after."
  echo
  echo "| round | target | req/s | p50 ms | p99 ms | CPU µs/request | socket errors |"
  echo "|---:|---|---:|---:|---:|---:|---:|"
  awk '{ printf "| %d | %s | %.0f | %.2f | %.2f | %.1f | %d |\n", $1, $2, $3, $4, $5, $7, $6 }' "$file"
  echo
  echo "| target | median (min–max) over $rounds_measured round(s) | result |"
  echo "|---|---:|:---:|"
  ratio_row "home req/s ≥ $targets_home_rps × nginx" "$(ratios "$file" home nginx 3)" ge "$targets_home_rps"
  ratio_row "home p99 ≤ $targets_home_p99 × nginx p99" "$(ratios "$file" home nginx 5)" le "$targets_home_p99"
  ratio_row "news article req/s ≥ $targets_news_rps × nginx" "$(ratios "$file" news nginx-news 3)" ge "$targets_news_rps"
  ratio_row "signed-in req/s ≥ $targets_signed_in_rps × nginx" "$(ratios "$file" signed-in nginx 3)" ge \
    "$targets_signed_in_rps"
  local verdict=PASS
  awk -v m="$(mib "$hwm_load")" -v t="$targets_rss_mib" 'BEGIN { exit !(m < t) }' || { verdict=FAIL; missed=true; }
  echo "| server peak RSS under load < $targets_rss_mib MiB | $(mib "$hwm_load") MiB | $verdict |"
  echo
  echo "CPU time per request relative to nginx's (median; the cost that decides throughput when the" \
    "cores are shared with other work): home page $(format "$(median <<<"$(ratios "$file" home nginx 7)")" 2) ×," \
    "news article $(format "$(median <<<"$(ratios "$file" news nginx-news 7)")" 2) ×," \
    "signed-in page $(format "$(median <<<"$(ratios "$file" signed-in nginx 7)")" 2) ×. wrk's own CPU time" \
    "is not included."
  echo
  echo "Server RSS: peak under load (VmHWM, reset after signing in) $(mib "$hwm_load") MiB; VmRSS halfway" \
    "through the runs at most $(mib "$rss_mid") MiB; peak before the reset, including the Argon2id" \
    "password check of the sign-in, $(mib "$hwm_login") MiB."
  echo
}

machine_description() {
  local cpu
  cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "$(nproc) CPUs (${cpu:-unknown model}), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
}

# ---------------------------------------------------------------------------------------------
# Main

bench_level() {
  local level="$1" round load_before
  local dir="$tmp/$level"
  mkdir -p "$dir"
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  start_server "$level" "$dir"
  sign_in "$dir"
  save_page "$dir" / index.html
  save_page "$dir" "$news_path" news.html
  start_nginx "$dir" "$level"
  local home_bytes news_bytes signed_in_bytes nginx_bytes nginx_news_bytes
  home_bytes="$(checked_response_size "$server_url/" "$gzip_header")"
  news_bytes="$(checked_response_size "$server_url$news_path" "$gzip_header")"
  signed_in_bytes="$(checked_response_size "$server_url/bereich" "$cookie_header")"
  nginx_bytes="$(checked_response_size "$nginx_url" "$gzip_header")"
  nginx_news_bytes="$(checked_response_size "$nginx_news_url" "$gzip_header")"
  cmp -s "$dir/nginx/www/index.html" <(curl -sS --max-time 10 -H "$gzip_header" "$nginx_url") ||
    fail "nginx does not serve the home page's bytes"
  cmp -s "$dir/nginx/www/news.html" <(curl -sS --max-time 10 -H "$gzip_header" "$nginx_news_url") ||
    fail "nginx does not serve the news article's bytes"

  local hwm_login
  hwm_login="$(rss_kib "$server_pid" VmHWM)"
  # From here on VmHWM is the peak under load; the sign-in's Argon2id buffer is not load.
  echo 5 2>/dev/null >"/proc/$server_pid/clear_refs" ||
    echo "bench: cannot reset VmHWM; the peak includes signing in" >&2
  rss_samples="$dir/rss-samples"
  results="$dir/results"
  : >"$rss_samples"
  : >"$results"
  local -a nginx_pids
  mapfile -t nginx_pids < <(echo "$nginx_pid"; pgrep -P "$nginx_pid")
  for ((round = 1; round <= rounds; round++)); do
    echo "bench: log level $level, round $round/$rounds: nginx, home page, nginx, news article, signed-in page (${seconds} s each)" >&2
    measure "$round" nginx "$nginx_url" "$gzip_header" "$nginx_bytes" "${nginx_pids[@]}"
    measure "$round" home "$server_url/" "$gzip_header" "$home_bytes" "$server_pid"
    measure "$round" nginx-news "$nginx_news_url" "$gzip_header" "$nginx_news_bytes" "${nginx_pids[@]}"
    measure "$round" news "$server_url$news_path" "$gzip_header" "$news_bytes" "$server_pid"
    measure "$round" signed-in "$server_url/bereich" "$cookie_header" "$signed_in_bytes" "$server_pid"
  done
  # The session must still be valid, or the last runs measured something else.
  checked_response_size "$server_url/bereich" "$cookie_header" >/dev/null

  local hwm_load rss_mid
  hwm_load="$(rss_kib "$server_pid" VmHWM)"
  rss_mid="$(maximum <"$rss_samples")"
  stop_all
  report_level "$level" "$results" "$hwm_login" "$hwm_load" "$rss_mid" "$load_before" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" >"$dir/report.md"
}

write_results_file() {
  local section="$1"
  if ! grep -q '^<!-- results:begin -->$' "$results_file" || ! grep -q '^<!-- results:end -->$' "$results_file"; then
    fail "$results_file lacks the <!-- results:begin --> / <!-- results:end --> markers"
  fi
  awk -v section="$section" '
    /^<!-- results:begin -->$/ { print; while ((getline line < section) > 0) print line; skipping = 1; next }
    /^<!-- results:end -->$/ { skipping = 0 }
    !skipping { print }' "$results_file" >"$tmp/RESULTS.md"
  cat "$tmp/RESULTS.md" >"$results_file"
  echo "bench: wrote ${results_file#"$root"/}" >&2
}

# A copy, so that a rebuild during the run neither disturbs it nor changes what was measured.
install -m 755 "$binary" "$tmp/interkommunal"
binary_built="$(date -u -r "$binary" '+%Y-%m-%d %H:%M UTC')"
binary_sha="$(sha256sum "$tmp/interkommunal" | cut -c1-12)"
"$root/scripts/build-assets.sh" "$tmp/assets" >/dev/null
chmod -R go+rX "$tmp/assets"
missed=false
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
for level in "${log_levels[@]}"; do bench_level "$level"; done

section="$tmp/section.md"
{
  echo
  echo "Measured $started on $(machine_description)."
  echo "Server: \`${binary#"$root"/}\` ($threads threads; binary built $binary_built, sha256 $binary_sha);" \
    "$(nginx -v 2>&1 | sed 's|nginx version: ||') with $threads workers;" \
    "$(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }')."
  echo "Each figure: \`wrk -t$wrk_threads -c$wrk_connections -d${seconds}s --latency\` after a ${warmup_seconds} s warm-up," \
    "nginx, then the home page, nginx with the news article, the news article, then the signed-in page, one after the other in the same run;" \
    "public pages with \`-H '$gzip_header'\`."
  echo
  echo "Command: \`$command_line\`"
  echo
  for level in "${log_levels[@]}"; do cat "$tmp/$level/report.md"; done
} >"$section"
cat "$section"
$write_results && write_results_file "$section"
$missed && exit 3
exit 0
