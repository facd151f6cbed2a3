#!/usr/bin/env bash
# CPU time of one Java process by thread group, over a window: where a configuration's CPU goes
# (request threads, GC, JIT compilers, the span exporter...), which JFR's execution samples do not
# show for the JVM's own threads.
#
#   benchmarks/harness/thread-cpu.sh <pid> [seconds]     # default window: 20 s
#
# Reads user and system ticks of every thread from /proc/<pid>/task/*/stat at the start and the end
# of the window (a thread born or gone inside it counts from zero or is missed) and prints, by
# thread name with numbers folded (http-nio-8080-exec-3 -> http-nio-#-exec-#), ticks (user +
# system), the system ticks among them (the kernel's work for the thread: the network path, for a
# request thread) and share.
set -euo pipefail

pid=${1:?usage: thread-cpu.sh <pid> [seconds]}
seconds=${2:-20}
[[ -d "/proc/${pid}" ]] || { echo "no process ${pid}" >&2; exit 1; }

# One line per thread: tid, user ticks, system ticks, folded name. The name sits between parentheses
# and may hold spaces, so the fields after it are counted from the closing parenthesis.
snapshot() {
	local stat tid name rest
	for stat in /proc/"${pid}"/task/*/stat; do
		tid=${stat%/stat}
		tid=${tid##*/}
		{ read -r line <"${stat}"; } 2>/dev/null || continue
		name=${line#*(}
		name=${name%)*}
		rest=${line##*) }
		# shellcheck disable=SC2086 # split the fields on purpose
		set -- ${rest}
		# fields after the name: state is $1, utime (field 14 of the line) is $12 here, stime $13
		printf '%s\t%s\t%s\t%s\n' "${tid}" "${12}" "${13}" "$(sed -E 's/([-_ #])[0-9]+/\1#/g; s/[0-9]+$/#/' <<<"${name}")"
	done
}

before=$(snapshot)
sleep "${seconds}"
after=$(snapshot)
awk -F '\t' -v secs="${seconds}" -v hz="$(getconf CLK_TCK)" '
	NR == FNR { user[$1] = $2; sys[$1] = $3; next }
	{
		u = $2 - (($1 in user) ? user[$1] : 0); s = $3 - (($1 in sys) ? sys[$1] : 0)
		by[$4] += u + s; kernel[$4] += s; total += u + s; total_kernel += s
	}
	END {
		printf "%8s %8s %7s  %s\n", "ticks", "system", "share", "thread (numbers folded)"
		for (n in by) if (by[n] > 0) printf "%8d %8d %6.1f%%  %s\n", by[n], kernel[n], 100 * by[n] / total, n | "sort -nr"
		close("sort -nr")
		printf "%8d %8d          total: %.2f CPUs over %d s\n", total, total_kernel, total / hz / secs, secs
	}' <(echo "${before}") <(echo "${after}")
