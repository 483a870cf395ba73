#!/usr/bin/env python3
"""Runs the shell examples of README.md and docs/ (called by docs-examples.sh; stdlib only).

Every fenced block in a shell language (sh, bash, shell, console) must be marked by an HTML
comment on the line before it (the comment is invisible on GitHub):

  <!-- run -->              run it; every command must succeed
  <!-- run exit=N -->       run it; the last command must exit with N, the others with 0
  <!-- no-run: REASON -->   not run (it needs a terminal, a network, root...); the reason is
                            required, so leaving a block out is a decision someone wrote down

Comments `<!-- setup: COMMANDS -->` just before the marker run first, unseen by the reader
(to make the files an example reads, say).

A `sh` block runs as one bash script (`set -e -o pipefail`); its output is not compared. A
`console` block is a session: lines starting with `$ ` are commands (a line ending in `\\`
continues), and the lines after a command are what it prints (stdout and stderr together, as
on a terminal), compared exactly; a line `...` stands for any number of lines, and `...`
inside a line for any text (a home folder, say).

All the blocks of one file run in order in one temporary home (HOME, the working folder), with
`fun` first in PATH, LC_ALL=C.UTF-8, TZ=UTC, TERM=dumb, no XDG variable and no terminal.
Also checked: every relative link of these files points to a file (and heading) that exists,
and every
test a doc names (`module::a_long_test_name`) exists.

Usage: docs_examples.py FUN_BINARY [FILE.md...]
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SHELLS = {"sh", "bash", "shell", "console"}
MARKER = re.compile(r"^<!-- (run(?: exit=(\d+))?|no-run: .+|setup: (.+)) -->$")
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w-]*)")
TIMEOUT = 30


class Block:
    def __init__(self, path, line, lang, body, marker, exit_code, setup):
        self.path, self.line, self.lang, self.body = path, line, lang, body
        self.marker, self.exit_code, self.setup = marker, exit_code, setup

    def where(self):
        return f"{self.path}:{self.line}"


def blocks(path):
    """The fenced shell blocks of a Markdown file, with their markers."""
    lines = path.read_text().split("\n")
    found, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang, start = m.group(2), m.group(3), i
        j = i + 1
        while j < len(lines) and not lines[j].strip().startswith(fence):
            j += 1
        body = [line[len(m.group(1)):] for line in lines[i + 1:j]]
        if lang in SHELLS:
            marker, exit_code, setup = None, 0, []
            k = start - 1
            while k >= 0 and MARKER.match(lines[k].strip()):
                mm = MARKER.match(lines[k].strip())
                if mm.group(3) is not None:
                    setup.insert(0, mm.group(3))
                elif marker is None:
                    marker = mm.group(1)
                    exit_code = int(mm.group(2) or 0)
                k -= 1
            found.append(Block(path, start + 1, lang, body, marker, exit_code, setup))
        i = j + 1
    return found


def environment(home, fun):
    env = {
        "HOME": str(home),
        "PATH": f"{Path(fun).parent}:/usr/local/bin:/usr/bin:/bin",
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "TERM": "dumb",
        "COLUMNS": "80",
        "TMPDIR": str(home / "tmp"),
    }
    (home / "tmp").mkdir(exist_ok=True)
    return env


def run(script, home, env):
    try:
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=home, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return None, f"(no end within {TIMEOUT} s)"
    return done.returncode, done.stdout.decode("utf-8", "replace")


def session(body):
    """A console block as [(command, [expected lines])]."""
    steps = []
    for line in body:
        if steps and steps[-1][0].endswith("\\") and not steps[-1][1]:
            steps[-1] = (steps[-1][0] + "\n" + line, [])
        elif line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return [(c, strip_blank_end(out)) for c, out in steps]


def strip_blank_end(lines):
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def matches(expected, actual):
    """Line by line, trailing blanks ignored; `...` matches any number of lines."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in strip_blank_end(actual)]
    if not expected:
        return True
    def go(e, a):
        if e == len(expected):
            return a == len(actual)
        if expected[e] == "...":
            return any(go(e + 1, k) for k in range(a, len(actual) + 1))
        return a < len(actual) and same_line(expected[e], actual[a]) and go(e + 1, a + 1)
    return go(0, 0)


def same_line(expected, actual):
    """Equal, where `...` inside a line stands for any text (a home folder, a path)."""
    if "..." not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def check_block(block, home, env):
    """Failures of one marked block, as lines."""
    if block.setup:
        code, out = run("\n".join(block.setup), home, env)
        if code != 0:
            return [f"{block.where()}: setup failed ({code}):\n{out}"]
    if block.lang != "console":
        code, out = run("\n".join(block.body), home, env)
        if code != block.exit_code:
            return [f"{block.where()}: exit {code}, expected {block.exit_code}:\n{out}"]
        return []
    steps = session(block.body)
    if not steps:
        return [f"{block.where()}: a console block without a `$ ` command"]
    failures = []
    for n, (command, expected) in enumerate(steps):
        want = block.exit_code if n == len(steps) - 1 else 0
        code, out = run(command, home, env)
        if code != want:
            failures.append(f"{block.where()}: `{command}` exit {code}, expected {want}:\n{out}")
        elif not matches(expected, out.split("\n")):
            failures.append(
                f"{block.where()}: `{command}` printed:\n{out}\n--- the doc shows:\n"
                + "\n".join(expected)
            )
    return failures


LINK = re.compile(r"\]\(([^)\s]+)\)|<img src=\"([^\"]+)\"|href=\"([^\"]+)\"")


def check_links(path):
    failures = []
    text = path.read_text()
    for m in LINK.finditer(text):
        target = next(g for g in m.groups() if g)
        if re.match(r"^[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        line = text[: m.start()].count("\n") + 1
        linked = path.parent / file if file else path
        if not linked.exists():
            failures.append(f"{path}:{line}: link to a missing file: {target}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            failures.append(f"{path}:{line}: link to a missing heading: {target}")
    return failures


def anchors(path):
    """The anchors GitHub gives the headings of a Markdown file (lower case, punctuation
    dropped, spaces as dashes; a repeated heading gets -1, -2 ...)."""
    seen, found = {}, set()
    for line in path.read_text().split("\n"):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


SELF_TEST = """<!-- run -->
```console
$ echo a \\
  b
a b
$ echo x
y
```
<!-- run -->
```sh
false
```
```sh
echo unmarked
```
<!-- run exit=3 -->
```console
$ echo "$HOME/x"; exit 3
.../x
```
<!-- no-run: a reason -->
```sh
exit 1
```
[a link](missing.md) [an anchor](#nowhere) [a good one](#a-heading)
## A heading
"""


def self_test(fun):
    """The check must catch what it is for: a wrong output, a failing block, an unmarked
    block, a missing file and a missing heading (five failures), and pass a continued line,
    `...`, exit=N and a good anchor."""
    with tempfile.TemporaryDirectory() as folder:
        doc = Path(folder) / "t.md"
        doc.write_text(SELF_TEST)
        failures = check_file(doc, fun)[0]
    kinds = ["printed", "exit 1, expected 0", "without a marker", "missing file", "missing heading"]
    if len(failures) != 5 or not all(any(k in f for f in failures) for k in kinds):
        print("FAIL the check's self-test:\n" + "\n".join(failures), file=sys.stderr)
        return False
    return True


def check_file(path, fun):
    """(failures, blocks run, blocks skipped) of one Markdown file."""
    failures, ran, skipped = check_links(path), 0, 0
    home = Path(tempfile.mkdtemp(prefix="fun-docs-"))
    try:
        env = environment(home, fun)
        for block in blocks(path):
            if block.marker is None:
                failures.append(
                    f"{block.where()}: shell example without a marker "
                    "(<!-- run --> or <!-- no-run: REASON --> on the line before)"
                )
            elif block.marker.startswith("no-run"):
                skipped += 1
            else:
                ran += 1
                failures += check_block(block, home, env)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return failures, ran, skipped


TEST_NAME = re.compile(r"[a-z][a-z0-9_]*")


def functions():
    """Every function name in the project's Rust code (tests included)."""
    names = set()
    for folder in ("src", "tests", "crates", "fuzz", "examples", "benches"):
        for file in Path(folder).rglob("*.rs"):
            names.update(re.findall(r"fn\s+([a-z_][a-z0-9_]*)", file.read_text(errors="replace")))
    return names


def check_test_names(path, known):
    """A test a doc cites (`mod::a_long_test_name` in backticks) must exist: the docs prove
    their claims by naming tests, so a renamed or removed test must not leave a dead name.
    docs-audit.md quotes old, wrong statements on purpose and is left out."""
    if path.name == "docs-audit.md":
        return []
    failures, text = [], path.read_text()
    for m in re.finditer(r"`([^`\n]+)`", text):
        for part in re.split(r"[ ,()]+", m.group(1)):
            last = part.split("::")[-1]
            if TEST_NAME.fullmatch(last) and last.count("_") >= 3 and last not in known:
                line = text[: m.start()].count("\n") + 1
                failures.append(f"{path}:{line}: names a test that does not exist: {part}")
    return failures


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    fun = os.path.abspath(argv[1])
    files = [Path(f) for f in argv[2:]] or [Path("README.md")] + sorted(Path("docs").rglob("*.md"))
    if not self_test(fun):
        return 1
    failures, ran, skipped, known = [], 0, 0, functions()
    for path in files:
        failures += check_test_names(path, known)
        more, r, k = check_file(path, fun)
        failures, ran, skipped = failures + more, ran + r, skipped + k
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"docs examples: {ran} blocks run, {skipped} marked no-run, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
