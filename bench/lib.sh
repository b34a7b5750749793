# Shared by the side-by-side benchmark scripts: building, free ports, starting and stopping the
# systems, and reading their numbers. Everything listens on 127.0.0.1 only.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARGUS="$BENCH_ROOT/build/release/src/cmd/argus"
SYNTH="$BENCH_ROOT/build/release/bench/synth"

build_release() {
  (cd "$BENCH_ROOT" && CC=clang-14 CXX=clang++-14 cmake -S . -B build/release -G Ninja \
    -DCMAKE_BUILD_TYPE=Release >/dev/null && cmake --build build/release --target argus synth)
}

free_port() {  # A port on 127.0.0.1 that nothing listens on.
  local p
  while :; do
    p=$(shuf -i 20000-60000 -n 1)
    (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

wait_http() {  # wait_http URL SECONDS
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1"; do
    [ $SECONDS -ge $deadline ] && { echo "bench: $1 did not answer" >&2; return 1; }
    sleep 0.2
  done
}

# metric_sum URL NAME: the sum of every sample of NAME (any labels) on a /metrics page.
metric_sum() {
  curl -sf "$1" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%.0f\n", s }'
}

# wait_compacted URL: waits until the TSDB behind URL has stopped compacting: neither its count of
# compactions nor of loaded blocks changed for 75 s, longer than one compaction interval (60 s).
# Imported blocks are merged in the first rounds after start; queries timed during them would
# share the machine with the merge.
wait_compacted() {
  local last="" now stable_since=$SECONDS
  while [ $((SECONDS - stable_since)) -lt 75 ]; do
    now="$(metric_sum "$1/metrics" prometheus_tsdb_compactions_total) $(metric_sum "$1/metrics" prometheus_tsdb_blocks_loaded)"
    [ "$now" = "$last" ] || { last=$now; stable_since=$SECONDS; }
    sleep 5
  done
}

# samples_held URL TIME: how many samples with timestamps in the 30 minutes up to TIME (Unix
# seconds) the system at URL answers queries with; metric by metric, to stay below the systems'
# limits on the samples one query may load.
samples_held() {
  local total=0 name n
  for name in $(curl -sf "$1/api/v1/label/__name__/values" | jq -r '.data[]'); do
    n=$(curl -sf "$1/api/v1/query" --data-urlencode nocache=1 --data-urlencode "time=$2" \
      --data-urlencode "query=sum(count_over_time({__name__=\"$name\"}[30m]))" |
      jq -r '.data.result[0].value[1] // 0')
    total=$((total + n))
  done
  echo "$total"
}

# cpu_seconds PID: user + system CPU time of the process so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15) / hz }' "/proc/$1/stat"
}

# peak_rss_kb PID: the process' peak resident set size.
peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

stop_pid() {  # stop_pid PID: SIGTERM, then SIGKILL after 30 s.
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$1" 2>/dev/null || true
}

# start_system NAME DIR PORT CONFIG: starts argus, prometheus or victoria-metrics with its
# default settings on DIR, listening on PORT, scraping what CONFIG (prometheus.yml) says; sets
# SYSTEM_PID and SYSTEM_METRICS (its /metrics URL).
start_system() {
  local name=$1 dir=$2 port=$3 config=$4
  case $name in
    argus)
      "$ARGUS" --config.file="$config" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$port" >"$dir/log" 2>&1 &
      ;;
    prometheus)
      prometheus --config.file="$config" --storage.tsdb.path="$dir/data" \
        --web.listen-address="127.0.0.1:$port" >"$dir/log" 2>&1 &
      ;;
    victoria-metrics)
      victoria-metrics -promscrape.config="$config" -storageDataPath="$dir/data" \
        -httpListenAddr="127.0.0.1:$port" >"$dir/log" 2>&1 &
      ;;
  esac
  SYSTEM_PID=$!
  SYSTEM_METRICS="http://127.0.0.1:$port/metrics"
  wait_http "$SYSTEM_METRICS" 60
}

# ready_path NAME: the path that answers 200 once the system serves queries.
ready_path() {
  case $1 in
    argus | prometheus) echo /-/ready ;;
    victoria-metrics) echo /health ;;
  esac
}

# The counter of samples each system has written to its storage.
samples_metric() {
  case $1 in
    argus | prometheus) echo prometheus_tsdb_head_samples_appended_total ;;
    victoria-metrics) echo vm_rows_added_to_storage_total ;;
  esac
}

# ratio A B: A/B with two decimals, or "n/a".
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f\n", a / b }'; }

machine_line() {
  echo "$(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(date -u +%Y-%m-%d)"
}
