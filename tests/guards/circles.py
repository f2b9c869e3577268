#!/usr/bin/env python3
"""No circle between the files of one floor (issue 12): reads the symbols of the floor's object
files (nm) and fails when file A calls file B and B, directly or through others, calls A.
Usage: circles.py FLOOR OBJECT..."""
import collections
import os
import subprocess
import sys

floor = sys.argv[1]
# CMake hands $<TARGET_OBJECTS:...> over as one ;-separated argument.
objects = [o for a in sys.argv[2:] for o in a.split(';') if o]
defined, wanted = {}, collections.defaultdict(set)
for obj in objects:
    name = os.path.basename(obj).split('.')[0]  # customers.c.o -> customers
    out = subprocess.run(['nm', obj], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'TDBR':
            defined[parts[2]] = name
        elif len(parts) == 2 and parts[0] == 'U':
            wanted[name].add(parts[1])
calls = {a: {defined[s] for s in syms if s in defined and defined[s] != a}
         for a, syms in wanted.items()}
if not objects or not defined:
    sys.exit('%s: no objects or no symbols read: nothing to judge' % floor)

# Tarjan's strongly connected components: each of more than one file is a circle.
index, low, stack, on, circles = {}, {}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index)
    stack.append(v)
    on.add(v)
    for w in sorted(calls.get(v, ())):
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            circles.append(sorted(comp))
for v in sorted(calls):
    if v not in index:
        visit(v)
for c in circles:
    print('%s: these files call each other: %s' % (floor, ' <-> '.join(c)))
print('%s: %d files, %d symbols, %d circles' % (floor, len(wanted), len(defined), len(circles)))
sys.exit(1 if circles else 0)
