# Shell functions shared by run.sh and backend-down.sh; sourced, never run. The caller sets
# LOAD_CPU (the CPU that curl runs on) before calling http_status or http_body.
# shellcheck shell=bash

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

# Sum of the sample values of the lines of a Prometheus scrape that match a regular expression.
series_sum() {
	awk -v re="$2" '$0 ~ re { n += $NF } END { printf "%.0f", n + 0 }' "$1"
}

# ---- report ----------------------------------------------------------------------------------
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		if (NR % 2) { m = v[(NR + 1) / 2] } else { m = (v[NR / 2] + v[NR / 2 + 1]) / 2 }
		print m }'
}
