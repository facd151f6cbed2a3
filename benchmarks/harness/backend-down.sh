#!/usr/bin/env bash
# Trace backend down (issue 5, item 6): does a dead trace backend slow requests down? The example app
# traces every request (sample rate 1.0) over OTLP/HTTP to one of three endpoints, under the same
# fixed-rate hey load each time:
#
#   A  a live OTLP sink answering 200 (otlp_sink.py beside this file)
#   B  a black hole: a TCP listener that accepts, reads and never answers
#   C  a refused port: nothing listens there
#
# Rounds are interleaved (A B C, A B C, ...), each configuration in a fresh JVM. Method and results:
# docs/reliability.md, "Trace backend down". Every parameter is an environment variable, e.g.
#
#   benchmarks/harness/backend-down.sh                                            # ~16 min
#   ROUNDS=1 WARMUP_SECONDS=5 MEASURE_SECONDS=10 benchmarks/harness/backend-down.sh   # smoke run
#
# Writes results/backend-down-<date>-<time>.md and -raw.tsv; logs, hey outputs and scrapes go to
# target/backend-down-<date>-<time>/.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${harness_dir}/lib.sh"
root_dir=$(cd "${harness_dir}/../.." && pwd)

# ---- parameters ------------------------------------------------------------------------------
ROUNDS=${ROUNDS:-3}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
MEASURE_SECONDS=${MEASURE_SECONDS:-60}
WORKERS=${WORKERS:-4}
QPS_PER_WORKER=${QPS_PER_WORKER:-50}
CONFIGS=${CONFIGS:-A B C}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
APP_PORT=${APP_PORT:-18081}
SINK_PORT=${SINK_PORT:-14319}
BLACK_HOLE_PORT=${BLACK_HOLE_PORT:-14320}
REFUSED_PORT=${REFUSED_PORT:-14321}
STARTUP_TIMEOUT_SECONDS=${STARTUP_TIMEOUT_SECONDS:-120}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
SKIP_BUILD=${SKIP_BUILD:-false}
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}
PATH_UNDER_LOAD=${PATH_UNDER_LOAD:-/api/movies}
if [[ -n "${JAVA_HOME:-}" ]]; then
	JAVA_BIN=${JAVA_BIN:-${JAVA_HOME}/bin/java}
else
	JAVA_BIN=${JAVA_BIN:-java}
fi

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/backend-down-${stamp}
results_md=${RESULTS_DIR}/backend-down-${stamp}.md
results_tsv=${RESULTS_DIR}/backend-down-${stamp}-raw.tsv
rows_tsv=${work_dir}/rows.tsv
app_url=http://127.0.0.1:${APP_PORT}
sink_url=http://127.0.0.1:${SINK_PORT}
# For await_port_free (lib.sh).
port_variables="APP_PORT, SINK_PORT, BLACK_HOLE_PORT or REFUSED_PORT"
# The jar under test, copied into the work directory so that a concurrent build cannot change it.
JAR=${JAR:-}
jar_copy=${work_dir}/app.jar

# Accepts connections, reads and discards what arrives, never writes a byte back.
# shellcheck disable=SC2016 # Python source, not shell.
readonly BLACK_HOLE_PY='
import selectors, socket, sys
server = socket.create_server(("127.0.0.1", int(sys.argv[1])), backlog=128)
server.setblocking(False)
selector = selectors.DefaultSelector()
selector.register(server, selectors.EVENT_READ)
print("black hole listening on 127.0.0.1:" + sys.argv[1], flush=True)
while True:
    for key, _ in selector.select():
        if key.fileobj is server:
            connection, _ = server.accept()
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ)
            continue
        try:
            data = key.fileobj.recv(65536)
        except OSError:
            data = b""
        if not data:
            selector.unregister(key.fileobj)
            key.fileobj.close()
'

# ---- processes we start, and their end -------------------------------------------------------
app_pid=""
sink_pid=""
hole_pid=""
load_pid=""

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_pid "${load_pid}"
	stop_pid "${app_pid}"
	stop_pid "${hole_pid}"
	stop_pid "${sink_pid}"
	exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

await_port_open() {
	local port=$1 pid=$2 name=$3 i
	for ((i = 0; i < 100; i++)); do
		port_in_use "${port}" && return 0
		kill -0 "${pid}" 2>/dev/null || die "${name} exited: $(cat "${work_dir}/${name}.log")"
		sleep 0.1
	done
	die "${name} did not listen on ${port} within 10 s"
}

endpoint_of() {
	case "$1" in
		A) echo "${sink_url}" ;;
		B) echo "http://127.0.0.1:${BLACK_HOLE_PORT}" ;;
		C) echo "http://127.0.0.1:${REFUSED_PORT}" ;;
	esac
}

describe() {
	case "$1" in
		A) echo "live OTLP sink (200)" ;;
		B) echo "black hole (accepts, never answers)" ;;
		C) echo "refused port (nothing listens)" ;;
	esac
}

# hey at a fixed rate (bounded by its duration, and by timeout as a backstop) on the load CPU.
run_hey() {
	local out=$1 seconds=$2
	timeout --kill-after=5 $((seconds + 60)) \
		taskset -c "${LOAD_CPU}" hey -z "${seconds}s" -c "${WORKERS}" -q "${QPS_PER_WORKER}" -t 10 \
		"${app_url}${PATH_UNDER_LOAD}" >"${out}" 2>&1 &
	load_pid=$!
	local status=0
	wait "${load_pid}" || status=$?
	load_pid=""
	((status == 0)) || die "hey failed (exit ${status}): $(tail -5 "${out}")"
}

# A hey latency percentile ("  99% in 0.0123 secs"), in milliseconds.
hey_percentile() {
	awk -v p="$2%" '$1 == p && $2 == "in" { printf "%.1f", $3 * 1000 }' "$1"
}

hey_field() {
	local file=$1 what=$2
	case "${what}" in
		rps) awk '$1 == "Requests/sec:" { printf "%.1f", $2 }' "${file}" ;;
		ok) awk '$1 == "[200]" { print $2 }' "${file}" | grep . || echo 0 ;;
		not_ok) awk '/^Status code distribution:/ { s = 1; next } /^Error distribution:/ { s = 0; e = 1; next }
			s && $1 ~ /^\[[0-9]+\]$/ && $1 != "[200]" { n += $2 }
			e && $1 ~ /^\[[0-9]+\]$/ { n += substr($1, 2, length($1) - 2) }
			END { print n + 0 }' "${file}" ;;
	esac
}

dropped() {
	series_sum "$1" "^observability_tracing_spans_dropped_total[{].*reason=\"$2\""
}

# One configuration in one round: start, warm up, measure, scrape, stop. Appends a row to the TSV.
run_config() {
	local round=$1 config=$2
	local dir=${work_dir}/round-${round}/${config}
	mkdir -p "${dir}"
	await_port_free "${APP_PORT}"
	port_in_use "${REFUSED_PORT}" && die "something listens on the refused port ${REFUSED_PORT}"
	local java_opts
	read -r -a java_opts <<<"${JAVA_OPTS}"
	local cmd=(env "OTEL_EXPORTER_OTLP_ENDPOINT=$(endpoint_of "${config}")" "TRACING_SAMPLE_RATE=1.0"
		taskset -c "${APP_CPU}" "${JAVA_BIN}" "${java_opts[@]}" -jar "${jar_copy}"
		"--server.port=${APP_PORT}" "--server.address=127.0.0.1")
	printf '%q ' "${cmd[@]}" >"${dir}/command.txt"

	log "round ${round}/${ROUNDS} ${config}: starting ($(describe "${config}"))"
	"${cmd[@]}" >"${dir}/app.log" 2>&1 &
	app_pid=$!
	local i ready=false
	for ((i = 0; i < STARTUP_TIMEOUT_SECONDS * 10; i++)); do
		kill -0 "${app_pid}" 2>/dev/null || die "${config} exited during start-up; see ${dir}/app.log"
		if [[ "$(http_status "${app_url}${PATH_UNDER_LOAD}")" == 200 ]]; then
			ready=true
			break
		fi
		sleep 0.1
	done
	[[ "${ready}" == true ]] || die "${config} did not answer within ${STARTUP_TIMEOUT_SECONDS} s; see ${dir}/app.log"

	log "round ${round}/${ROUNDS} ${config}: warm-up ${WARMUP_SECONDS} s"
	run_hey "${dir}/hey-warmup.txt" "${WARMUP_SECONDS}"
	http_body "${app_url}/metrics" >"${dir}/scrape-before.txt"
	local posts_before
	posts_before=$(sink_posts /v1/traces)
	log "round ${round}/${ROUNDS} ${config}: measuring ${MEASURE_SECONDS} s"
	run_hey "${dir}/hey.txt" "${MEASURE_SECONDS}"
	http_body "${app_url}/metrics" >"${dir}/scrape-after.txt"
	kill -0 "${app_pid}" 2>/dev/null || die "${config} exited under load; see ${dir}/app.log"
	local rss_kb
	rss_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/${app_pid}/status")
	stop_pid "${app_pid}"
	app_pid=""

	local before=${dir}/scrape-before.txt after=${dir}/scrape-after.txt
	grep -q '^observability_tracing_spans_dropped_total' "${after}" ||
		die "${config}: /metrics has no observability_tracing_spans_dropped_total; is tracing on? see ${after}"
	local p50 p95 p99 rps ok not_ok queue_full export_failed queue threads heap posts rss_mib
	p50=$(hey_percentile "${dir}/hey.txt" 50)
	p95=$(hey_percentile "${dir}/hey.txt" 95)
	p99=$(hey_percentile "${dir}/hey.txt" 99)
	rps=$(hey_field "${dir}/hey.txt" rps)
	ok=$(hey_field "${dir}/hey.txt" ok)
	not_ok=$(hey_field "${dir}/hey.txt" not_ok)
	[[ -n "${p99}" && -n "${rps}" ]] || die "no result in ${dir}/hey.txt"
	queue_full=$(($(dropped "${after}" queue_full) - $(dropped "${before}" queue_full)))
	export_failed=$(($(dropped "${after}" export_failed) - $(dropped "${before}" export_failed)))
	queue=$(series_sum "${after}" '^observability_tracing_export_queue_size[{ ]')
	threads=$(series_sum "${after}" '^jvm_threads_live_threads[{ ]')
	heap=$(awk '/^jvm_memory_used_bytes[{].*area="heap"/ { n += $NF } END { printf "%.1f", n / 1048576 }' "${after}")
	posts=$(($(sink_posts /v1/traces) - posts_before))
	[[ "${config}" == A ]] || posts=0
	rss_mib=$(awk -v k="${rss_kb}" 'BEGIN { printf "%.1f", k / 1024 }')
	log "round ${round}/${ROUNDS} ${config}: ${rps} req/s, p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms," \
		"non-200 ${not_ok}; dropped queue_full ${queue_full}, export_failed ${export_failed}; queue ${queue};" \
		"threads ${threads}; heap ${heap} MiB; RSS ${rss_mib} MiB"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${round}" "${config}" "${rps}" \
		"${ok}" "${not_ok}" "${p50}" "${p95}" "${p99}" "${queue_full}" "${export_failed}" "${queue}" \
		"${posts}" "${threads}" "${heap}" "${rss_mib}" "$(cut -d ' ' -f 1 /proc/loadavg)" >>"${rows_tsv}"
}

column_of() {
	awk -F '\t' -v c="$1" -v k="$2" '$2 == c { print $k }' "${rows_tsv}"
}

# p99 of each row divided by the p99 of A in the same round.
ratios_of() {
	awk -F '\t' -v c="$1" 'NR == FNR { if ($2 == "A") a[$1] = $8; next }
		$2 == c && ($1 in a) && a[$1] > 0 { printf "%.2f\n", $8 / a[$1] }' "${rows_tsv}" "${rows_tsv}"
}

write_report() {
	local cpu_model jdk git_rev
	cpu_model=$(awk -F ': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	jdk=$("${JAVA_BIN}" -version 2>&1 | head -1)
	git_rev=$(git -C "${root_dir}" describe --always --dirty 2>/dev/null || echo unknown)
	{
		echo "# Trace backend down: $(date '+%Y-%m-%d %H:%M %Z')"
		echo
		echo "Load: \`hey -z ${MEASURE_SECONDS}s -c ${WORKERS} -q ${QPS_PER_WORKER} ${app_url}${PATH_UNDER_LOAD}\` on CPU ${LOAD_CPU}"
		echo "($((WORKERS * QPS_PER_WORKER)) req/s offered) after a ${WARMUP_SECONDS} s warm-up; app on CPU ${APP_CPU}, sample rate 1.0,"
		echo "\`${JAVA_OPTS}\`; ${ROUNDS} round(s) interleaved in the order ${CONFIGS}. Summary: median over rounds;"
		echo "p99 ratio = p99 / p99 of A in the same round (min-max beside it)."
		echo
		echo "| config | endpoint | p50 ms | p95 ms | p99 ms | p99 / A | min-max | req/s | dropped queue_full | dropped export_failed |"
		echo "|---|---|---|---|---|---|---|---|---|---|"
		local config
		for config in ${CONFIGS}; do
			local ratio rmin rmax
			ratio=$(ratios_of "${config}" | median)
			rmin=$(ratios_of "${config}" | sort -g | head -1)
			rmax=$(ratios_of "${config}" | sort -g | tail -1)
			printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${config}" "$(describe "${config}")" \
				"$(column_of "${config}" 6 | median)" "$(column_of "${config}" 7 | median)" \
				"$(column_of "${config}" 8 | median)" "${ratio}" "${rmin:-n/a}-${rmax:-n/a}" \
				"$(column_of "${config}" 3 | median)" "$(column_of "${config}" 9 | median)" \
				"$(column_of "${config}" 10 | median)"
		done
		echo
		echo "## Per round"
		echo
		echo "Dropped spans and sink POSTs: during the measured phase only. Queue, threads, heap: at its end."
		echo
		echo "| round | config | req/s | 200 | other | p50 ms | p95 ms | p99 ms | queue_full | export_failed | queue | sink POSTs | threads | heap MiB | RSS MiB | load 1 min |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
		awk -F '\t' '{ printf "| %s |", $1; for (i = 2; i <= NF; i++) printf " %s |", $i; printf "\n" }' "${rows_tsv}"
		echo
		echo "## Machine"
		echo
		echo "- nproc: $(nproc); CPU: ${cpu_model}; JDK: ${jdk}; tree: \`${git_rev}\`"
		echo "- load average at start: ${load_at_start}; at end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
		echo
		echo "Raw: [$(basename "${results_tsv}")]($(basename "${results_tsv}")); logs, hey outputs and scrapes: \`${work_dir#"${root_dir}"/}\`."
	} >"${results_md}"
}

main() {
	local tool
	for tool in hey taskset curl python3 awk timeout unzip; do
		command -v "${tool}" >/dev/null || die "${tool} not found (apt-get install -y hey curl python3)"
	done
	local config
	for config in ${CONFIGS}; do
		[[ "${config}" =~ ^[ABC]$ ]] || die "unknown configuration '${config}' in CONFIGS (A, B or C)"
	done
	mkdir -p "${work_dir}" "${RESULTS_DIR}"
	load_at_start=$(cut -d ' ' -f 1-3 /proc/loadavg)

	if [[ "${SKIP_BUILD}" != true ]]; then
		log "building the example: ./mvnw -q -B -o -pl examples -am package -DskipTests -Dmaven.jar.forceCreation=true"
		# Forced: when only the starter changed, the jar plugin finds the example's jar up to date and
		# Boot's repackaging keeps the starter it already holds.
		(cd "${root_dir}" && ./mvnw -q -B -o -pl examples -am package -DskipTests -Dmaven.jar.forceCreation=true \
			-Dspring-javaformat.validate.skip=true)
	fi
	if [[ -z "${JAR}" ]]; then
		JAR=$(find "${root_dir}/examples/target" -maxdepth 1 -name 'examples-*.jar' -print -quit)
	fi
	[[ -n "${JAR}" && -f "${JAR}" ]] || die "no example jar in examples/target: run without SKIP_BUILD=true or set JAR"
	cp "${JAR}" "${jar_copy}"
	# Others may build the example from another starter: the copy must count dropped spans.
	unzip -p "${jar_copy}" 'BOOT-INF/lib/observability-spring-boot-starter-*.jar' >"${work_dir}/starter.jar"
	unzip -l "${work_dir}/starter.jar" | grep 'tracing/SpanExportMetricsAutoConfiguration.class' >/dev/null ||
		die "${JAR} holds a starter without SpanExportMetricsAutoConfiguration: rebuild it (without SKIP_BUILD=true)"
	: >"${rows_tsv}"

	await_port_free "${SINK_PORT}"
	taskset -c "${LOAD_CPU}" python3 "${harness_dir}/otlp_sink.py" "${SINK_PORT}" >"${work_dir}/sink.log" 2>&1 &
	sink_pid=$!
	await_port_open "${SINK_PORT}" "${sink_pid}" sink
	await_port_free "${BLACK_HOLE_PORT}"
	taskset -c "${LOAD_CPU}" python3 -c "${BLACK_HOLE_PY}" "${BLACK_HOLE_PORT}" >"${work_dir}/black-hole.log" 2>&1 &
	hole_pid=$!
	await_port_open "${BLACK_HOLE_PORT}" "${hole_pid}" black-hole

	local round
	for ((round = 1; round <= ROUNDS; round++)); do
		for config in ${CONFIGS}; do
			run_config "${round}" "${config}"
		done
	done
	{
		printf 'round\tconfig\treq_per_s\tok\tnot_ok\tp50_ms\tp95_ms\tp99_ms\tdropped_queue_full\tdropped_export_failed\tqueue_size\tsink_trace_posts\tthreads\theap_mib\trss_mib\tload_1m\n'
		cat "${rows_tsv}"
	} >"${results_tsv}"
	write_report
	log "results: ${results_md#"${root_dir}"/}"
	cat "${results_md}"
}

load_at_start=""
main "$@"
