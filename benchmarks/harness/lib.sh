# Shell functions shared by the harness scripts; sourced, never run. Each script
# sets, before calling them:
#   LOAD_CPU        the CPU that curl and the OTLP sink run on (http_status, http_body, sink_*);
#   port_variables  the names of the script's port variables, for await_port_free's error;
#   sink_url        http://127.0.0.1:<SINK_PORT> (sink_posts, start_sink);
#   SINK_PORT, harness_dir, work_dir  (start_sink: it writes ${work_dir}/sink.log and sets sink_pid;
#                   launch_app and await_healthy: the app's files in work_dir; machine_line: harness_dir);
#   config_dir, agent_jar, JAVA_OPTS, AGENT_METRICS_PORT  (app_command).
# harness_paths sets config_dir, agent_jar and sink_url for them.
# Also STEADY_WARMUP_SECONDS, the warm-up that C's steady state needs.
# Helpers here: log, die, stop_pid, stop_apps, http_status, http_body, port_in_use, await_port_free, series_sum,
# start_sink, sink_posts, agent_version, jar_of, app_command, launch_app, harness_paths, await_healthy,
# allocated, machine_line, command_footer, median, median_formatted, format_values, median_and_values.
# shellcheck shell=bash disable=SC2154 # the variables above come from the sourcing script

log() {
	printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
	log "ERROR: $*"
	exit 1
}

# Stops one process we started: TERM, up to 20 s to exit, then KILL.
stop_pid() {
	local pid=$1 i
	[[ -n "${pid}" ]] || return 0
	kill -0 "${pid}" 2>/dev/null || { wait "${pid}" 2>/dev/null || true; return 0; }
	kill -TERM "${pid}" 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		kill -0 "${pid}" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "${pid}" 2>/dev/null; then
		log "process ${pid} still running after 20 s: killing it"
		kill -KILL "${pid}" 2>/dev/null || true
	fi
	wait "${pid}" 2>/dev/null || true
}

# Stops the apps in the caller's array pids: TERM to all of them at once, then stop_pid each (KILL
# after 20 s); empties pids.
stop_apps() {
	local pid
	for pid in "${pids[@]}"; do
		kill "${pid}" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		stop_pid "${pid}"
	done
	pids=()
}

# HTTP status of a GET (000 when nothing answers), from the load CPU.
http_status() {
	taskset -c "${LOAD_CPU}" curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
}

# Body of a GET, from the load CPU; empty when it fails.
http_body() {
	taskset -c "${LOAD_CPU}" curl -sf --max-time 10 "$1" || true
}

port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits (at most 30 s) until nothing listens on a loopback port; the error names the caller's
# port_variables, the variables that move its ports.
await_port_free() {
	local port=$1 i
	for ((i = 0; i < 300; i++)); do
		port_in_use "${port}" || return 0
		sleep 0.1
	done
	die "port ${port} on 127.0.0.1 is still in use after 30 s; set ${port_variables}"
}

# Sum of the sample values of the lines of a Prometheus scrape that match a regular expression.
series_sum() {
	awk -v re="$2" '$0 ~ re { n += $NF } END { printf "%.0f", n + 0 }' "$1"
}

# ---- OTLP sink (otlp_sink.py) ----------------------------------------------------------------
# Starts the sink on the load CPU and waits (at most 10 s) until it answers; sets sink_pid. The
# caller makes sure that SINK_PORT is free first: another sink there would answer in its place.
start_sink() {
	local i
	taskset -c "${LOAD_CPU}" python3 "${harness_dir}/otlp_sink.py" "${SINK_PORT}" >"${work_dir}/sink.log" 2>&1 &
	sink_pid=$!
	for ((i = 0; i < 100; i++)); do
		[[ "$(http_status "${sink_url}/counts")" == 200 ]] && return 0
		kill -0 "${sink_pid}" 2>/dev/null || die "the OTLP sink exited: $(cat "${work_dir}/sink.log")"
		sleep 0.1
	done
	[[ "$(http_status "${sink_url}/counts")" == 200 ]] || die "the OTLP sink did not answer within 10 s"
}

# POSTs the sink has received so far on one path (/v1/traces, /v1/metrics, ...); 0 when none.
sink_posts() {
	http_body "${sink_url}/counts" | awk -v p="$1" '$1 == p { print $2 }' | grep . || echo 0
}

# ---- OpenTelemetry Java agent ----------------------------------------------------------------
# Implementation-Version of the agent jar $1; empty, with a failed status, when unzip cannot read it.
agent_version() {
	unzip -p "$1" META-INF/MANIFEST.MF 2>/dev/null | awk -F ': ' '/^Implementation-Version/ { gsub(/\r/, ""); print $2 }'
}

# ---- the harness apps ------------------------------------------------------------------------
# The warm-up of the scripts that measure C in its steady state (feature-costs.sh, cpu-by-thread.sh,
# profile-request.sh): C runs more code than A, and on one CPU the JIT is still compiling it after
# 90 s of load (docs/performance.md: 0.90 of bare after 90 s, 0.96 after 240 s).
# shellcheck disable=SC2034 # read by the scripts that source this file
readonly STEADY_WARMUP_SECONDS=240

# Jar of configuration $1: D is A's jar, run under the OpenTelemetry agent.
jar_of() {
	case "$1" in
	A | D) echo "${harness_dir}/app/bare/target/harness-bare.jar" ;;
	B) echo "${harness_dir}/app/actuator/target/harness-actuator.jar" ;;
	C) echo "${harness_dir}/app/starter/target/harness-starter.jar" ;;
	esac
}

# Command line of configuration $1 on port $2, started with the java binary $3, into the array
# named by $4: JAVA_OPTS, common.properties plus B's or C's own file, and for D the agent with its
# configuration file, then the sink (sink_url) and AGENT_METRICS_PORT as system properties.
app_command() {
	local config=$1 port=$2 java=$3
	local -n app_command_out=$4
	local java_opts locations="file:${config_dir}/common.properties"
	# shellcheck disable=SC2153 # JAVA_OPTS comes from the sourcing script
	read -r -a java_opts <<<"${JAVA_OPTS}"
	app_command_out=("${java}")
	case "${config}" in
	B) locations+=",file:${config_dir}/b-actuator.properties" ;;
	C) locations+=",file:${config_dir}/c-starter.properties" ;;
	D) app_command_out+=("-javaagent:${agent_jar}"
		"-Dotel.javaagent.configuration-file=${config_dir}/d-otel-agent.properties"
		"-Dotel.exporter.otlp.endpoint=${sink_url}"
		"-Dotel.exporter.prometheus.port=${AGENT_METRICS_PORT}") ;;
	esac
	app_command_out+=("${java_opts[@]}" -jar "$(jar_of "${config}")"
		"--spring.config.additional-location=${locations}" "--server.port=${port}")
}

# Starts the command in the array named by $4, configuration $1 on port $2, pinned to CPU $3: its
# command line and output go to ${work_dir}/<config>-<port>.command.txt and .log, its pid to pids.
launch_app() {
	local config=$1 port=$2 cpu=$3
	local -n launch_app_command=$4
	printf '%q ' "${launch_app_command[@]}" >"${work_dir}/${config}-${port}.command.txt"
	taskset -c "${cpu}" "${launch_app_command[@]}" >"${work_dir}/${config}-${port}.log" 2>&1 &
	pids+=("$!")
}

# Sets the paths every script that launches apps needs, from harness_dir and SINK_PORT: config_dir
# and agent_jar (app_command), sink_url (start_sink, sink_posts), and exports OTLP_SINK_ENDPOINT,
# the sink's address, which every app reads.
harness_paths() {
	# shellcheck disable=SC2034 # read by app_command and by the sourcing scripts
	config_dir=${harness_dir}/config
	# shellcheck disable=SC2034
	agent_jar=${harness_dir}/app/target/agent/opentelemetry-javaagent.jar
	sink_url=http://127.0.0.1:${SINK_PORT}
	export OTLP_SINK_ENDPOINT=${sink_url}
}

# Waits (at most 120 s) for configuration $1 on port $2, process $3, to answer 200 on /hello (D too:
# the agent's app is A's); if it exits first, stops with the last lines of its log (launch_app's).
await_healthy() {
	local config=$1 port=$2 pid=$3 _
	local app_log=${work_dir}/${config}-${port}.log
	for _ in $(seq 1 240); do
		kill -0 "${pid}" 2>/dev/null || die "${config} on port ${port} exited during start-up; last lines of ${app_log}:
$(tail -20 "${app_log}")"
		if [[ "$(http_status "http://127.0.0.1:${port}/hello")" == 200 ]]; then
			return 0
		fi
		sleep 0.5
	done
	die "${config} on port ${port} did not answer within 120 s; see ${app_log}"
}

# Heap bytes the app on port $1 has allocated so far, all threads (the apps' /allocated-bytes probe);
# dies when the app does not answer a number.
allocated() {
	local bytes
	bytes=$(http_body "http://127.0.0.1:$1/allocated-bytes")
	[[ "${bytes}" =~ ^[0-9]+$ ]] || die "port $1: /allocated-bytes answered '${bytes}'"
	echo "${bytes}"
}

# ---- report ----------------------------------------------------------------------------------
# One line on the machine and the tree, for a results file.
machine_line() {
	echo "Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo);" \
		"$(java -version 2>&1 | head -1); tree \`$(git -C "${harness_dir}" describe --always --dirty)\`."
}

# The end of a results file: machine_line, then the command that wrote it, whose start ($1: the
# parameters and the script) is followed by the script's arguments ($2...), quoted for a shell.
command_footer() {
	local start=$1
	shift
	machine_line
	echo
	echo "Command: \`${start}$(if (($# > 0)); then printf ' %q' "$@"; fi)\`"
}

# Median of the numbers on stdin, one a line; "n/a" when there are none. With an odd count the
# middle line is printed as read; with an even one the mean of the two middle values, in awk's
# default number format (%.6g).
median() {
	median_formatted ''
}

# The same, but the mean of the two middle values is printed with the printf format $1 (paired.sh:
# '%.3f', the format of the values it reads, so that every median has as many decimals).
median_formatted() {
	sort -g | awk -v f="$1" '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		if (NR % 2) { print v[(NR + 1) / 2]; exit }
		m = (v[NR / 2] + v[NR / 2 + 1]) / 2
		if (f == "") { print m } else { printf f "\n", m } }'
}

# The numbers on stdin, one a line, in the printf format $1; other lines ("n/a") as they are.
format_values() {
	awk -v f="$1" '{if ($1 ~ /^[-+]?[0-9.]+$/) printf f "\n", $1; else print $1}'
}

# The median of the values on stdin, one a line, in the printf format $1 ("n/a" lines left out of
# it), then, when there is more than one line, every line in parentheses in the order read, numbers
# in the same format: "0.904 (0.893, 0.918, 0.904)". feature-costs.sh and cpu-by-thread.sh give their
# launches this way.
median_and_values() {
	local values median
	values=$(cat)
	median=$(grep -v '^n/a$' <<<"${values}" | median_formatted "$1" | format_values "$1")
	if [[ "${values}" != *$'\n'* ]]; then
		printf '%s' "${median}"
		return
	fi
	printf '%s (%s)' "${median}" "$(format_values "$1" <<<"${values}" | paste -sd ',' | sed 's/,/, /g')"
}
