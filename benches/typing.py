#!/usr/bin/env python3
"""Typing-timing benchmark: runs a command that retypes a text, timestamps every chunk it
writes, and prints the achieved rate, the spacing of the writes and the CPU it used.

    benches/typing.py [FUN_BINARY]

Compares, on the same 80-character text: `fun type --even --cps 8`, Debian's `pv -qL 8` (the
anchor; pv writes on a 90 ms grid with stutters) and `fun pv -qL 8` when it exists, plus the
human rhythm `fun type --cps 14`."""
import os, resource, shutil, statistics, subprocess, sys, time

TEXT = b"The quick brown fox jumps over the lazy dog; pack my box with five dozen jugs.\n"


def measure(name, argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    proc.stdin.write(TEXT)
    proc.stdin.close()
    stamps, total = [], b""
    fd = proc.stdout.fileno()
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        stamps.append(time.monotonic())
        total += chunk
    proc.wait()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    elapsed = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    rate = (len(total) - 1) / elapsed if elapsed else float("inf")
    ok = "same bytes" if total == TEXT else "BYTES DIFFER"
    print(f"{name:28} writes {len(stamps):3}  rate {rate:6.2f} B/s  "
          f"gap mean {statistics.mean(gaps)*1000:6.1f} ms  sd {statistics.pstdev(gaps)*1000:6.1f} ms  "
          f"max {max(gaps)*1000:6.1f} ms  cpu {cpu*1000:6.1f} ms  {ok}")
    return statistics.pstdev(gaps)


def main():
    fun = sys.argv[1] if len(sys.argv) > 1 else "target/release/fun"
    print(f"text: {len(TEXT)} bytes; requested 8 characters per second unless noted")
    sd_fun = measure("fun type --even --cps 8", [fun, "type", "--even", "--cps", "8"])
    if shutil.which("pv"):
        sd_pv = measure("pv -qL 8 (Debian)", ["pv", "-qL", "8"])
        print(f"spacing spread (sd of gaps): fun {sd_fun*1000:.1f} ms vs pv {sd_pv*1000:.1f} ms")
    if subprocess.run([fun, "pv", "-q"], input=b"", capture_output=True).returncode == 0:
        measure("fun pv -qL 8", [fun, "pv", "-qL", "8"])
    measure("fun type --cps 14 (human)", [fun, "type", "--cps", "14", "--seed", "1"])


if __name__ == "__main__":
    main()
