#!/usr/bin/env bash
# Paired overhead measurement: the bare app (A) and one other configuration (B or C) run at the same
# time, both pinned to the same CPU, each under its own wrk on the other CPU. Both see the same
# machine at the same moment, so the drift of a noisy virtual machine cancels out. The figure that
# counts is the CPU-per-request ratio: each process's own CPU time (/proc/<pid>/stat) divided by the
# requests it served. The throughput ratio is reported too, but it is no measure of cost: the
# scheduler does not split the shared CPU evenly between the two apps. An A-against-A pair is the
# control (both ratios must read about 1.0).
#
#   benchmarks/harness/paired.sh            # pairs A/A, A/B, A/C; ~9 min after the jars are built
#   PAIRS='C' ROUNDS=3 benchmarks/harness/paired.sh
#
# Reuses the jars and configuration files of run.sh: run that once first, it builds them.
# Writes results/paired-<date>-<time>.md. Method and caveats: README.md beside this file.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root_dir=$(cd "${harness_dir}/../.." && pwd)

PAIRS=${PAIRS:-A B C}
ROUNDS=${ROUNDS:-6}
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
MEASURE_SECONDS=${MEASURE_SECONDS:-15}
CONNECTIONS=${CONNECTIONS:-16}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT_A=${PORT_A:-18080}
PORT_X=${PORT_X:-18081}
SINK_PORT=${SINK_PORT:-14318}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
# Rounds whose results are discarded: the JIT of two apps sharing one CPU is still busy then.
DISCARD_ROUNDS=${DISCARD_ROUNDS:-2}
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/paired-${stamp}
results_md=${RESULTS_DIR}/paired-${stamp}.md
config_dir=${harness_dir}/config
# Configuration C traces 10 % of requests to this sink, as configuration D does in run.sh.
sink_url=http://127.0.0.1:${SINK_PORT}
export OTLP_SINK_ENDPOINT=${sink_url}
pids=()
sink_pid=""

log() {
	echo "$(date +%H:%M:%S) $*" >&2
}

cleanup() {
	local pid
	for pid in "${pids[@]}"; do
		kill "${pid}" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "${pid}" 2>/dev/null || true
	done
}
stop_sink() {
	if [[ -n "${sink_pid}" ]]; then
		kill "${sink_pid}" 2>/dev/null || true
		wait "${sink_pid}" 2>/dev/null || true
	fi
}
trap 'cleanup; stop_sink' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

jar_of() {
	case "$1" in
	A) echo "${harness_dir}/app/bare/target/harness-bare.jar" ;;
	B) echo "${harness_dir}/app/actuator/target/harness-actuator.jar" ;;
	C) echo "${harness_dir}/app/starter/target/harness-starter.jar" ;;
	*) echo "unknown configuration $1 (A, B or C)" >&2 && exit 2 ;;
	esac
}

config_of() {
	local files="file:${config_dir}/common.properties"
	case "$1" in
	B) files+=",file:${config_dir}/b-actuator.properties" ;;
	C) files+=",file:${config_dir}/c-starter.yml" ;;
	esac
	echo "${files}"
}

start_app() {
	local config=$1 port=$2
	# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
	taskset -c "${APP_CPU}" java ${JAVA_OPTS} -jar "$(jar_of "${config}")" \
		--spring.config.additional-location="$(config_of "${config}")" --server.port="${port}" \
		>"${work_dir}/${config}-${port}.log" 2>&1 &
	pids+=("$!")
}

await_healthy() {
	local port=$1 _
	for _ in $(seq 1 240); do
		if curl -sf "http://127.0.0.1:${port}/hello" >/dev/null; then
			return 0
		fi
		sleep 0.5
	done
	echo "the app on port ${port} did not answer within 120 s" >&2
	exit 1
}

# Requests per second of one wrk run.
load() {
	local seconds=$1 port=$2
	taskset -c "${LOAD_CPU}" wrk -t1 -c"${CONNECTIONS}" -d"${seconds}s" --timeout 5s "http://127.0.0.1:${port}/hello" |
		awk '/Requests\/sec/ {print $2}'
}

# Trace POSTs the sink has received so far.
sink_traces() {
	curl -sf "${sink_url}/counts" | awk '$1 == "/v1/traces" { print $2 }' | grep . || echo 0
}

start_sink() {
	local _
	taskset -c "${LOAD_CPU}" python3 "${harness_dir}/otlp_sink.py" "${SINK_PORT}" >"${work_dir}/sink.log" 2>&1 &
	sink_pid=$!
	for _ in $(seq 1 100); do
		if curl -sf "${sink_url}/counts" >/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "the OTLP sink did not answer within 10 s: $(cat "${work_dir}/sink.log")" >&2
	exit 1
}

# CPU time a process has used so far, in clock ticks (user + system, from /proc/<pid>/stat).
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}

# Busy share of one CPU over a window, from /proc/stat.
cpu_busy() {
	awk -v cpu="cpu$1" '$1 == cpu {idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total, idle}' /proc/stat
}

pair() {
	local other=$1 round a x before after busy ratio kept pid_a pid_x ticks_a ticks_x cost
	log "pair A/${other}: starting both on CPU ${APP_CPU}"
	start_app A "${PORT_A}"
	pid_a=${pids[-1]}
	start_app "${other}" "${PORT_X}"
	pid_x=${pids[-1]}
	await_healthy "${PORT_A}"
	await_healthy "${PORT_X}"
	log "pair A/${other}: warm-up ${WARMUP_SECONDS} s"
	load "${WARMUP_SECONDS}" "${PORT_A}" >/dev/null &
	local warming=$!
	load "${WARMUP_SECONDS}" "${PORT_X}" >/dev/null
	wait "${warming}"
	for round in $(seq 1 "${ROUNDS}"); do
		before=$(cpu_busy "${APP_CPU}")
		ticks_a=$(cpu_ticks "${pid_a}")
		ticks_x=$(cpu_ticks "${pid_x}")
		load "${MEASURE_SECONDS}" "${PORT_A}" >"${work_dir}/a" &
		local loading=$!
		load "${MEASURE_SECONDS}" "${PORT_X}" >"${work_dir}/x"
		wait "${loading}"
		after=$(cpu_busy "${APP_CPU}")
		ticks_a=$(($(cpu_ticks "${pid_a}") - ticks_a))
		ticks_x=$(($(cpu_ticks "${pid_x}") - ticks_x))
		a=$(cat "${work_dir}/a")
		x=$(cat "${work_dir}/x")
		busy=$(awk -v b="${before}" -v e="${after}" 'BEGIN {split(b, p, " "); split(e, q, " "); t = q[1] - p[1]; i = q[2] - p[2]; printf "%.0f", 100 * (t - i) / t}')
		ratio=$(awk -v a="${a}" -v x="${x}" 'BEGIN {printf "%.3f", x / a}')
		# CPU per request of each process, A's over X's: a direct reading of the same ratio.
		cost=$(awk -v a="${a}" -v x="${x}" -v ta="${ticks_a}" -v tx="${ticks_x}" \
			'BEGIN {if (tx == 0 || a == 0) print "n/a"; else printf "%.3f", (ta / a) / (tx / x)}')
		kept=yes
		if ((round <= DISCARD_ROUNDS)); then
			kept="no (JIT warm-up)"
		fi
		log "pair A/${other} round ${round}: A ${a} req/s, ${other} ${x} req/s, ratio ${ratio}, CPU-per-request ratio ${cost}, CPU ${APP_CPU} busy ${busy} %"
		echo "| A/${other} | ${round} | ${a} | ${x} | ${ratio} | ${ticks_a} | ${ticks_x} | ${cost} | ${busy} | ${kept} |" >>"${work_dir}/rows.md"
		if [[ "${kept}" == yes ]]; then
			echo "${ratio}" >>"${work_dir}/ratios-${other}"
			echo "${cost}" >>"${work_dir}/costs-${other}"
		fi
	done
	cleanup
	pids=()
}

median() {
	sort -n "$1" | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

main() {
	mkdir -p "${work_dir}" "${RESULTS_DIR}"
	local config
	for config in A ${PAIRS}; do
		if [[ ! -f "$(jar_of "${config}")" ]]; then
			echo "$(jar_of "${config}") missing: run benchmarks/harness/run.sh once first (it builds the jars)" >&2
			exit 1
		fi
	done
	: >"${work_dir}/rows.md"
	start_sink
	local traces_before
	for config in ${PAIRS}; do
		traces_before=$(sink_traces)
		pair "${config}"
		echo "$(($(sink_traces) - traces_before))" >"${work_dir}/traces-${config}"
	done
	{
		echo "# Paired overhead run: $(date -u '+%Y-%m-%d %H:%M') UTC"
		echo
		echo "Method: [benchmarks/harness/README.md](../README.md#paired-runs). A and the other configuration run at"
		echo "the same time on CPU ${APP_CPU}, each under \`wrk -t1 -c${CONNECTIONS}\` on CPU ${LOAD_CPU};"
		echo "${WARMUP_SECONDS} s of warm-up, then ${ROUNDS} rounds of ${MEASURE_SECONDS} s, the first ${DISCARD_ROUNDS} discarded."
		echo "Throughput ratio = req/s of the configuration / req/s of A in the same round; it is no measure of"
		echo "cost, because the scheduler does not split the shared CPU evenly between the two apps."
		echo
		echo "CPU-per-request ratio = (A's CPU ticks / A's requests) / (the other's CPU ticks / its requests),"
		echo "from each process's user + system time in /proc/<pid>/stat over the round: below 1 when the other"
		echo "configuration costs more CPU per request."
		echo
		echo "| pair | median throughput ratio | median CPU-per-request ratio | trace POSTs to the sink |"
		echo "|---|---|---|---|"
		for config in ${PAIRS}; do
			echo "| A/${config} | $(median "${work_dir}/ratios-${config}") | $(median "${work_dir}/costs-${config}") | $(cat "${work_dir}/traces-${config}") |"
		done
		echo
		echo "| pair | round | A req/s | other req/s | ratio | A CPU ticks | other CPU ticks | CPU-per-request ratio | CPU ${APP_CPU} busy % | kept |"
		echo "|---|---|---|---|---|---|---|---|---|---|"
		cat "${work_dir}/rows.md"
		echo
		echo "Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo);" \
			"$(java -version 2>&1 | head -1); tree \`$(git -C "${root_dir}" describe --always --dirty)\`."
		echo
		echo "Command: \`PAIRS='${PAIRS}' ROUNDS=${ROUNDS} WARMUP_SECONDS=${WARMUP_SECONDS} MEASURE_SECONDS=${MEASURE_SECONDS} CONNECTIONS=${CONNECTIONS} JAVA_OPTS='${JAVA_OPTS}' benchmarks/harness/paired.sh\`"
	} >"${results_md}"
	log "results: ${results_md}"
}

main "$@"
