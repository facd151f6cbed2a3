#!/usr/bin/env bash
# Where one configuration's request threads spend their Java time under load, from JFR execution
# samples, split around the starter's HTTP filter: what the filter does itself (metrics, spans, the
# span's scope and its log correlation) against the rest of the chain and Tomcat. Paired runs say how
# much a configuration costs; this says where, to choose what to cut.
#
#   benchmarks/harness/profile-request.sh C                                         # C as measured
#   benchmarks/harness/profile-request.sh C --observability.tracing.enabled=false   # C without tracing
#
# The app (run.sh's jar and configuration files; run that once first) starts pinned to APP_CPU,
# gets WARMUP_SECONDS of `wrk -t1 -c16` from LOAD_CPU, then JFR records RECORD_SECONDS under the
# same load, sampling every SAMPLE_PERIOD (1 ms: about 7,000 samples in 40 s, 50 per 1 % of the
# request threads' time). A second wrk, from a second before the recording to a second after it,
# measures the rate while JFR records: that rate times RECORD_SECONDS is the requests the samples
# cover. JFR samples Java frames only: the kernel's network path, the GC and the JIT are not in it
# (thread-cpu.sh shows those). Line numbers within a method are not to be trusted at
# this resolution; the split by method is. Writes results/profile-<config>-<date>-<time>.md and keeps
# the recording in target/.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${harness_dir}/lib.sh"

config=${1:?usage: profile-request.sh A|B|C [extra app arguments...]}
shift
[[ "${config}" =~ ^[ABC]$ ]] || die "unknown configuration '${config}' (A, B or C)"
WARMUP_SECONDS=${WARMUP_SECONDS:-${STEADY_WARMUP_SECONDS}}
RECORD_SECONDS=${RECORD_SECONDS:-40}
SAMPLE_PERIOD=${SAMPLE_PERIOD:-1ms}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT=${PORT:-18080}
SINK_PORT=${SINK_PORT:-14318}
AGENT_METRICS_PORT=${AGENT_METRICS_PORT:-19464}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/profile-${stamp}
results_md=${RESULTS_DIR}/profile-${config}-${stamp}.md
recording=${work_dir}/${config}.jfr
harness_paths
port_variables="PORT or SINK_PORT"
pids=()
sink_pid=""
trap 'stop_apps; stop_pid "${sink_pid}"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ -f "$(jar_of "${config}")" ]] || die "$(jar_of "${config}") missing: run benchmarks/harness/run.sh once first"
command -v jfr >/dev/null || die "the JDK's jfr tool is not on the PATH"
mkdir -p "${work_dir}" "${RESULTS_DIR}"
await_port_free "${PORT}"
await_port_free "${SINK_PORT}"
start_sink

app_command "${config}" "${PORT}" java cmd
# The recording starts after the warm-up and stops by itself; the app keeps running until we stop it.
cmd=("${cmd[0]}" "-XX:StartFlightRecording=delay=${WARMUP_SECONDS}s,duration=${RECORD_SECONDS}s,filename=${recording},settings=profile,jdk.ExecutionSample#period=${SAMPLE_PERIOD}" "${cmd[@]:1}" "$@")
launch_app "${config}" "${PORT}" "${APP_CPU}" cmd
started=${SECONDS}
await_healthy "${config}" "${PORT}" "${pids[0]}"
# JFR's delay counts from the JVM's start: the warm-up load ends a second before the recording
# starts, the measured load a second after it ends.
warmup_load=$((WARMUP_SECONDS - 1 - (SECONDS - started)))
((warmup_load > 0)) || die "${config} took $((SECONDS - started)) s to start, longer than WARMUP_SECONDS (${WARMUP_SECONDS})"
log "${config} up after $((SECONDS - started)) s; ${warmup_load} s of load, then JFR for ${RECORD_SECONDS} s"
taskset -c "${LOAD_CPU}" wrk -t1 -c16 -d"${warmup_load}s" --timeout 5s "http://127.0.0.1:${PORT}/hello" >/dev/null
throughput=$(taskset -c "${LOAD_CPU}" wrk -t1 -c16 -d"$((RECORD_SECONDS + 2))s" --timeout 5s "http://127.0.0.1:${PORT}/hello" |
	awk '/Requests\/sec/ {print $2}')
[[ "${throughput}" =~ ^[0-9.]+$ ]] || die "wrk measured no rate while JFR recorded; see ${work_dir}/${config}-${PORT}.log"
recorded_requests=$(awk -v r="${throughput}" -v s="${RECORD_SECONDS}" 'BEGIN {printf "%.0f", r * s}')
for _ in $(seq 1 100); do
	[[ -s "${recording}" ]] && break
	sleep 0.2
done
[[ -s "${recording}" ]] || die "no recording at ${recording}"
stop_apps
{
	echo "# Request-thread profile of ${config}: $(date -u '+%Y-%m-%d %H:%M') UTC"
	echo
	echo "Method: [benchmarks/harness/README.md](../README.md#where-a-request-spends-its-time)."
	echo "${throughput} req/s while JFR recorded (its own sampling included): ${recorded_requests} requests in"
	echo "its ${RECORD_SECONDS} s."
	echo
	python3 "${harness_dir}/request_breakdown.py" "${recording}"
	echo
	command_footer "WARMUP_SECONDS=${WARMUP_SECONDS} RECORD_SECONDS=${RECORD_SECONDS} SAMPLE_PERIOD=${SAMPLE_PERIOD} JAVA_OPTS='${JAVA_OPTS}' benchmarks/harness/profile-request.sh ${config}" "$@"
} >"${results_md}"
log "results: ${results_md}"
