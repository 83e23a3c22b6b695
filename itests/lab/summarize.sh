#!/usr/bin/env bash
# summarize.sh RAW.csv TARGET...: the Markdown summary of a bench.sh run (medians over repetitions),
# written to stdout, and the same numbers as RAW-summary.csv. bench.sh calls it; it can be rerun on
# any raw CSV. Ratios are paired per repetition (target / reference in the same repetition, then the
# median), which is robust against the VM's speed drifting between repetitions; the reference is nft
# on the nat lab and dr-direct on the dr lab.
set -euo pipefail
[[ $# -ge 2 && -f $1 ]] || { echo "usage: summarize.sh RAW.csv TARGET..." >&2; exit 2; }
csv=$1
shift

cat <<EOF
### $(basename "$csv" .csv): $(awk -F, 'NR > 1 && $1 > r { r = $1 } END { print r + 0 }' "$csv") repetition(s), medians

| target | ka req/s | ka p50/p99 ms | close conn/s | close p50/p99 ms | low-load ka p50/p99 µs | low-load close p50/p99 µs | iperf3 UDP rx pps | flood rx pps | director µs/req | director µs/conn | director own µs/req, µs/conn | softirq % ka/close | ka ÷ ref | close ÷ ref | udp ÷ ref | flood ÷ ref | errors | foreign CPU % max |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
EOF
awk -F, -v order="$*" -v out="${csv%.csv}-summary.csv" '
  function median(s,    a, n, i, j, t) {
    n = split(s, a, " ")
    if (n == 0) return ""
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j > 0 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function add(k, v) { if (v != "") vals[k] = vals[k] " " v }
  function m(t, test, col) { return median(vals[t, test, col]) }
  function ratio(t, test,    ref, r, s) {
    ref = topo[t] == "dr" ? "dr-direct" : "nft"
    for (r in reps) if ((t, test, r) in rate && (ref, test, r) in rate && rate[ref, test, r] > 0)
      s = s " " rate[t, test, r] / rate[ref, test, r]
    return median(s)
  }
  function k(v) { return v == "" ? "n/a" : v >= 1000 ? sprintf("%.1fk", v / 1000) : sprintf("%.0f", v) }
  function f(fmt, v) { return v == "" ? "n/a" : sprintf(fmt, v) }
  function pair(a, b, div) { return a == "" ? "n/a" : div == 1 ? sprintf("%.0f / %.0f", a, b) : sprintf("%.2f / %.2f", a / div, b / div) }
  NR == 1 { next }
  {
    t = $3; topo[t] = $2; reps[$1] = 1; errors[t] += $8; if ($17 + 0 > foreign[t]) foreign[t] = $17 + 0
    if ($5 == "") failed[t]++; else rate[t, $4, $1] = $5
    add(t SUBSEP $4 SUBSEP "rate", $5); add(t SUBSEP $4 SUBSEP "p50", $6); add(t SUBSEP $4 SUBSEP "p99", $7)
    add(t SUBSEP $4 SUBSEP "perop", $12); add(t SUBSEP $4 SUBSEP "softirq", $15)
    if ($12 != "" && $18 != "") add(t SUBSEP $4 SUBSEP "own", $12 * $18)
  }
  END {
    print "target,topology,ka_rps,ka_p50_us,ka_p99_us,close_cps,close_p50_us,close_p99_us,lat_ka_p50_us,lat_ka_p99_us,lat_close_p50_us,lat_close_p99_us,udp_pps,flood_pps,dir_us_per_req,dir_us_per_conn,dir_own_us_per_req,dir_own_us_per_conn,softirq_pct_ka,softirq_pct_close,ratio_ka,ratio_close,ratio_udp,ratio_flood,errors,failed_tests,foreign_pct_max" > out
    n = split(order, ts, " ")
    for (i = 1; i <= n; i++) {
      t = ts[i]
      if (!(t in topo)) { printf "| %s | skipped (see the bench output) |\n", t; continue }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s, %s | %s / %s | %s | %s | %s | %s | %d%s | %.0f |\n", t,
        k(m(t, "ka", "rate")), pair(m(t, "ka", "p50"), m(t, "ka", "p99"), 1000),
        k(m(t, "close", "rate")), pair(m(t, "close", "p50"), m(t, "close", "p99"), 1000),
        pair(m(t, "lat-ka", "p50"), m(t, "lat-ka", "p99"), 1), pair(m(t, "lat-close", "p50"), m(t, "lat-close", "p99"), 1),
        k(m(t, "udp", "rate")), k(m(t, "flood", "rate")),
        f("%.1f", m(t, "ka", "perop")), f("%.1f", m(t, "close", "perop")),
        f("%.1f", m(t, "ka", "own")), f("%.1f", m(t, "close", "own")),
        f("%.0f", m(t, "ka", "softirq")), f("%.0f", m(t, "close", "softirq")),
        f("%.2f", ratio(t, "ka")), f("%.2f", ratio(t, "close")), f("%.2f", ratio(t, "udp")), f("%.2f", ratio(t, "flood")),
        errors[t], failed[t] ? sprintf(" (%d failed tests)", failed[t]) : "", foreign[t]
      printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,%.1f\n", t, topo[t],
        m(t, "ka", "rate"), m(t, "ka", "p50"), m(t, "ka", "p99"), m(t, "close", "rate"), m(t, "close", "p50"), m(t, "close", "p99"),
        m(t, "lat-ka", "p50"), m(t, "lat-ka", "p99"), m(t, "lat-close", "p50"), m(t, "lat-close", "p99"),
        m(t, "udp", "rate"), m(t, "flood", "rate"), m(t, "ka", "perop"), m(t, "close", "perop"),
        m(t, "ka", "own"), m(t, "close", "own"), m(t, "ka", "softirq"), m(t, "close", "softirq"),
        ratio(t, "ka"), ratio(t, "close"), ratio(t, "udp"), ratio(t, "flood"), errors[t], failed[t], foreign[t] > out
    }
  }' "$csv"
cat <<'EOF'

Ratios: paired per repetition to nft (nat lab) or dr-direct (dr lab), median. Director µs/op: CPU of
the processes in jvs-lb per request (ka) or per connection (close); kernel forwarding (direct, nft) is
softirq work charged to no process, so look at the softirq column (% of the whole 2-core machine).
Director own µs: the same without the samples (perf, cpu-clock, call chains) that ran in softirq: on veth
a sender runs the receiver's softirq (bridge, the peer's TCP receive, its wake-ups) in its own context.
Foreign CPU: busy time of other work on the machine during a test; above ~10 % the numbers are noisy.
EOF
