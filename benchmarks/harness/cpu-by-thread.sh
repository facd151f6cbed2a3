#!/usr/bin/env bash
# Where one configuration's CPU goes per request, by thread: the request threads, the span export
# threads, the garbage collector, the JIT compilers... Paired runs give one CPU-per-request figure for
# a whole process; this splits it, so that a cost that lives off the request threads (exporting
# spans, collecting their garbage) is seen as such. JFR's execution samples (profile-request.sh)
# cover Java frames only and miss the JVM's own threads.
#
#   benchmarks/harness/cpu-by-thread.sh C                                                # C as measured
#   LAUNCHES=3 benchmarks/harness/cpu-by-thread.sh C --observability.tracing.sample-rate=0.0
#
# The app (run.sh's jar and configuration files; run that once first) starts alone, pinned to
# APP_CPU, gets WARMUP_SECONDS of `wrk -t1 -c16` from LOAD_CPU, then MEASURE_SECONDS more while
# thread-cpu.sh (on LOAD_CPU) reads every thread's user + system time at both ends of the window.
# Each thread's ticks over the window, divided by the requests wrk completed in it, give microseconds
# of CPU per request; the window of thread-cpu.sh is a fraction of a second longer than wrk's (the
# time its snapshots take), so the figures are a little high, alike for every thread. LAUNCHES=n
# starts the app n times and reports the median of the launches with each launch's figure.
# Writes results/cpu-by-thread-<config>-<date>-<time>.md.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${harness_dir}/lib.sh"

config=${1:?usage: cpu-by-thread.sh A|B|C|D [extra app arguments...]}
shift
[[ "${config}" =~ ^[ABCD]$ ]] || die "unknown configuration '${config}' (A, B, C or D)"
LAUNCHES=${LAUNCHES:-1}
WARMUP_SECONDS=${WARMUP_SECONDS:-${STEADY_WARMUP_SECONDS}}
MEASURE_SECONDS=${MEASURE_SECONDS:-20}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT=${PORT:-18080}
SINK_PORT=${SINK_PORT:-14318}
AGENT_METRICS_PORT=${AGENT_METRICS_PORT:-19464}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}
[[ "${LAUNCHES}" =~ ^[1-9][0-9]*$ ]] || die "LAUNCHES must be a whole number, 1 or more: '${LAUNCHES}'"

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/cpu-by-thread-${stamp}
results_md=${RESULTS_DIR}/cpu-by-thread-${config}-${stamp}.md
harness_paths
port_variables="PORT, SINK_PORT or AGENT_METRICS_PORT"
pids=()
sink_pid=""
trap 'stop_apps; stop_pid "${sink_pid}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ -f "$(jar_of "${config}")" ]] || die "$(jar_of "${config}") missing: run benchmarks/harness/run.sh once first"
if [[ "${config}" == D ]]; then
	[[ -f "${agent_jar}" ]] || die "${agent_jar} missing: run benchmarks/harness/run.sh once first"
fi
mkdir -p "${work_dir}" "${RESULTS_DIR}"
log "${LAUNCHES} launch(es) of ${config} x (start-up + ${WARMUP_SECONDS} s + ${MEASURE_SECONDS} s):" \
	"about $((LAUNCHES * (WARMUP_SECONDS + MEASURE_SECONDS + 15) / 60 + 1)) min"
await_port_free "${SINK_PORT}"
start_sink

# One launch ($1): per-thread microseconds per request into work_dir/threads-<launch> (name, us, us
# of it in the kernel), and "req/s B/request trace-POSTs" into work_dir/totals-<launch>.
measure_launch() {
	local launch=$1 cmd pid bytes requests rate posts
	await_port_free "${PORT}"
	if [[ "${config}" == D ]]; then
		await_port_free "${AGENT_METRICS_PORT}"
	fi
	app_command "${config}" "${PORT}" java cmd
	cmd+=("$@")
	launch_app "${config}" "${PORT}" "${APP_CPU}" cmd
	pid=${pids[-1]}
	await_healthy "${config}" "${PORT}" "${pid}"
	log "launch ${launch}: ${config} up; warm-up ${WARMUP_SECONDS} s"
	taskset -c "${LOAD_CPU}" wrk -t1 -c16 -d"${WARMUP_SECONDS}s" --timeout 5s "http://127.0.0.1:${PORT}/hello" >/dev/null
	posts=$(sink_posts /v1/traces)
	bytes=$(allocated "${PORT}")
	taskset -c "${LOAD_CPU}" "${harness_dir}/thread-cpu.sh" "${pid}" "${MEASURE_SECONDS}" >"${work_dir}/thread-cpu-${launch}.txt" &
	local reading=$!
	read -r rate requests < <(taskset -c "${LOAD_CPU}" wrk -t1 -c16 -d"${MEASURE_SECONDS}s" --timeout 5s "http://127.0.0.1:${PORT}/hello" |
		awk '/requests in/ {n = $1} /Requests\/sec/ {r = $2} END {print r, n}')
	wait "${reading}"
	[[ "${requests:-0}" =~ ^[1-9][0-9]*$ ]] || die "launch ${launch}: wrk completed no request in the window; see ${work_dir}/${config}-${PORT}.log"
	echo "${rate} $(awk -v b="${bytes}" -v e="$(allocated "${PORT}")" -v n="${requests}" 'BEGIN {printf "%.0f", (e - b) / n}') $(($(sink_posts /v1/traces) - posts))" \
		>"${work_dir}/totals-${launch}"
	# thread-cpu.sh's lines: ticks, system ticks, share, folded name (which may hold spaces); the
	# last is the total.
	awk -v n="${requests}" -v hz="$(getconf CLK_TCK)" 'NR > 1 && $3 != "total:" {
		ticks = $1; kernel = $2; $1 = ""; $2 = ""; $3 = ""; sub(/^ +/, "")
		printf "%s\t%.3f\t%.3f\n", $0, ticks * 1e6 / hz / n, kernel * 1e6 / hz / n }' \
		"${work_dir}/thread-cpu-${launch}.txt" >"${work_dir}/threads-${launch}"
	log "launch ${launch}: ${rate} req/s; $(awk -F '\t' '{s += $2} END {printf "%.2f", s}' "${work_dir}/threads-${launch}") us of CPU per request"
	stop_apps
}

for launch in $(seq 1 "${LAUNCHES}"); do
	measure_launch "${launch}" "$@"
done

# The median, with every launch's value formatted as $2, of what `awk "${@:3}"` prints from each
# launch's file $1-<launch>.
per_launch() {
	local file=$1 format=$2 launch
	shift 2
	for launch in $(seq 1 "${LAUNCHES}"); do
		awk "$@" "${work_dir}/${file}-${launch}"
	done | median_and_values "${format}"
}

# Column $1 of the launches' totals files.
# shellcheck disable=SC2016 # the single-quoted argument is an awk program
over_launches() {
	per_launch totals '%.0f' -v c="$1" '{print $c}'
}

# Column $2 of thread $1's line in the launches' threads files (0 where a launch lacks the thread).
# shellcheck disable=SC2016 # the single-quoted argument is an awk program
of_thread() {
	per_launch threads '%.2f' -F '\t' -v n="$1" -v c="$2" '$1 == n {v = $c} END {print (v == "" ? 0 : v)}'
}

# Column $1 of the launches' threads files, summed over the threads.
# shellcheck disable=SC2016 # the single-quoted argument is an awk program
of_all_threads() {
	per_launch threads '%.2f' -F '\t' -v c="$1" '{s += $c} END {print s}'
}

# Every thread name seen in any launch, by its total over the launches, highest first.
names=$(cat "${work_dir}"/threads-* | awk -F '\t' '{s[$1] += $2} END {for (n in s) printf "%.6f\t%s\n", s[n], n}' |
	sort -gr | cut -f2)
{
	echo "# CPU per request by thread, ${config}: $(date -u '+%Y-%m-%d %H:%M') UTC"
	echo
	echo "Method: [benchmarks/harness/README.md](../README.md#where-a-processs-cpu-goes-by-thread). ${config} alone"
	echo "on CPU ${APP_CPU} under \`wrk -t1 -c16\` on CPU ${LOAD_CPU}; ${WARMUP_SECONDS} s of warm-up, then ${MEASURE_SECONDS} s measured:"
	echo "each thread's user + system time over the window / the requests served in it, and the system time"
	echo "(the kernel's work for the thread) alone. ${LAUNCHES} launch(es);"
	if ((LAUNCHES > 1)); then
		echo "each cell is the median of the launches, with every launch's figure in parentheses."
	else
		echo "one figure per cell."
	fi
	echo
	echo "| thread (numbers folded) | CPU per request (µs) | of it in the kernel (µs) |"
	echo "|---|---|---|"
	while IFS= read -r name; do
		[[ -n "${name}" ]] || continue
		echo "| ${name} | $(of_thread "${name}" 2) | $(of_thread "${name}" 3) |"
	done <<<"${names}"
	echo "| **all threads** | $(of_all_threads 2) | $(of_all_threads 3) |"
	echo
	echo "| req/s | allocation (B/request) | trace POSTs to the sink in the window |"
	echo "|---|---|---|"
	echo "| $(over_launches 1) | $(over_launches 2) | $(over_launches 3) |"
	echo
	command_footer "LAUNCHES=${LAUNCHES} WARMUP_SECONDS=${WARMUP_SECONDS} MEASURE_SECONDS=${MEASURE_SECONDS} JAVA_OPTS='${JAVA_OPTS}' benchmarks/harness/cpu-by-thread.sh ${config}" "$@"
} >"${results_md}"
log "results: ${results_md}"
