#!/usr/bin/env bash
# measure-net.sh [out.md]: network figures for docs/performance.md (issue 7, "Measured").
# Runs two test cases of kernel/tests/Kernel.Tests, each of which checks every byte it moves and prints a MEASURE
# line, and turns those lines into a markdown fragment:
#   - NetMeasureTests.StackToStackThroughputAndRoundTripAgainstMemcpy: in one host process, two stacks over the
#     simulated link: 8 MiB throughput (best of 3) and the round-trip time of 2,000 32-byte request/responses,
#     against memcpy bandwidth sampled in the same run, and their ratio;
#   - NetQemuTests.ThroughputAndRoundTripThroughTheNic: the kernel booted under QEMU TCG with an e1000 on user
#     networking (slirp): host -> kernel into the kernel's sink (TCP 9), kernel -> host from its source (TCP 19),
#     KERNEL_NET_MEASURE_MIB MiB each way (default 8, best of 3), and 1,000 32-byte echoes (TCP 7);
#   - TapLinuxPeerTests.LinuxPeerOverTapPingsEchoesAndServes: the same through a tap device in a network namespace,
#     with Linux's own TCP as the peer (4 MiB each way, best of 3); skipped, and said so, where no namespace can be
#     made.
# Prints the fragment and writes it to [out.md] (default kernel/out/network.md). About a minute with the build.
# Needs the host tools (kernel/scripts/install-deps.sh); dotnet test builds the test project and the kernel image.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$here/out/network.md}"
mkdir -p "$(dirname "$out")"
log="$(mktemp /tmp/measure-net-XXXXXX.log)"
trap 'rm -f "$log"' EXIT
load="$(cut -d' ' -f1-3 /proc/loadavg)"

filter="FullyQualifiedName~NetMeasureTests.StackToStackThroughputAndRoundTripAgainstMemcpy|FullyQualifiedName~NetQemuTests.ThroughputAndRoundTripThroughTheNic|FullyQualifiedName~TapLinuxPeerTests.LinuxPeerOverTapPingsEchoesAndServes"
if ! dotnet test "$here/tests/Kernel.Tests" --filter "$filter" --logger "console;verbosity=detailed" >"$log" 2>&1; then
  echo "measure-net: the measuring tests failed (figures of a stack that does not work are not figures):" >&2
  grep -E "Failed |Error Message|error" -A3 "$log" | head -40 >&2 || tail -40 "$log" >&2
  exit 1
fi

line() { grep -m1 -oE "MEASURE $1 .*" "$log" || { echo "measure-net: no 'MEASURE $1' line in the test output" >&2; exit 1; }; }
inproc="$(line inproc)"
qemu="$(line qemu)"
tap="$(grep -m1 -oE "MEASURE tap .*" "$log" || true)"
# the skip reasons NetnsFactAttribute gives (TapLinuxPeerTests.cs)
tapskip="$(grep -m1 -oE "cannot create a (network namespace|tap device)[^|]*" "$log" | head -1 || true)"
# value of key=... in a MEASURE line
get() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
fmt() { awk -v x="$1" -v d="${2:-0}" 'BEGIN { printf "%.*f", d, x }'; }

size=$(get "$inproc" size)
stack=$(get "$inproc" stack_MBps)
memcpy=$(get "$inproc" memcpy_MBps)
ratio=$(get "$inproc" ratio)
frames=$(get "$inproc" frames)
usframe=$(get "$inproc" us_per_frame)
simms=$(get "$inproc" sim_ms)
rttn=$(get "$inproc" rtt_n)
rttp=$(get "$inproc" rtt_payload)
rttmed=$(get "$inproc" rtt_median_us)
rtt10=$(get "$inproc" rtt_p10_us)
rtt90=$(get "$inproc" rtt_p90_us)
rttsim=$(get "$inproc" rtt_sim_ms)
perrtt=$(get "$inproc" memcpy_bytes_per_rtt)
mib=$(get "$qemu" mib)
sink=$(get "$qemu" sink_MBps)
source=$(get "$qemu" source_MBps)
qn=$(get "$qemu" rtt_n)
qp=$(get "$qemu" rtt_payload)
qmed=$(get "$qemu" rtt_median_us)
q10=$(get "$qemu" rtt_p10_us)
q90=$(get "$qemu" rtt_p90_us)

{
  echo "### Network stack"
  echo
  echo "Measured by \`kernel/scripts/measure-net.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, load average $load when"
  echo "the run started; other work on the machine slows everything, so compare the ratios, or runs at similar load)."
  echo "Each figure comes from a test case that checks every byte it moves."
  echo
  echo "**In-process, stack to stack** (\`NetMeasureTests\`: two \`NetStack\`s joined by \`SimLink\`, clean link, 1 ms"
  echo "one way, host .NET with the JIT untiered; one process run, memcpy sampled between the stack's runs):"
  echo
  echo "| figure | value |"
  echo "| --- | --- |"
  echo "| throughput, $(fmt $((size / 1048576))) MiB from A's socket to B's reader (wall, best of 3) | **$(fmt "$stack" 1) MB/s** ($(fmt "$frames") frames, $usframe µs per frame; $simms ms simulated) |"
  echo "| memcpy bandwidth (\`Buffer.BlockCopy\` of the same $(fmt $((size / 1048576))) MiB, best of 5 x 10) | $(fmt "$memcpy") MB/s |"
  echo "| throughput / memcpy | **$(awk -v r="$ratio" 'BEGIN { printf "%.2f %%", 100 * r }')** |"
  echo "| round trip: $rttp-byte request, echoed by B's application, read back by A (wall, median of $(fmt "$rttn"); p10 / p90) | **$rttmed µs** ($rtt10 / $rtt90 µs) |"
  echo "| memcpy moves in one median round trip | $(fmt "$perrtt") bytes |"
  echo "| simulated time of one round trip | $rttsim ms (the link's 1 ms each way: no timer involved) |"
  echo
  echo "**Under QEMU TCG, through the e1000** (\`NetQemuTests\`: the multiboot kernel running \`net-serve\`, QEMU user"
  echo "networking (slirp) with forwarded ports, the host as the peer; every byte checked on the receiving side):"
  echo
  echo "| figure | value |"
  echo "| --- | --- |"
  echo "| host -> kernel: $mib MiB into the kernel's sink (TCP 9: reads to end of stream, checks each byte against the pattern, answers the count; time to the answer, best of 3) | **$sink MB/s** |"
  echo "| kernel -> host: $mib MiB from the kernel's source (TCP 19; time to end of stream, best of 3) | **$source MB/s** |"
  echo "| host -> kernel -> host round trip: $qp-byte echo (TCP 7, Nagle off), median of $(fmt "$qn"); p10 / p90 | **$qmed µs** ($q10 / $q90 µs) |"
  echo
  if [ -n "$tap" ]; then
    echo "**Under QEMU TCG, with Linux as the peer** (\`TapLinuxPeerTests\`: the e1000 on a tap device in a network"
    echo "namespace the test creates; Linux's TCP on the other end instead of slirp's):"
    echo
    echo "| figure | value |"
    echo "| --- | --- |"
    echo "| Linux -> kernel: $(get "$tap" mib) MiB into the sink (best of 3) | **$(get "$tap" sink_MBps) MB/s** |"
    echo "| kernel -> Linux: $(get "$tap" mib) MiB from the source (best of 3) | **$(get "$tap" source_MBps) MB/s** |"
    echo "| Linux -> kernel -> Linux round trip: $(get "$tap" rtt_payload)-byte echo, median of $(get "$tap" rtt_n); p10 / p90 | **$(get "$tap" rtt_median_us) µs** ($(get "$tap" rtt_p10_us) / $(get "$tap" rtt_p90_us) µs) |"
  else
    echo "With Linux as the peer (tap device in a network namespace): not measured on this machine: ${tapskip:-the test printed no figures}."
  fi
} | tee "$out"
