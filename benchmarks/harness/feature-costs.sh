#!/usr/bin/env bash
# What each of the starter's switches costs per request: configuration C in several variants, each
# against the bare app A in alternating pairs (paired.sh ALTERNATE=true: both apps up on one CPU,
# loaded in turn, each measured with the CPU to itself), written as one table of throughput ratio,
# CPU per request and allocation per request. The variants differ from C by one or two switches, so
# the steps between rows are what a switch costs.
#
#   benchmarks/harness/feature-costs.sh                  # the 6 variants below: about 45 min
#   VARIANTS='1 2' benchmarks/harness/feature-costs.sh
#   VARIANTS='1 6 2' REPEATS=3 benchmarks/harness/feature-costs.sh   # about 67 min
#
# The warm-up is lib.sh's STEADY_WARMUP_SECONDS (240 s): C's larger code keeps the JIT busy for
# minutes on one CPU.
#
# Two launches of one configuration differ by a few per cent, about as much as neighbouring variants:
# REPEATS=n launches every variant n times, in the order given, then reversed, and so on, and reports
# the median of the launches' medians with each launch's figure beside it.
#
# Reuses run.sh's jars and configuration files (run that once first). Writes
# results/feature-costs-<date>-<time>.md, with every variant's rounds; the per-variant paired.sh
# results stay in target/feature-costs-<date>-<time>/.
set -euo pipefail

harness_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "${harness_dir}/lib.sh"

# name|arguments for C's app (on top of config/c-starter.properties)
variant_list=(
	"everything on, as C (tracing 10 %, a histogram for every request, user and org labels)|"
	"tracing off|--observability.tracing.enabled=false"
	"tracing off, histograms and sizes for 1 request in 10|--observability.tracing.enabled=false --observability.metrics.sample-rate=0.1"
	"tracing off, no user and org labels|--observability.tracing.enabled=false --observability.metrics.detailed.enabled=false"
	"tracing off, HTTP metrics by Spring's observation instead of the starter's filter|--observability.tracing.enabled=false --observability.http.enabled=false"
	"tracing on, no request sampled: every span started, made current and ended, none recorded or exported|--observability.tracing.sample-rate=0.0"
)
VARIANTS=${VARIANTS:-$(seq -s ' ' 1 "${#variant_list[@]}")}
REPEATS=${REPEATS:-1}
ROUNDS=${ROUNDS:-6}
DISCARD_ROUNDS=${DISCARD_ROUNDS:-3}
WARMUP_SECONDS=${WARMUP_SECONDS:-${STEADY_WARMUP_SECONDS}}
MEASURE_SECONDS=${MEASURE_SECONDS:-15}
RESULTS_DIR=${RESULTS_DIR:-${harness_dir}/results}

stamp=$(date +%Y-%m-%d-%H%M%S)
work_dir=${harness_dir}/target/feature-costs-${stamp}
results_md=${RESULTS_DIR}/feature-costs-${stamp}.md

for index in ${VARIANTS}; do
	if ! [[ "${index}" =~ ^[0-9]+$ ]] || ((index < 1 || index > ${#variant_list[@]})); then
		die "unknown variant '${index}' in VARIANTS (1 to ${#variant_list[@]})"
	fi
done
[[ "${REPEATS}" =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a whole number of launches, 1 or more: '${REPEATS}'"
[[ -f "$(jar_of A)" && -f "$(jar_of C)" ]] || die "the harness jars are missing: run benchmarks/harness/run.sh once first"
mkdir -p "${work_dir}" "${RESULTS_DIR}"
count=$(wc -w <<<"${VARIANTS}")
launches=$((count * REPEATS))
log "${launches} launch(es) x (start-up + ${WARMUP_SECONDS} s + ${ROUNDS} x 2 x ${MEASURE_SECONDS} s):" \
	"about $((launches * (WARMUP_SECONDS + ROUNDS * 2 * MEASURE_SECONDS + 20) / 60 + 1)) min"

# The order of the variants in launch $1: as given in odd launches, reversed in even ones, so that
# no variant always follows the same one.
launch_order() {
	if (($1 % 2 == 1)); then
		echo "${VARIANTS}"
	else
		tr ' ' '\n' <<<"${VARIANTS}" | grep . | tac | tr '\n' ' '
	fi
}

# Launch $1 of variant $2: paired.sh against A; appends its medians to work_dir/launches-<variant>
# (ratio, CPU ratio, allocation, allocation over A's, trace POSTs) and its rounds to rounds.md.
measure_variant() {
	local repeat=$1 index=$2 entry name args variant_dir result summary ratio cost alloc traces alloc_a alloc_c extra
	entry=${variant_list[index - 1]}
	name=${entry%%|*}
	args=${entry#*|}
	log "variant ${index}, launch ${repeat} of ${REPEATS}: ${name}"
	variant_dir=${work_dir}/variant-${index}-launch-${repeat}
	mkdir -p "${variant_dir}"
	PAIRS=C ALTERNATE=true X_ARGS="${args}" ROUNDS="${ROUNDS}" DISCARD_ROUNDS="${DISCARD_ROUNDS}" \
		WARMUP_SECONDS="${WARMUP_SECONDS}" MEASURE_SECONDS="${MEASURE_SECONDS}" RESULTS_DIR="${variant_dir}" \
		"${harness_dir}/paired.sh"
	result=$(find "${variant_dir}" -name 'paired-*.md' | head -n 1)
	[[ -n "${result}" ]] || die "variant ${index}: paired.sh wrote no results in ${variant_dir}"
	# | A/C | ratio | cost | alloc A / alloc C | traces |
	summary=$(grep -m1 '^| A/C | [0-9n]' "${result}") || die "variant ${index}: no summary row in ${result}"
	IFS='|' read -r _ _ ratio cost alloc traces _ <<<"${summary}"
	alloc_a=$(awk -F' / ' '{gsub(/ /, "", $1); print $1}' <<<"${alloc}")
	alloc_c=$(awk -F' / ' '{gsub(/ /, "", $2); print $2}' <<<"${alloc}")
	extra=$(awk -v a="${alloc_a}" -v c="${alloc_c}" 'BEGIN {if (a ~ /^[0-9]+$/ && c ~ /^[0-9]+$/) printf "%+d", c - a; else print "n/a"}')
	echo "${ratio// /} ${cost// /} ${alloc_c} ${extra} ${traces// /}" >>"${work_dir}/launches-${index}"
	{
		echo "Variant ${index} (${name}), launch ${repeat}:"
		echo
		sed -n '/^| pair | round |/,/^$/p' "${result}"
	} >>"${work_dir}/rounds.md"
}

# Column $2 of variant $1's launches: the value itself after one launch; after several, their median
# (printf format $3) with every launch's value, in launch order, in parentheses.
over_launches() {
	awk -v c="$2" '{print $c}' "${work_dir}/launches-$1" | median_and_values "$3"
}

: >"${work_dir}/rows.md"
: >"${work_dir}/rounds.md"
for ((repeat = 1; repeat <= REPEATS; repeat++)); do
	for index in $(launch_order "${repeat}"); do
		measure_variant "${repeat}" "${index}"
	done
done
for index in ${VARIANTS}; do
	entry=${variant_list[index - 1]}
	name=${entry%%|*}
	args=${entry#*|}
	echo "| ${index} | ${name} | \`${args:-(none)}\` | $(over_launches "${index}" 1 '%.3f') | $(over_launches "${index}" 2 '%.3f') |" \
		"$(over_launches "${index}" 3 '%.0f') | $(over_launches "${index}" 4 '%+.0f') | $(over_launches "${index}" 5 '%.0f') |" >>"${work_dir}/rows.md"
done

{
	echo "# Feature costs: $(date -u '+%Y-%m-%d %H:%M') UTC"
	echo
	echo "Method: [benchmarks/harness/README.md](../README.md#feature-costs). Each variant is configuration C"
	echo "(\`config/c-starter.properties\`) with the arguments shown, measured against the bare app A by"
	echo "\`paired.sh\` with ALTERNATE=true: both apps up on CPU 0, loaded in turn under \`wrk -t1 -c16\`, each with"
	echo "the CPU to itself while measured; ${WARMUP_SECONDS} s of warm-up, ${ROUNDS} rounds of ${MEASURE_SECONDS} s each, the"
	echo "first ${DISCARD_ROUNDS} discarded; medians of the kept rounds. A is restarted for every variant."
	if ((REPEATS > 1)); then
		echo "Every variant was launched ${REPEATS} times (with a new A each time), the variants in the order"
		echo "\`${VARIANTS}\` in odd launches and reversed in even ones; each cell is the median of the launches'"
		echo "medians, with every launch's own median in parentheses, in launch order."
	fi
	echo
	echo "- throughput ratio: the variant's req/s / A's, in the same round (1.0 = free);"
	echo "- CPU per request: A's CPU time per request / the variant's (below 1 when it costs more);"
	echo "- allocation: heap bytes per request, all threads of the process (the apps' \`/allocated-bytes\`)."
	echo
	echo "| # | variant | arguments | throughput ratio | CPU-per-request ratio | allocation (B/request) | over A's in the same pair | trace POSTs |"
	echo "|---|---|---|---|---|---|---|---|"
	cat "${work_dir}/rows.md"
	echo
	echo "## Rounds"
	echo
	cat "${work_dir}/rounds.md"
	machine_line
	echo
	echo "Command: \`VARIANTS='${VARIANTS}' REPEATS=${REPEATS} ROUNDS=${ROUNDS} DISCARD_ROUNDS=${DISCARD_ROUNDS} WARMUP_SECONDS=${WARMUP_SECONDS} MEASURE_SECONDS=${MEASURE_SECONDS} benchmarks/harness/feature-costs.sh\`"
} >"${results_md}"
log "results: ${results_md}"
