#!/usr/bin/env bash
# Paired start-ups: two configurations start at the same moment, both pinned to the same CPU, and
# each one's own CPU time (user + system, /proc/<pid>/stat) is read when it first answers 200 on
# /hello. Both start-ups see the same machine at the same moment, so the drift of a noisy virtual
# machine cancels out of their ratio; one start at a time does not (run.sh's start-up column: the
# same app took 9.6 s and 17.7 s an hour apart here). The CPU seconds of an app pinned alone to one
# CPU are its start-up time; the two measure the same cost.
#
#   benchmarks/harness/startup-pairs.sh                  # A/B, B/C and B/D, 8 rounds each: ~12 min
#   PAIRS='B/C A/C' ROUNDS=4 benchmarks/harness/startup-pairs.sh
#
# Each pair is FIRST/SECOND; the ratio is SECOND's CPU seconds over FIRST's (above 1: SECOND starts
# slower). Rounds alternate which of the two is launched first. Reuses run.sh's jars, agent and
# configuration files (run it once first); C and D get the OTLP sink's address as in the other
# scripts, and the sink runs. Writes results/startup-pairs-<date>-<time>.md.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${harness_dir}/lib.sh"

PAIRS=${PAIRS:-A/B B/C B/D}
ROUNDS=${ROUNDS:-8}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT_1=${PORT_1:-18091}
PORT_2=${PORT_2:-18092}
SINK_PORT=${SINK_PORT:-14318}
AGENT_METRICS_PORT=${AGENT_METRICS_PORT:-19464}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/startup-pairs-${stamp}
results_md=${RESULTS_DIR}/startup-pairs-${stamp}.md
harness_paths
port_variables="PORT_1, PORT_2, SINK_PORT or AGENT_METRICS_PORT"
pids=()
sink_pid=""

# The apps of the current round (stop_apps, lib.sh, stops them).
trap 'stop_apps; stop_pid "${sink_pid}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# CPU time of a process so far, in seconds (user + system of all its threads).
cpu_seconds() {
	awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}

# Starts configuration $1 on port $2 pinned to APP_CPU; its pid is appended to pids.
start_app() {
	# shellcheck disable=SC2034 # filled by app_command and read by launch_app, through namerefs
	local config=$1 port=$2 cmd
	app_command "${config}" "${port}" java cmd
	launch_app "${config}" "${port}" "${APP_CPU}" cmd
}

# "<CPU seconds> <wall seconds since $2>" of process $1, now.
reading() {
	echo "$(cpu_seconds "$1") $(awk -v s="$2" -v n="$(date +%s.%N)" 'BEGIN {printf "%.2f", n - s}')"
}

# Polls both apps (at most 240 s) and prints "<cpu seconds> <wall seconds>" of each when it first
# answers 200 on /hello, first app first.
await_both() {
	local pid_1=$1 pid_2=$2 started=$3 reading_1="" reading_2="" _
	for _ in $(seq 1 2400); do
		if [[ -z "${reading_1}" && "$(http_status "http://127.0.0.1:${PORT_1}/hello")" == 200 ]]; then
			reading_1=$(reading "${pid_1}" "${started}")
		fi
		if [[ -z "${reading_2}" && "$(http_status "http://127.0.0.1:${PORT_2}/hello")" == 200 ]]; then
			reading_2=$(reading "${pid_2}" "${started}")
		fi
		[[ -n "${reading_1}" && -n "${reading_2}" ]] && break
		kill -0 "${pid_1}" 2>/dev/null || die "the app on port ${PORT_1} exited during start-up; see ${work_dir}"
		kill -0 "${pid_2}" 2>/dev/null || die "the app on port ${PORT_2} exited during start-up; see ${work_dir}"
		sleep 0.1
	done
	[[ -n "${reading_1}" && -n "${reading_2}" ]] || die "an app did not answer within 240 s; see ${work_dir}"
	echo "${reading_1} ${reading_2}"
}

pair() {
	local first=$1 second=$2 round started pid_1 pid_2 readings cpu_1 wall_1 cpu_2 wall_2 ratio
	: >"${work_dir}/ratios-${first}-${second}"
	for round in $(seq 1 "${ROUNDS}"); do
		await_port_free "${PORT_1}"
		await_port_free "${PORT_2}"
		await_port_free "${AGENT_METRICS_PORT}"
		started=$(date +%s.%N)
		# Alternate which JVM is forked first, so that neither always gets the head start.
		if ((round % 2)); then
			start_app "${first}" "${PORT_1}"
			start_app "${second}" "${PORT_2}"
			pid_1=${pids[0]} pid_2=${pids[1]}
		else
			start_app "${second}" "${PORT_2}"
			start_app "${first}" "${PORT_1}"
			pid_2=${pids[0]} pid_1=${pids[1]}
		fi
		readings=$(await_both "${pid_1}" "${pid_2}" "${started}")
		read -r cpu_1 wall_1 cpu_2 wall_2 <<<"${readings}"
		stop_apps
		ratio=$(awk -v a="${cpu_1}" -v b="${cpu_2}" 'BEGIN {printf "%.3f", b / a}')
		log "${first}/${second} round ${round}: ${first} ${cpu_1} s CPU (${wall_1} s wall), ${second} ${cpu_2} s CPU (${wall_2} s wall), ratio ${ratio}"
		echo "| ${first}/${second} | ${round} | ${cpu_1} | ${cpu_2} | ${ratio} | ${wall_1} | ${wall_2} |" >>"${work_dir}/rows.md"
		echo "${ratio}" >>"${work_dir}/ratios-${first}-${second}"
	done
}

main() {
	local spec first second config
	for spec in ${PAIRS}; do
		[[ "${spec}" =~ ^[ABCD]/[ABCD]$ ]] || die "unknown pair '${spec}' in PAIRS (FIRST/SECOND, each A, B, C or D)"
		for config in ${spec/\// }; do
			[[ -f "$(jar_of "${config}")" ]] ||
				die "$(jar_of "${config}") missing: run benchmarks/harness/run.sh once first (it builds the jars)"
			if [[ "${config}" == D && ! -f "${agent_jar}" ]]; then
				die "${agent_jar} missing: run benchmarks/harness/run.sh once first (it fetches the agent)"
			fi
		done
	done
	mkdir -p "${work_dir}" "${RESULTS_DIR}"
	: >"${work_dir}/rows.md"
	await_port_free "${SINK_PORT}"
	start_sink
	for spec in ${PAIRS}; do
		first=${spec%/*} second=${spec#*/}
		pair "${first}" "${second}"
	done
	{
		echo "# Paired start-ups: $(date -u '+%Y-%m-%d %H:%M') UTC"
		echo
		echo "Method: [benchmarks/harness/README.md](../README.md#paired-start-ups). The two configurations of a pair"
		echo "start together, both on CPU ${APP_CPU}; each one's CPU seconds (user + system, /proc/<pid>/stat)"
		echo "are read when it first answers 200 on /hello (polled every 0.1 s from CPU ${LOAD_CPU}). Ratio ="
		echo "the second's CPU seconds / the first's; rounds alternate which one is launched first."
		echo "Wall seconds are shown for reference: they depend on how the CPU was shared."
		echo
		echo "| pair | median CPU ratio | min | max |"
		echo "|---|---|---|---|"
		for spec in ${PAIRS}; do
			first=${spec%/*} second=${spec#*/}
			local file=${work_dir}/ratios-${first}-${second}
			echo "| ${spec} | $(median_formatted '%.3f' <"${file}") | $(sort -g "${file}" | head -1) | $(sort -g "${file}" | tail -1) |"
		done
		echo
		echo "| pair | round | first's CPU s | second's CPU s | ratio | first's wall s | second's wall s |"
		echo "|---|---|---|---|---|---|---|"
		cat "${work_dir}/rows.md"
		echo
		machine_line
		echo
		echo "Command: \`PAIRS='${PAIRS}' ROUNDS=${ROUNDS} JAVA_OPTS='${JAVA_OPTS}' benchmarks/harness/startup-pairs.sh\`"
	} >"${results_md}"
	log "results: ${results_md}"
}

main "$@"
