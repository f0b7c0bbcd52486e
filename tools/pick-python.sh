#!/bin/sh
# Prints the Python that `make` creates .venv with: $1 when given (make's PYTHON=...), otherwise
# the fastest CPython >= 3.11 on PATH.
#
# The classifier is pure Python and CPU-bound, and interpreters of the same version differ: a
# distribution's build (profile-guided and link-time optimised) runs it 15-20% faster than a
# source build without --enable-optimizations, which is what version managers such as pyenv make
# by default. So every python3.1x and python3 on PATH that can make a venv runs the same short
# timing (the best of three 10 ms loops), in three rounds, and the fastest wins (1-2 s in all).
# With none, it prints python3.
# Past the timing only shell built-ins run, so PATH may hold anything (the tests give it fakes).
# PICK_PYTHON_VERBOSE=1 prints each one's time.
set -u

if [ -n "${1:-}" ]; then
    echo "$1"
    exit 0
fi

# A little of what a check does: regular expressions at word starts, dict lookups, calls, slices.
timing='
import ensurepip, os, re, sys, time, venv  # venv and its pip: Debian ships them apart
assert sys.version_info >= (3, 11)
word = re.compile(r"(?:work|personal|credits?|budget)\b")
text = "a $500/month api budget for work only; unused credits expire monthly. " * 4
table = {w: i for i, w in enumerate(text.split())}
def starts(s):
    return [i for i, c in enumerate(s) if c == " "]
best = 1e9
for _ in range(3):
    t0 = time.perf_counter()
    for _ in range(600):
        found = [m for i in starts(text) if (m := word.match(text, i + 1))]
        hits = sum(table.get(w, 0) for w in text.split())
        parts = [text[i : i + 8] for i in range(0, len(text), 8)]
    best = min(best, time.perf_counter() - t0)
print(round(best * 1e6), os.path.realpath(sys.executable))
'

fastest=python3
fastest_time=
old_ifs=$IFS
# Three rounds, each timing every interpreter in turn: this machine's speed can swing by half within
# seconds, and the fastest single run of an interpreter is the one least slowed by it. (The same
# interpreter found under two names is simply timed twice.)
for round in 1 2 3; do
    IFS=:
    for dir in $PATH; do
        IFS=$old_ifs
        for name in python3.11 python3.12 python3.13 python3.14 python3; do
            candidate="$dir/$name"
            [ -x "$candidate" ] || continue
            line=$("$candidate" -c "$timing" 2>/dev/null) || continue
            microseconds=${line%% *}
            executable=${line#* }
            [ -n "${PICK_PYTHON_VERBOSE:-}" ] && echo "round $round: $microseconds µs $executable" >&2
            if [ -z "$fastest_time" ] || [ "$microseconds" -lt "$fastest_time" ]; then
                fastest=$executable
                fastest_time=$microseconds
            fi
        done
        IFS=:
    done
    IFS=$old_ifs
done
echo "$fastest"
