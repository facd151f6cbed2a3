#!/usr/bin/env bash
# Paired overhead measurement: the bare app (A) and one other configuration (B, C or D) run at the
# same time, both pinned to the same CPU, each under its own wrk on the other CPU. Both see the same
# machine at the same moment, so the drift of a noisy virtual machine cancels out. The figure that
# counts is the CPU-per-request ratio: each process's own CPU time (/proc/<pid>/stat) divided by the
# requests it served. The throughput ratio is reported too, but it is no measure of cost: the
# scheduler does not split the shared CPU evenly between the two apps. An A-against-A pair is the
# control (both ratios must read about 1.0).
#
#   benchmarks/harness/paired.sh            # pairs A/A, A/B, A/C, A/D: ~12 min after the jars are built
#   PAIRS='C' ROUNDS=3 benchmarks/harness/paired.sh
#
# Each pair takes its start-up + WARMUP_SECONDS + ROUNDS x MEASURE_SECONDS: with the defaults about
# 2.8 min (A/A, A/B, A/C took 8.4 min together); A/D a little more, as the agent slows start-up. So
# the default PAIRS='A B C D' takes about 12 min, well under 20 even on a busy machine.
# C and D trace 10 % of requests to a local OTLP sink (otlp_sink.py) that this script starts; D is
# A's jar under the OpenTelemetry Java agent, launched as run.sh launches it.
#
# Reuses the jars, the agent and the configuration files of run.sh: run that once first, it builds
# them. Writes results/paired-<date>-<time>.md. Method and caveats: README.md beside this file.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${harness_dir}/lib.sh"
root_dir=$(cd "${harness_dir}/../.." && pwd)

PAIRS=${PAIRS:-A B C D}
ROUNDS=${ROUNDS:-6}
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
MEASURE_SECONDS=${MEASURE_SECONDS:-15}
CONNECTIONS=${CONNECTIONS:-16}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT_A=${PORT_A:-18080}
PORT_X=${PORT_X:-18081}
SINK_PORT=${SINK_PORT:-14318}
# D's Prometheus exporter (the agent's HTTP server and JVM metrics, pulled: nothing scrapes it here).
AGENT_METRICS_PORT=${AGENT_METRICS_PORT:-19464}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
# Rounds whose results are discarded: the JIT of two apps sharing one CPU is still busy then.
DISCARD_ROUNDS=${DISCARD_ROUNDS:-2}
# Extra arguments for the other configuration's app only (never the base's), for experiments such as
# X_ARGS='--observability.tracing.enabled=false': C without tracing, against A in the same minute.
X_ARGS=${X_ARGS:-}
# The configuration every pair is measured against (A, B or C; not D, whose agent metrics port
# would clash), and extra arguments for it alone: BASE=C BASE_ARGS='--observability.tracing.enabled=false'
# PAIRS=C measures what tracing adds to C, directly.
BASE=${BASE:-A}
BASE_ARGS=${BASE_ARGS:-}
# SPLIT=true: no shared CPU. The base and its wrk run on APP_CPU, the other and its wrk on LOAD_CPU,
# so neither app evicts the other's caches; the machine's drift still hits both at once.
SPLIT=${SPLIT:-false}
# ALTERNATE=true: no shared minute. Both apps stay up on APP_CPU, but each round loads them one after
# the other (the base first in odd rounds, the other first in even ones), so each has the CPU to
# itself while measured and neither pays for the other's caches; the throughput ratio then means
# something. Drift slower than a round cancels out.
ALTERNATE=${ALTERNATE:-false}
options_shown=""
if [[ -n "${X_ARGS}" ]]; then
	options_shown="X_ARGS='${X_ARGS}' "
fi
if [[ "${BASE}" != A || -n "${BASE_ARGS}" ]]; then
	options_shown+="BASE=${BASE} BASE_ARGS='${BASE_ARGS}' "
fi
if [[ "${SPLIT}" == true ]]; then
	options_shown+="SPLIT=true "
fi
if [[ "${ALTERNATE}" == true ]]; then
	options_shown+="ALTERNATE=true "
fi
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/paired-${stamp}
results_md=${RESULTS_DIR}/paired-${stamp}.md
# Configurations C and D trace 10 % of requests to the sink, as they do in run.sh.
harness_paths
# For await_port_free (lib.sh).
port_variables="PORT_A, PORT_X, SINK_PORT or AGENT_METRICS_PORT"
pids=()
sink_pid=""

# The apps of the current pair (stop_apps, lib.sh, stops them).
trap 'stop_apps; stop_pid "${sink_pid}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The command line of configuration $1 on port $2 (lib.sh's app_command, with the java on the PATH),
# into the array named by $3; X_ARGS go to the other configuration only, BASE_ARGS to the base.
command_of() {
	local config=$1 port=$2
	local -n command_out=$3
	app_command "${config}" "${port}" java command_out
	local extra=()
	if [[ "${port}" == "${PORT_X}" && -n "${X_ARGS}" ]]; then
		read -r -a extra <<<"${X_ARGS}"
	elif [[ "${port}" == "${PORT_A}" && -n "${BASE_ARGS}" ]]; then
		read -r -a extra <<<"${BASE_ARGS}"
	fi
	command_out+=("${extra[@]}")
}

# The CPU of the app on port $1, and of its wrk: shared (APP_CPU and LOAD_CPU), or split.
app_cpu() {
	if [[ "${SPLIT}" == true && "$1" == "${PORT_X}" ]]; then echo "${LOAD_CPU}"; else echo "${APP_CPU}"; fi
}
load_cpu() {
	if [[ "${SPLIT}" == true ]]; then app_cpu "$1"; else echo "${LOAD_CPU}"; fi
}

start_app() {
	# shellcheck disable=SC2034 # filled by app_command and read by launch_app, through namerefs
	local config=$1 port=$2 cmd
	command_of "${config}" "${port}" cmd
	launch_app "${config}" "${port}" "$(app_cpu "${port}")" cmd
}

# Requests per second of one wrk run, and the requests it completed.
load() {
	local seconds=$1 port=$2
	taskset -c "$(load_cpu "${port}")" wrk -t1 -c"${CONNECTIONS}" -d"${seconds}s" --timeout 5s "http://127.0.0.1:${port}/hello" |
		awk '/requests in/ {n = $1} /Requests\/sec/ {r = $2} END {print r, n}'
}

# Bytes per request from two probes ($1, $2) around a measured phase of $3 requests.
per_request() {
	awk -v b="$1" -v e="$2" -v n="$3" 'BEGIN {if (n > 0) printf "%.0f", (e - b) / n; else print "n/a"}'
}

# CPU time a process has used so far, in clock ticks (user + system, from /proc/<pid>/stat).
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}

# ALTERNATE: loads the app of pid $1 on port $2 alone for MEASURE_SECONDS, writes its req/s and
# requests to work_dir/$3 and prints the CPU ticks it used meanwhile.
load_alone() {
	local pid=$1 port=$2 out=$3 ticks
	ticks=$(cpu_ticks "${pid}")
	load "${MEASURE_SECONDS}" "${port}" >"${work_dir}/${out}"
	echo $(($(cpu_ticks "${pid}") - ticks))
}

# Busy share of one CPU over a window, from /proc/stat.
cpu_busy() {
	awk -v cpu="cpu$1" '$1 == cpu {idle = $5 + $6; total = 0; for (i = 2; i <= NF; i++) total += $i; print total, idle}' /proc/stat
}

pair() {
	local other=$1 round a x before after busy ratio kept pid_a pid_x ticks_a ticks_x cost started
	local requests_a requests_x bytes_a bytes_x alloc_a alloc_x
	await_port_free "${PORT_A}"
	await_port_free "${PORT_X}"
	if [[ "${other}" == D ]]; then
		await_port_free "${AGENT_METRICS_PORT}"
	fi
	: >"${work_dir}/ratios-${other}"
	: >"${work_dir}/costs-${other}"
	: >"${work_dir}/alloc-a-${other}"
	: >"${work_dir}/alloc-x-${other}"
	log "pair ${BASE}/${other}: starting ${BASE} on CPU $(app_cpu "${PORT_A}"), ${other} on CPU $(app_cpu "${PORT_X}")"
	started=${SECONDS}
	start_app "${BASE}" "${PORT_A}"
	pid_a=${pids[-1]}
	start_app "${other}" "${PORT_X}"
	pid_x=${pids[-1]}
	await_healthy "${BASE}" "${PORT_A}" "${pid_a}"
	await_healthy "${other}" "${PORT_X}" "${pid_x}"
	log "pair ${BASE}/${other}: both healthy after $((SECONDS - started)) s; warm-up ${WARMUP_SECONDS} s"
	load "${WARMUP_SECONDS}" "${PORT_A}" >/dev/null &
	local warming=$!
	load "${WARMUP_SECONDS}" "${PORT_X}" >/dev/null
	wait "${warming}"
	for round in $(seq 1 "${ROUNDS}"); do
		before=$(cpu_busy "${APP_CPU}")
		bytes_a=$(allocated "${PORT_A}")
		bytes_x=$(allocated "${PORT_X}")
		if [[ "${ALTERNATE}" == true ]]; then
			if ((round % 2 == 1)); then
				ticks_a=$(load_alone "${pid_a}" "${PORT_A}" a)
				ticks_x=$(load_alone "${pid_x}" "${PORT_X}" x)
			else
				ticks_x=$(load_alone "${pid_x}" "${PORT_X}" x)
				ticks_a=$(load_alone "${pid_a}" "${PORT_A}" a)
			fi
		else
			ticks_a=$(cpu_ticks "${pid_a}")
			ticks_x=$(cpu_ticks "${pid_x}")
			load "${MEASURE_SECONDS}" "${PORT_A}" >"${work_dir}/a" &
			local loading=$!
			load "${MEASURE_SECONDS}" "${PORT_X}" >"${work_dir}/x"
			wait "${loading}"
			ticks_a=$(($(cpu_ticks "${pid_a}") - ticks_a))
			ticks_x=$(($(cpu_ticks "${pid_x}") - ticks_x))
		fi
		after=$(cpu_busy "${APP_CPU}")
		read -r a requests_a <"${work_dir}/a"
		read -r x requests_x <"${work_dir}/x"
		# The idle app allocates next to nothing while the other is loaded (ALTERNATE), so
		# each app's bytes over the round are its measured phase's.
		alloc_a=$(per_request "${bytes_a}" "$(allocated "${PORT_A}")" "${requests_a}")
		alloc_x=$(per_request "${bytes_x}" "$(allocated "${PORT_X}")" "${requests_x}")
		busy=$(awk -v b="${before}" -v e="${after}" 'BEGIN {split(b, p, " "); split(e, q, " "); t = q[1] - p[1]; i = q[2] - p[2]; printf "%.0f", 100 * (t - i) / t}')
		ratio=$(awk -v a="${a}" -v x="${x}" 'BEGIN {printf "%.3f", x / a}')
		# CPU per request of each process, A's over X's: a direct reading of the same ratio.
		cost=$(awk -v a="${a}" -v x="${x}" -v ta="${ticks_a}" -v tx="${ticks_x}" \
			'BEGIN {if (tx == 0 || a == 0) print "n/a"; else printf "%.3f", (ta / a) / (tx / x)}')
		kept=yes
		if ((round <= DISCARD_ROUNDS)); then
			kept="no (JIT warm-up)"
		fi
		log "pair ${BASE}/${other} round ${round}: ${BASE} ${a} req/s, ${other} ${x} req/s, ratio ${ratio}, CPU-per-request ratio ${cost}, allocation ${alloc_a} / ${alloc_x} B per request, CPU ${APP_CPU} busy ${busy} %"
		echo "| ${BASE}/${other} | ${round} | ${a} | ${x} | ${ratio} | ${ticks_a} | ${ticks_x} | ${cost} | ${alloc_a} | ${alloc_x} | ${busy} | ${kept} |" >>"${work_dir}/rows.md"
		if [[ "${kept}" == yes ]]; then
			echo "${ratio}" >>"${work_dir}/ratios-${other}"
			echo "${cost}" >>"${work_dir}/costs-${other}"
			echo "${alloc_a}" >>"${work_dir}/alloc-a-${other}"
			echo "${alloc_x}" >>"${work_dir}/alloc-x-${other}"
		fi
	done
	stop_apps
}

main() {
	local config
	for config in ${PAIRS}; do
		[[ "${config}" =~ ^[ABCD]$ ]] || die "unknown configuration '${config}' in PAIRS (A, B, C or D)"
	done
	[[ "${BASE}" =~ ^[ABC]$ ]] || die "unknown BASE '${BASE}' (A, B or C)"
	[[ "${SPLIT}" != true || "${ALTERNATE}" != true ]] || die "SPLIT and ALTERNATE exclude each other: choose one"
	for config in "${BASE}" ${PAIRS}; do
		[[ -f "$(jar_of "${config}")" ]] ||
			die "$(jar_of "${config}") missing: run benchmarks/harness/run.sh once first (it builds the jars)"
	done
	if [[ " ${PAIRS} " == *" D "* ]]; then
		[[ -f "${agent_jar}" ]] ||
			die "${agent_jar} missing: run benchmarks/harness/run.sh once first (it fetches the OpenTelemetry Java agent for D)"
		local port
		for port in "${PORT_A}" "${PORT_X}" "${SINK_PORT}"; do
			[[ "${AGENT_METRICS_PORT}" != "${port}" ]] ||
				die "AGENT_METRICS_PORT (${AGENT_METRICS_PORT}) must differ from PORT_A, PORT_X and SINK_PORT"
		done
	fi
	mkdir -p "${work_dir}" "${RESULTS_DIR}"
	: >"${work_dir}/rows.md"
	local count
	count=$(wc -w <<<"${PAIRS}")
	local turns=1
	if [[ "${ALTERNATE}" == true ]]; then
		turns=2
	fi
	log "${count} pair(s) x (start-up + ${WARMUP_SECONDS} s warm-up + ${ROUNDS} x ${turns} x ${MEASURE_SECONDS} s):" \
		"about $((count * (WARMUP_SECONDS + ROUNDS * turns * MEASURE_SECONDS + 15) / 60 + 1)) min"
	await_port_free "${SINK_PORT}"
	start_sink
	local traces_before traces
	for config in ${PAIRS}; do
		traces_before=$(sink_posts /v1/traces)
		pair "${config}"
		traces=$(($(sink_posts /v1/traces) - traces_before))
		echo "${traces}" >"${work_dir}/traces-${config}"
		# C with X_ARGS that switch its tracing off, or sample no request, sends nothing, as asked.
		if [[ "${config}" == C && " ${X_ARGS} " =~ \ --observability\.tracing\.(enabled=false|sample-rate=0(\.0*)?)\  ]]; then
			continue
		fi
		if [[ "${config}" == C || "${config}" == D ]] && ((traces < 1)); then
			log "WARNING: pair ${BASE}/${config}: the sink received no trace POST; is ${config}'s tracing on?"
		fi
	done
	{
		echo "# Paired overhead run: $(date -u '+%Y-%m-%d %H:%M') UTC"
		echo
		echo "Method: [benchmarks/harness/README.md](../README.md#paired-runs). ${BASE} (the base) and the other configuration run at"
		if [[ "${ALTERNATE}" == true ]]; then
			echo "the same time on CPU ${APP_CPU}, but loaded in turn (alternating which goes first), each alone under \`wrk -t1 -c${CONNECTIONS}\` on CPU ${LOAD_CPU};"
		elif [[ "${SPLIT}" == true ]]; then
			echo "the same time, split: ${BASE} and its \`wrk -t1 -c${CONNECTIONS}\` on CPU ${APP_CPU}, the other and its wrk on CPU ${LOAD_CPU};"
		else
			echo "the same time on CPU ${APP_CPU}, each under \`wrk -t1 -c${CONNECTIONS}\` on CPU ${LOAD_CPU};"
		fi
		echo "${WARMUP_SECONDS} s of warm-up, then ${ROUNDS} rounds of ${MEASURE_SECONDS} s, the first ${DISCARD_ROUNDS} discarded."
		if [[ "${ALTERNATE}" == true ]]; then
			echo "Throughput ratio = req/s of the configuration / req/s of ${BASE} in the same round, each measured with"
			echo "CPU ${APP_CPU} to itself: the ratio the issue's throughput target reads, less the drift between two turns."
		else
			echo "Throughput ratio = req/s of the configuration / req/s of ${BASE} in the same round; it is no measure of"
			echo "cost, because the two apps do not get the same CPU time (shared, the scheduler does not split it evenly)."
		fi
		echo
		echo "CPU-per-request ratio = (${BASE}'s CPU ticks / ${BASE}'s requests) / (the other's CPU ticks / its requests),"
		echo "from each process's user + system time in /proc/<pid>/stat over the round: below 1 when the other"
		echo "configuration costs more CPU per request."
		echo
		echo "Allocation per request = heap bytes the process allocated over the round (all its threads, from the"
		echo "apps' \`/allocated-bytes\` probe, as in run.sh) / the requests it served in the round."
		echo
		echo "| pair | median throughput ratio | median CPU-per-request ratio | median allocation per request, ${BASE} / other (B) | trace POSTs to the sink |"
		echo "|---|---|---|---|---|"
		for config in ${PAIRS}; do
			echo "| ${BASE}/${config} | $(median_formatted '%.3f' <"${work_dir}/ratios-${config}") | $(median_formatted '%.3f' <"${work_dir}/costs-${config}") | $(median_formatted '%.0f' <"${work_dir}/alloc-a-${config}") / $(median_formatted '%.0f' <"${work_dir}/alloc-x-${config}") | $(cat "${work_dir}/traces-${config}") |"
		done
		echo
		echo "| pair | round | ${BASE} req/s | other req/s | ratio | ${BASE} CPU ticks | other CPU ticks | CPU-per-request ratio | ${BASE} B/request | other B/request | CPU ${APP_CPU} busy % | kept |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
		cat "${work_dir}/rows.md"
		echo
		machine_line
		if [[ " ${PAIRS} " == *" D "* ]]; then
			echo
			echo "D: A's jar under the OpenTelemetry Java agent $(agent_version "${agent_jar}"), traces 10 % to the sink;"
			echo "launched as (paths relative to the repository root):"
			local launch
			command_of D "${PORT_X}" launch
			echo "\`taskset -c $(app_cpu "${PORT_X}") $(printf '%s ' "${launch[@]}" | sed "s:${root_dir}/::g; s/ $//")\`"
		fi
		echo
		echo "Command: \`${options_shown}PAIRS='${PAIRS}' ROUNDS=${ROUNDS} DISCARD_ROUNDS=${DISCARD_ROUNDS} WARMUP_SECONDS=${WARMUP_SECONDS} MEASURE_SECONDS=${MEASURE_SECONDS} CONNECTIONS=${CONNECTIONS} JAVA_OPTS='${JAVA_OPTS}' benchmarks/harness/paired.sh\`"
	} >"${results_md}"
	log "results: ${results_md}"
}

main "$@"
