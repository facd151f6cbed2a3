#!/usr/bin/env bash
# Side-by-side overhead harness (issue 9): one trivial endpoint in four configurations, measured
# interleaved under the same wrk load. Method, parameters and how long it takes: README.md beside
# this file. Works from any directory; every parameter is an environment variable, e.g.
#
#   ROUNDS=1 WARMUP_SECONDS=3 MEASURE_SECONDS=5 benchmarks/harness/run.sh     # smoke run, ~3 min
#   benchmarks/harness/run.sh                                                  # full run, ~12 min
#
# Writes results/<date>-<time>.md (summary, machine, command, per-round numbers) and
# results/<date>-<time>-raw.tsv; logs, wrk outputs and scrapes go to target/run-<date>-<time>/.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${harness_dir}/lib.sh"
root_dir=$(cd "${harness_dir}/../.." && pwd)

# ---- parameters ------------------------------------------------------------------------------
ROUNDS=${ROUNDS:-3}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
MEASURE_SECONDS=${MEASURE_SECONDS:-20}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-1}
WRK_TIMEOUT=${WRK_TIMEOUT:-5s}
CONFIGS=${CONFIGS:-A B C D}
APP_CPU=${APP_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
APP_PORT=${APP_PORT:-18080}
SINK_PORT=${SINK_PORT:-14318}
AGENT_METRICS_PORT=${AGENT_METRICS_PORT:-19464}
STARTUP_TIMEOUT_SECONDS=${STARTUP_TIMEOUT_SECONDS:-120}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}
OTEL_AGENT_VERSION=${OTEL_AGENT_VERSION:-2.33.1}
SKIP_BUILD=${SKIP_BUILD:-false}
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}
if [[ -n "${JAVA_HOME:-}" ]]; then
	JAVA_BIN=${JAVA_BIN:-${JAVA_HOME}/bin/java}
else
	JAVA_BIN=${JAVA_BIN:-java}
fi

# Defaults of the full run: anything shorter is reported as a smoke run.
readonly FULL_ROUNDS=3 FULL_WARMUP_SECONDS=15 FULL_MEASURE_SECONDS=20

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/run-${stamp}
results_md=${RESULTS_DIR}/${stamp}.md
results_tsv=${RESULTS_DIR}/${stamp}-raw.tsv
rows_tsv=${work_dir}/rows.tsv
harness_paths
# For await_port_free (lib.sh).
port_variables="APP_PORT, SINK_PORT or AGENT_METRICS_PORT"
app_url=http://127.0.0.1:${APP_PORT}

# ---- processes we start, and their end -------------------------------------------------------
app_pid=""
sink_pid=""
load_pid=""

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	stop_pid "${load_pid}"
	stop_pid "${app_pid}"
	stop_pid "${sink_pid}"
	exit "${status}"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- helpers ---------------------------------------------------------------------------------
now_ns() {
	date +%s%N
}

# wrk (bounded by its duration, and by timeout as a backstop) on the load CPU; output to $1.
run_wrk() {
	local out=$1 seconds=$2
	timeout --kill-after=5 $((seconds + 30)) \
		taskset -c "${LOAD_CPU}" wrk -t "${WRK_THREADS}" -c "${CONNECTIONS}" -d "${seconds}s" \
		--timeout "${WRK_TIMEOUT}" --latency "${app_url}/hello" >"${out}" 2>&1 &
	load_pid=$!
	local status=0
	wait "${load_pid}" || status=$?
	load_pid=""
	((status == 0)) || die "wrk failed (exit ${status}): $(tail -5 "${out}")"
}

# A wrk latency such as 512.00us, 1.23ms or 1.01s, in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v) }
		else if (v ~ /m$/) { sub(/m$/, "", v); v = v * 60000 }
		else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }
		printf "%.3f", v }'
}

wrk_field() {
	local file=$1 what=$2
	case "${what}" in
		rps) awk '$1 == "Requests/sec:" { print $2 }' "${file}" ;;
		requests) awk '$2 == "requests" && $3 == "in" { print $1 }' "${file}" ;;
		p50) to_ms "$(awk '$1 == "50%" { print $2 }' "${file}")" ;;
		p99) to_ms "$(awk '$1 == "99%" { print $2 }' "${file}")" ;;
		errors) awk '/Non-2xx or 3xx responses:/ { n += $NF }
			/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
			END { print n + 0 }' "${file}" ;;
	esac
}

describe() {
	case "$1" in
		A) echo "bare Spring MVC" ;;
		B) echo "Actuator + Prometheus registry, Boot defaults" ;;
		C) echo "our starter, everything on, no Actuator" ;;
		D) echo "bare + OpenTelemetry agent ${OTEL_AGENT_VERSION} (traces 10% to OTLP sink, metrics)" ;;
	esac
}

# What proves that a configuration measured what it claims; prints "ok ..." or "FAILED ...".
# $2: requests served in the measured phase (every metric must have counted at least those).
check_config() {
	local config=$1 served=$2 dir=$3 count
	case "${config}" in
		A)
			if [[ "$(http_status "${app_url}/metrics")" == 404 && "$(http_status "${app_url}/actuator/prometheus")" == 404 ]]; then
				echo "ok: no /metrics, no /actuator/prometheus"
			else
				echo "FAILED: bare app serves metrics"
			fi
			;;
		B)
			http_body "${app_url}/actuator/prometheus" >"${dir}/scrape.txt"
			count=$(series_sum "${dir}/scrape.txt" '^http_server_requests_seconds_count[{].*uri="/hello"')
			if ((count >= served)); then
				echo "ok: /actuator/prometheus counts ${count} /hello requests"
			else
				echo "FAILED: /actuator/prometheus counts ${count} /hello requests, fewer than ${served}"
			fi
			;;
		C)
			http_body "${app_url}/metrics" >"${dir}/scrape.txt"
			count=$(series_sum "${dir}/scrape.txt" '^http_server_requests_seconds_count[{].*uri="/hello"')
			local traced
			traced=$(($(sink_posts /v1/traces) - $(cat "${dir}/sink-traces-before")))
			if [[ "$(http_status "${app_url}/actuator/prometheus")" != 404 ]]; then
				echo "FAILED: Actuator present"
			elif ((count < served)); then
				echo "FAILED: /metrics counts ${count} /hello requests, fewer than ${served}"
			elif ((traced < 1)); then
				echo "FAILED: the sink received no trace export"
			else
				echo "ok: /metrics counts ${count} /hello requests, no Actuator; sink got ${traced} trace POSTs"
			fi
			;;
		D)
			http_body "http://127.0.0.1:${AGENT_METRICS_PORT}/metrics" >"${dir}/scrape.txt"
			count=$(series_sum "${dir}/scrape.txt" '^http_server_request_duration_seconds_count[{].*http_route="/hello"')
			local traces
			traces=$(($(sink_posts /v1/traces) - $(cat "${dir}/sink-traces-before")))
			if ((count < served)); then
				echo "FAILED: agent metrics count ${count} /hello requests, fewer than ${served}"
			elif ((traces < 1)); then
				echo "FAILED: the sink received no trace export"
			else
				echo "ok: agent metrics count ${count} /hello requests; sink got ${traces} trace POSTs"
			fi
			;;
	esac
}

# One configuration in one round: start, warm up, measure, check, stop. Appends a row to the TSV.
run_config() {
	local round=$1 config=$2
	local dir=${work_dir}/round-${round}/${config}
	mkdir -p "${dir}"
	local cmd
	app_command "${config}" "${APP_PORT}" "${JAVA_BIN}" cmd
	printf '%q ' "${cmd[@]}" >"${dir}/command.txt"
	await_port_free "${APP_PORT}"
	if [[ "${config}" == C || "${config}" == D ]]; then
		sink_posts /v1/traces >"${dir}/sink-traces-before"
	fi
	if [[ "${config}" == D ]]; then
		await_port_free "${AGENT_METRICS_PORT}"
	fi

	log "round ${round}/${ROUNDS} ${config}: starting ($(describe "${config}"))"
	local started ready=""
	started=$(now_ns)
	taskset -c "${APP_CPU}" "${cmd[@]}" >"${dir}/app.log" 2>&1 &
	app_pid=$!
	local deadline=$((started + STARTUP_TIMEOUT_SECONDS * 1000000000))
	while (($(now_ns) < deadline)); do
		kill -0 "${app_pid}" 2>/dev/null || die "${config} exited during start-up; last lines of ${dir}/app.log:
$(tail -20 "${dir}/app.log")"
		if [[ "$(http_status "${app_url}/hello")" == 200 ]]; then
			ready=$(now_ns)
			break
		fi
		sleep 0.02
	done
	[[ -n "${ready}" ]] || die "${config} did not answer 200 on /hello within ${STARTUP_TIMEOUT_SECONDS} s; see ${dir}/app.log"
	local startup_s
	startup_s=$(awk -v a="${started}" -v b="${ready}" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')

	log "round ${round}/${ROUNDS} ${config}: healthy after ${startup_s} s; warm-up ${WARMUP_SECONDS} s"
	run_wrk "${dir}/wrk-warmup.txt" "${WARMUP_SECONDS}"
	local allocated_before allocated_after
	allocated_before=$(http_body "${app_url}/allocated-bytes")
	log "round ${round}/${ROUNDS} ${config}: measuring ${MEASURE_SECONDS} s"
	run_wrk "${dir}/wrk.txt" "${MEASURE_SECONDS}"
	allocated_after=$(http_body "${app_url}/allocated-bytes")
	kill -0 "${app_pid}" 2>/dev/null || die "${config} exited under load; see ${dir}/app.log"
	local rss_kb
	rss_kb=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/${app_pid}/status")

	local rps requests p50 p99 errors alloc_per_request rss_mib check
	rps=$(wrk_field "${dir}/wrk.txt" rps)
	requests=$(wrk_field "${dir}/wrk.txt" requests)
	p50=$(wrk_field "${dir}/wrk.txt" p50)
	p99=$(wrk_field "${dir}/wrk.txt" p99)
	errors=$(wrk_field "${dir}/wrk.txt" errors)
	[[ -n "${rps}" && -n "${requests}" && "${requests}" -gt 0 ]] || die "no result in ${dir}/wrk.txt"
	[[ "${allocated_before}" =~ ^[0-9]+$ && "${allocated_after}" =~ ^[0-9]+$ ]] ||
		die "${config}: /allocated-bytes answered '${allocated_before}' and '${allocated_after}'"
	alloc_per_request=$(awk -v a="${allocated_before}" -v b="${allocated_after}" -v n="${requests}" \
		'BEGIN { printf "%.0f", (b - a) / n }')
	rss_mib=$(awk -v k="${rss_kb}" 'BEGIN { printf "%.1f", k / 1024 }')
	check=$(check_config "${config}" "${requests}" "${dir}")
	if ((errors > 0)); then
		check="FAILED: ${errors} wrk errors (non-2xx or socket); ${check}"
	fi
	log "round ${round}/${ROUNDS} ${config}: ${rps} req/s, p50 ${p50} ms, p99 ${p99} ms, RSS ${rss_mib} MiB, ${alloc_per_request} B/req; ${check}"

	stop_pid "${app_pid}"
	app_pid=""
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${round}" "${config}" "${rps}" "${requests}" \
		"${p50}" "${p99}" "${startup_s}" "${rss_mib}" "${alloc_per_request}" "${errors}" "${check}" >>"${rows_tsv}"
}

# ---- build -----------------------------------------------------------------------------------
build() {
	log "installing our artifacts: ./mvnw -q -B -pl observability-spring-boot-starter -am install -DskipTests"
	# Formatting is CI's business; a half-formatted tree must not stop a measurement.
	(cd "${root_dir}" && ./mvnw -q -B -pl observability-spring-boot-starter -am install -DskipTests \
		-Dspring-javaformat.validate.skip=true)
	log "building the harness apps and fetching the agent: ./mvnw -q -B -f benchmarks/harness/app/pom.xml package"
	# Forced: otherwise Boot's repackaging keeps the starter jar already inside the app's jar when only
	# the starter changed.
	(cd "${root_dir}" && ./mvnw -q -B -f benchmarks/harness/app/pom.xml package \
		-Dotel-agent.version="${OTEL_AGENT_VERSION}" -Dmaven.jar.forceCreation=true)
}

# Adds the ratio to A of the same round as column 12 of the TSV rows (n/a without an A).
rows_with_ratio() {
	awk -F '\t' 'BEGIN { OFS = "\t" }
		NR == FNR { if ($2 == "A") a[$1] = $3; next }
		{ $12 = ($1 in a) ? sprintf("%.3f", $3 / a[$1]) : "n/a"; print }' "${rows_tsv}" "${rows_tsv}"
}

column_of() {
	local config=$1 column=$2
	rows_with_ratio | awk -F '\t' -v c="${config}" -v k="${column}" '$2 == c && $k != "n/a" { print $k }'
}

fmt() {
	local value=$1 format=$2
	if [[ "${value}" == n/a ]]; then echo n/a; else awk -v v="${value}" -v f="${format}" 'BEGIN { printf f, v }'; fi
}

write_report() {
	local cpu_model jdk mem os kernel agent_ver boot_ver git_rev smoke=""
	cpu_model=$(awk -F ': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	jdk=$("${JAVA_BIN}" -version 2>&1 | head -2 | paste -sd ';' | sed 's/;/; /')
	mem=$(awk '/^MemTotal:/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
	os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release)
	kernel=$(uname -r)
	agent_ver=$(agent_version "${agent_jar}")
	boot_ver=$(sed -n 's:.*<spring-boot.version>\(.*\)</spring-boot.version>.*:\1:p' "${root_dir}/pom.xml")
	git_rev=$(git -C "${root_dir}" describe --always --dirty 2>/dev/null || echo unknown)
	if ((ROUNDS < FULL_ROUNDS || WARMUP_SECONDS < FULL_WARMUP_SECONDS || MEASURE_SECONDS < FULL_MEASURE_SECONDS)); then
		smoke="**Smoke run** (shorter than the defaults of ${FULL_ROUNDS} rounds, ${FULL_WARMUP_SECONDS} s warm-up, ${FULL_MEASURE_SECONDS} s measured): proves the harness works; its numbers are not a measurement."
	fi
	{
		echo "# Overhead harness: $(date '+%Y-%m-%d %H:%M %Z')"
		echo
		[[ -z "${smoke}" ]] || { echo "${smoke}"; echo; }
		echo "Method: [benchmarks/harness/README.md](../README.md). Summary = median over ${ROUNDS} round(s);"
		echo "ratio = req/s of the configuration / req/s of A in the same round (median of the per-round ratios, min-max beside it)."
		echo
		echo "| config | what | req/s | ratio to A | ratio min-max | p50 ms | p99 ms | start-up s | RSS MiB | alloc B/req |"
		echo "|---|---|---|---|---|---|---|---|---|---|"
		local config
		for config in ${CONFIGS}; do
			local rps ratio rmin rmax p50 p99 startup rss alloc
			rps=$(column_of "${config}" 3 | median)
			ratio=$(column_of "${config}" 12 | median)
			rmin=$(column_of "${config}" 12 | sort -g | head -1)
			rmax=$(column_of "${config}" 12 | sort -g | tail -1)
			p50=$(column_of "${config}" 5 | median)
			p99=$(column_of "${config}" 6 | median)
			startup=$(column_of "${config}" 7 | median)
			rss=$(column_of "${config}" 8 | median)
			alloc=$(column_of "${config}" 9 | median)
			printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "${config}" "$(describe "${config}")" \
				"$(fmt "${rps}" '%.0f')" "$(fmt "${ratio}" '%.3f')" "${rmin:-n/a}-${rmax:-n/a}" \
				"$(fmt "${p50}" '%.3f')" "$(fmt "${p99}" '%.3f')" "$(fmt "${startup}" '%.2f')" \
				"$(fmt "${rss}" '%.1f')" "$(fmt "${alloc}" '%.0f')"
		done
		echo
		echo "## Machine"
		echo
		echo "- nproc: $(nproc); CPU: ${cpu_model}; memory: ${mem}; ${os}, kernel ${kernel}"
		echo "- JDK: ${jdk} (\`${JAVA_BIN}\`, as \`$(readlink -f "$(command -v "${JAVA_BIN}")")\`)"
		echo "- Spring Boot ${boot_ver}; OpenTelemetry Java agent ${agent_ver:-${OTEL_AGENT_VERSION}}; $(wrk -v 2>&1 | head -1 | cut -d ' ' -f 1-2)"
		echo "- tree: \`${git_rev}\`"
		echo "- load average (1, 5, 15 min) at start: ${load_at_start}; at end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
		echo
		echo "## Command and parameters"
		echo
		echo '```'
		echo "ROUNDS=${ROUNDS} WARMUP_SECONDS=${WARMUP_SECONDS} MEASURE_SECONDS=${MEASURE_SECONDS} CONNECTIONS=${CONNECTIONS} WRK_THREADS=${WRK_THREADS} \\"
		echo "  CONFIGS='${CONFIGS}' APP_CPU=${APP_CPU} LOAD_CPU=${LOAD_CPU} JAVA_OPTS='${JAVA_OPTS}' OTEL_AGENT_VERSION=${OTEL_AGENT_VERSION} \\"
		echo "  benchmarks/harness/run.sh"
		echo '```'
		echo
		echo "- load: \`taskset -c ${LOAD_CPU} wrk -t ${WRK_THREADS} -c ${CONNECTIONS} -d <s> --timeout ${WRK_TIMEOUT} --latency ${app_url}/hello\`,"
		echo "  ${WARMUP_SECONDS} s warm-up (discarded), then ${MEASURE_SECONDS} s measured; configurations interleaved in the order ${CONFIGS}, ${ROUNDS} round(s)."
		echo "- apps: \`taskset -c ${APP_CPU}\`, launched as (paths relative to the repository root):"
		echo
		for config in ${CONFIGS}; do
			local launch
			app_command "${config}" "${APP_PORT}" "${JAVA_BIN}" launch
			echo "  - ${config}: \`$(printf '%s ' "${launch[@]}" | sed "s:${root_dir}/::g; s/ $//")\`"
		done
		echo
		echo "## Per round"
		echo
		echo "| round | config | req/s | ratio to A | requests | p50 ms | p99 ms | start-up s | RSS MiB | alloc B/req | wrk errors | check |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
		rows_with_ratio | awk -F '\t' '{ printf "| %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			$1, $2, $3, $12, $4, $5, $6, $7, $8, $9, $10, $11 }'
		echo
		echo "Raw numbers: [$(basename "${results_tsv}")]($(basename "${results_tsv}")); logs, wrk outputs and scrapes: \`${work_dir#"${root_dir}"/}\`."
	} >"${results_md}"
}

# ---- main ------------------------------------------------------------------------------------
main() {
	local tool
	for tool in wrk taskset curl python3 awk unzip timeout; do
		command -v "${tool}" >/dev/null || die "${tool} not found (apt-get install -y wrk curl python3 unzip)"
	done
	[[ "${APP_CPU}" != "${LOAD_CPU}" ]] || log "WARNING: APP_CPU equals LOAD_CPU: app and load share a CPU"
	(($(nproc) >= 2)) || log "WARNING: $(nproc) CPU: app and load cannot be pinned apart"
	local config
	for config in ${CONFIGS}; do
		[[ "${config}" =~ ^[ABCD]$ ]] || die "unknown configuration '${config}' in CONFIGS (A, B, C or D)"
	done

	mkdir -p "${work_dir}" "${RESULTS_DIR}"
	load_at_start=$(cut -d ' ' -f 1-3 /proc/loadavg)
	if [[ "${SKIP_BUILD}" != true ]]; then
		build
	fi
	for config in ${CONFIGS}; do
		[[ -f "$(jar_of "${config}")" ]] || die "$(jar_of "${config}") missing: run without SKIP_BUILD=true"
	done
	[[ -f "${agent_jar}" ]] || die "${agent_jar} missing: run without SKIP_BUILD=true"

	: >"${rows_tsv}"

	await_port_free "${SINK_PORT}"
	start_sink

	local count
	count=$(wc -w <<<"${CONFIGS}")
	log "${ROUNDS} round(s) x ${count} configuration(s) x (start-up + ${WARMUP_SECONDS} s warm-up + ${MEASURE_SECONDS} s measured):" \
		"about $((ROUNDS * count * (WARMUP_SECONDS + MEASURE_SECONDS + 8) / 60 + 1)) min on a quiet machine"
	local round
	for ((round = 1; round <= ROUNDS; round++)); do
		for config in ${CONFIGS}; do
			run_config "${round}" "${config}"
		done
	done
	http_body "${sink_url}/counts" >"${work_dir}/sink-counts.txt"

	{
		printf 'round\tconfig\treq_per_s\trequests\tp50_ms\tp99_ms\tstartup_s\trss_mib\talloc_bytes_per_req\twrk_errors\tcheck\tratio_to_A\n'
		rows_with_ratio
	} >"${results_tsv}"
	write_report

	log "results: ${results_md#"${root_dir}"/} (raw: ${results_tsv#"${root_dir}"/})"
	cat "${results_md}"
	if grep -q 'FAILED' "${results_tsv}"; then
		die "some checks failed: see the check column"
	fi
}

load_at_start=""
main "$@"
