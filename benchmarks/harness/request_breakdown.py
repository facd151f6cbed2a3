#!/usr/bin/env python3
"""Splits the JFR execution samples of a harness app's request threads around the starter's HTTP
filter (profile-request.sh runs it; usage: request_breakdown.py <recording.jfr>). Prints Markdown."""
import collections
import json
import re
import subprocess
import sys

FILTER = "dev.observability.spring.autoconfigure.http.HttpServerMetricsFilter"
CHAIN = "org.apache.catalina.core.ApplicationFilterChain."
# The filter's own work, by the method of the filter (or of the recorder) it went through; the
# first that a sample's stack holds names it.
PARTS = [
    ("server span: start (sampler, ids, attributes, propagation headers)", FILTER + ".startSpan"),
    ("server span: made current (context storage, Boot's scope events, MDC)", FILTER + ".currentSpan"),
    ("server span: scope closed (the same, undone)", FILTER + ".close"),
    ("server span: ended (attributes, export queue)", FILTER + ".endSpan"),
    ("metrics: cardinality limiter (user, org)", FILTER + ".limited"),
    ("metrics: recorder (meter look-ups, timer, size summary, exemplars)",
     "dev.observability.core.http.HttpServerMetrics.requestFinished"),
    ("metrics: response wrapper", "dev.observability.spring.autoconfigure.http.CountingResponse"),
    ("filter: reading the request and response (route, status, attributes)", FILTER + ".record"),
]


def samples(recording):
    out = subprocess.check_output(["jfr", "print", "--json", "--stack-depth", "256",
                                   "--events", "jdk.ExecutionSample", recording])
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        thread = (values.get("sampledThread") or {}).get("javaName") or "?"
        frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
                  for f in ((values.get("stackTrace") or {}).get("frames") or [])]
        yield thread, frames


def main(recording):
    threads = collections.Counter()
    where = collections.Counter()
    leaves = collections.Counter()
    requests = 0
    total = 0
    for thread, frames in samples(recording):
        total += 1
        if "-exec-" not in thread:
            threads[re.sub(r"\d+", "#", thread)] += 1
            continue
        requests += 1
        own = [i for i, frame in enumerate(frames) if frame == FILTER + ".doFilter"]
        if not own:
            where["outside the filter (Tomcat, and every request when the starter is absent)"] += 1
            continue
        above = frames[:own[-1]]
        if any(frame.startswith(CHAIN) for frame in above):
            where["the rest of the filter chain (Spring MVC, the controller, response writing)"] += 1
            continue
        for name, marker in PARTS:
            if any(frame.startswith(marker) for frame in above):
                where[name] += 1
                break
        else:
            where["filter: anything else"] += 1
        if above:
            leaves[above[0]] += 1
    if requests == 0:
        print("No request-thread samples in %s." % recording)
        return
    print("%d execution samples; %d on request threads (`*-exec-*`)." % (total, requests))
    print()
    print("| request threads' Java time | samples | share |")
    print("|---|---|---|")
    own_total = 0
    for name, count in where.most_common():
        if name.startswith(("server span", "metrics", "filter")):
            own_total += count
        print("| %s | %d | %.2f %% |" % (name, count, 100.0 * count / requests))
    print("| **the starter's filter itself, all of the above but the chain and outside** | %d | **%.2f %%** |"
          % (own_total, 100.0 * own_total / requests))
    print()
    if leaves:
        print("Within the filter, the methods on top of the stack (self time), the first 12:")
        print()
        print("| method | samples |")
        print("|---|---|")
        for name, count in leaves.most_common(12):
            print("| `%s` | %d |" % (name, count))
        print()
    print("Other threads' samples (Java code only): " +
          (", ".join("%s %d" % item for item in threads.most_common(6)) or "none") + ".")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: request_breakdown.py <recording.jfr>")
    main(sys.argv[1])
