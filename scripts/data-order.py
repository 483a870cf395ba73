#!/usr/bin/env python3
"""Writes the linker script that gathers the constants hot functions read (scripts/data-order.ld).

Usage: data-order.py BINARY LINK_MAP FUNCTION_ORDER > scripts/data-order.ld

BINARY is an unstripped release build linked with its relocations kept and LINK_MAP its link map
(build.rs does both when FUN_LINK_MAP is set); FUNCTION_ORDER is scripts/symbol-order.txt.

Why: most of fun's constants (string literals, tables) are anonymous, so lld's symbol ordering
cannot name them, and left in the compiler's order the few hundred that `fun saver matrix` reads
are spread over the 1.5 MB of `.rodata`, each dragging in a 64 KiB fault-around window (13 of
them, 830 KB). Every constant still sits in its own input section, though, so a linker script can
list those sections. For each function of FUNCTION_ORDER, in order, this takes the `.rodata`
sections its code refers to (through its relocations), and those that the tables it refers to
in `.data.rel.ro` point to (vtables, slices of strings); the first use places a section, and
big constants go after the small ones (see the limits below).
"""
import bisect
import re
import subprocess
import sys

WANTED = (".rodata", ".data.rel.ro")


def input_sections(map_path):
    """(start, size, output section, input section name) of the WANTED output sections."""
    found, output = [], None
    for line in open(map_path, errors="replace"):
        fields = line.split(None, 4)
        if len(fields) < 5:
            continue
        name = fields[4].rstrip("\n")
        if name.startswith("."):
            output = name
            continue
        m = re.search(r":\((.*)\)$", name)
        if m and output in WANTED:
            found.append((int(fields[0], 16), int(fields[2], 16), output, m.group(1)))
    return sorted(found)


def function_ranges(binary):
    """Each function symbol's (start, size)."""
    out = subprocess.run(["nm", "-S", binary], capture_output=True, text=True, check=True)
    ranges = {}
    for line in out.stdout.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in "tTwW":
            ranges.setdefault(fields[3], (int(fields[0], 16), int(fields[1], 16)))
    return ranges


def relocations(binary):
    """Per relocation section, sorted (place, target address, type)."""
    out = subprocess.run(["readelf", "-rW", binary], capture_output=True, text=True, check=True)
    tables, current = {}, None
    pattern = re.compile(r"^([0-9a-f]{16})\s+\S+\s+(\S+)\s+([0-9a-f]+)\s+.*?([+-])\s*([0-9a-f]+)$")
    for line in out.stdout.splitlines():
        if line.startswith("Relocation section"):
            current = tables.setdefault(line.split("'")[1], [])
            continue
        m = pattern.match(line)
        if m and current is not None:
            addend = int(m.group(5), 16) * (1 if m.group(4) == "+" else -1)
            current.append((int(m.group(1), 16), int(m.group(3), 16) + addend, m.group(2)))
    for rows in tables.values():
        rows.sort()
    return tables


class Layout:
    """Finds the input section at an address and the relocations inside an address range."""

    def __init__(self, sections, tables):
        self.sections = sections
        self.starts = [s[0] for s in sections]
        self.tables = {name: (rows, [r[0] for r in rows]) for name, rows in tables.items()}

    def section_at(self, address):
        i = bisect.bisect_right(self.starts, address) - 1
        if i >= 0 and address < self.sections[i][0] + max(self.sections[i][1], 1):
            return self.sections[i]
        return None

    def relocations_in(self, table, start, size):
        rows, places = self.tables.get(table, ([], []))
        return rows[bisect.bisect_left(places, start):bisect.bisect_left(places, start + size)]

    def target(self, address, kind):
        # A RIP-relative operand's addend counts from the end of its 4-byte field.
        if "PC" in kind or "GOT" in kind:
            return self.section_at(address + 4) or self.section_at(address)
        return self.section_at(address)


# A constant a table points to is placed with the small ones only up to this size: a table of
# files (the bundled screens, the programmer screen's sources) points at blobs that a run
# looking one entry up never reads (fortunes.txt, rocket.frames, sources of 3-8 KB: 100 KB that
# cost matrix two windows), while every saver start reads the bundled scripts' headers (files
# of 1.3-2.2 KB).
TABLE_TARGET_LIMIT = 3 * 1024
# A constant a function refers to directly is placed with the small ones up to this size;
# bigger ones (a locale table, a time-zone database) go after all of them: a function that
# refers to a big table usually reads a little of it.
DIRECT_LIMIT = 16 * 1024


def hot_sections(layout, ranges, order):
    small, big, seen = [], [], set()

    def take(section, depth):
        if section is None or section[3] in seen:
            return
        seen.add(section[3])
        if section[2] == ".rodata":
            limit = DIRECT_LIMIT if depth == 0 else TABLE_TARGET_LIMIT
            # The merged string and number pools (all format strings are in one) are hot
            # whatever their size.
            merged = section[3].startswith((".rodata.str", ".rodata.cst"))
            (small if merged or section[1] <= limit else big).append(section[3])
        elif depth < 2:  # a table of pointers: the constants it points to
            for _, address, kind in layout.relocations_in(".rela.data.rel.ro", section[0], section[1]):
                take(layout.target(address, kind), depth + 1)

    for name in order:
        if name in ranges:
            start, size = ranges[name]
            for _, address, kind in layout.relocations_in(".rela.text", start, size):
                take(layout.target(address, kind), 0)
    return small + big


def main():
    binary, map_path, order_path = sys.argv[1:4]
    lines = open(order_path).read().splitlines()
    fingerprint = lines[0].lstrip("# ") if lines else ""
    order = [l.strip() for l in lines if l.strip() and not l.startswith("#")]
    layout = Layout(input_sections(map_path), relocations(binary))
    placed = hot_sections(layout, function_ranges(binary), order)
    if not placed:
        sys.exit("data-order: no constant found (was the binary linked with FUN_LINK_MAP?)")
    print(f"/* {fingerprint}: written by scripts/symbol-order.sh, do not edit.")
    print("   The constants the functions of symbol-order.txt read, in the order they first")
    print("   use them (see scripts/data-order.py); every other section keeps lld's layout. */")
    print("SECTIONS\n{\n  .rodata : {")
    for name in placed:
        print(f"    *({name})")
    print("    *(.rodata .rodata.*)\n  }\n}\nINSERT BEFORE .gcc_except_table;")
    print(f"data-order: {len(placed)} constants placed", file=sys.stderr)


if __name__ == "__main__":
    main()
