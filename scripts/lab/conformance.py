#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Joins the Hyper-V lab's and the Xen lab's guest results into docs/conformance.md.
"""usage: conformance.py HYPERV_LOG XEN_LOG NOTES OUT.md [WHERE THE LOGS CAME FROM]

Each guest check ("[tap] ok/not ok - T: what", "[skip] T: what (hyperv-only: why)") and
each answer a program recorded ("[conf] prog:line rc=R errno=E what") is one row: the
answer through xenhv and in a real Xen 4.17 domU side by side. A row that differs must
match a line of NOTES ("substring<TAB>why, with its docs/abi.md section"); an unexplained
difference is printed as "not ok" and makes the exit status 1.
"""
import re
import sys

TAP = re.compile(r'^\[tap\] (ok|not ok) - (.*)$')
SKIP = re.compile(r'^\[skip\] (.*?) \(hyperv-only: (.*)\)$|^\[skip\] ([^:]*): hyperv-only: (.*)$')
# A part the Xen lab cannot run (docs/lab.md says why): no answer, and no pass.
LABSKIP = re.compile(r'^\[skip\] (.*?) \(xen-lab: (.*?)(; here not run)?\)$')
CONF = re.compile(r'^\[conf\] (\S+) rc=(-?\d+) errno=(\d+) (.*)$')
# The detail a failed check appends, and values a description prints.
TAIL = re.compile(r' \((line \d+, errno|expected \'|it succeeded|got ).*$')


def key_of(text):
    """A check's identity in both labs: its words without the values it printed."""
    text = TAIL.sub('', text)
    text = re.sub(r'\s*\([^)]*\)', '', text)
    text = re.sub(r'"[^"]*"', '""', text)
    return re.sub(r'\b(0x[0-9a-f]+|[0-9][0-9a-f.-]*)\b', '#', text).strip()


# The Hyper-V lab's log holds every scenario of every L2 configuration: the table
# takes main's on Debian 12's kernel and Xen 4.17's tools, whose checks it prefixes.
HV_SCENARIO = 'main@6.1/4.17'
CONFIG = re.compile(r'^(\[(?:tap|skip)\] (?:(?:not )?ok - )?)[0-9a-z.-]+/[0-9.]+: ')


def lines_of(path):
    with open(path, errors='replace') as f:
        text = f.read().split('\n')
    begin = '[lab] scenario %s begin' % HV_SCENARIO
    start = next((i for i, l in enumerate(text) if l.startswith(begin)), None)
    if start is None:
        return text
    end = next((i for i in range(start, len(text))
                if text[i] == '[lab] scenario %s end' % HV_SCENARIO), len(text))
    return [CONFIG.sub(r'\1', l) for l in text[start:end]]


# A kernel line the console spliced onto the end of a result line (seen: "...: EAGAIN[
# 35.022547] lab: mark ..."): the result is what came before it.
KMSG_TAIL = re.compile(r'\[\s*\d+\.\d+\] .*$')


def parse(path):
    rows, seen = {}, {}
    order = []
    test = 'boot'	# the guest test file a row belongs to
    tests = set()
    for line in lines_of(path):
        line = line.rstrip('\n')
        if line.startswith(('[tap] ', '[skip] ', '[conf] ')):
            line = KMSG_TAIL.sub('', line)
        m = re.match(r'^\[lab\] test (\S+)$', line)
        if m:
            test = m.group(1)
            tests.add(test)
            continue
        m = re.match(r'^\[lab\] (l2 done|domU console end)', line)
        if m:
            test = 'end'
            continue
        m = TAP.match(line)
        if m:
            kind, text, res = 'check', m.group(2), m.group(1)
        elif LABSKIP.match(line):
            m = LABSKIP.match(line)
            kind, text, res = 'check', m.group(1), 'not run: ' + m.group(2)
        elif SKIP.match(line):
            m = SKIP.match(line)
            text = m.group(1) or m.group(3)
            kind, res = 'check', 'skip: ' + (m.group(2) or m.group(4))
        elif CONF.match(line):
            m = CONF.match(line)
            # The program's name, not its line: a row keeps its key when code moves.
            kind, text = 'call', m.group(1).split(':')[0] + ': ' + m.group(4)
            res = 'rc %s errno %s' % (m.group(2), m.group(3))
        else:
            continue
        if text.startswith('kernel log of scenario'):
            test = 'end'	# the run's own check, after its last test in both labs
        if kind == 'check' and res.startswith('skip: hyperv-only'):
            test = text	# a whole test file, skipped
            tests.add(test)
        k = (kind, test, key_of(text))
        n = seen.get(k, 0) + 1
        seen[k] = n
        k = k + (n,)
        rows[k] = (text, res)
        order.append(k)
    return rows, order, tests


def md(text):
    return text.replace('|', '\\|').replace('`', "'")


def main():
    hv_log, xen_log, notes_path, out = sys.argv[1:5]
    source = sys.argv[5] if len(sys.argv) > 5 else ''

    hv, hv_order, _ = parse(hv_log)
    xen, xen_order, xen_ran = parse(xen_log)
    notes = []
    with open(notes_path) as f:
        for line in f:
            if line.strip() and not line.startswith('#'):
                pat, why = line.rstrip('\n').split('\t', 1)
                notes.append((pat, why))
    keys = hv_order + [k for k in xen_order if k not in hv]
    # Tests skipped whole in the Xen domU: one row says so for all of the test's rows.
    xen_files = set()
    with open(xen_log, errors='replace') as f:
        for line in f:
            m = re.match(r'^\[skip\] ([^: ]+): hyperv-only: (.*)$', line.rstrip('\n'))
            if m:
                xen_files.add(m.group(1))
    # A Xen run that stopped (timeout, emulation) inside a test: that test's
    # missing rows are marked so, not counted as answers.
    # (XEN_LOG may hold several boots, one after the other: each is judged alone.)
    cut = set()
    with open(xen_log, errors='replace') as f:
        boots = re.split(r'^\[lab\] dom0 up', f.read(), flags=re.M)
    # (A boot whose domU died and was booted again keeps only the tests it
    # finished, followed by xen-run.sh's "# lab: boot N: the domU died" line:
    # nothing of it was cut.)
    for text in boots:
        if not re.search(r'^\[lab\] l2 done|^# lab: boot \d+: the domU died', text, re.M):
            started = re.findall(r'^\[lab\] test (\S+)$', text, re.M)
            if started:
                cut.add(started[-1])
    # Tests with parts the Xen lab cannot run: their rows missing there say why.
    lab_parts = {k[1]: r[1][9:] for k, r in xen.items() if r[1].startswith('not run: ')}
    same = explained = unexplained = skipped = absent = 0
    lines = []
    bad = []
    for k in dict.fromkeys(keys):
        h, x = hv.get(k), xen.get(k)
        text = (h or x)[0]
        owner = k[1]
        hres = h[1] if h else 'not run'
        xres = x[1] if x else 'not run'
        if k[0] == 'check' and x is None and owner in xen_files:
            continue	# one row says the whole test is hyperv-only
        why = next((w for p, w in notes if p in text), None)
        if xres.startswith('skip: ') and xres.endswith('; here false'):
            # A program's hyperv-only check that does not hold in the Xen domU:
            # the two answer differently, which docs/abi.md must explain.
            if why:
                verdict = 'differs: ' + why
                explained += 1
            else:
                verdict = '**unexplained**'
                unexplained += 1
                bad.append('%s: xenhv %s, Xen %s' % (text, hres, xres))
        elif xres.startswith('not run: ') or (x is None and owner in lab_parts):
            verdict = 'the Xen lab cannot run it: ' + lab_parts.get(owner, xres[9:])
            absent += 1
        elif xres.startswith('skip: '):
            verdict = 'hyperv-only: ' + xres[6:]
            skipped += 1
        elif x is None and owner in cut:
            verdict = 'the Xen run stopped in this test'
            absent += 1
        elif x is None and owner not in xen_ran:
            verdict = 'not in this Xen run'
            absent += 1
        elif hres == xres:
            verdict = 'same'
            same += 1
        else:
            if why:
                verdict = 'differs: ' + why
                explained += 1
            else:
                verdict = '**unexplained**'
                unexplained += 1
                bad.append('%s: xenhv %s, Xen %s' % (text, hres, xres))

        def cell(res, row):
            detail = row[0] if row and row[0] != text else ''
            return res + (' <br>`%s`' % md(detail) if detail else '')
        lines.append('| %s | %s | `%s` | %s | %s | %s |' % (
            owner, k[0], md(text), cell(hres, h), cell(xres, x), verdict))
    with open(out, 'w') as f:
        f.write('# Conformance: xenhv beside a real Xen 4.17 domU\n\n')
        f.write('Generated by `scripts/lab/conformance.py` from one run of each lab\n')
        f.write('(`make check`: the Hyper-V lab with xenhv, and `make lab-xen`: a PVH domU\n')
        f.write('under Debian\'s Xen 4.17 running the same guest programs with Linux\'s own\n')
        f.write('Xen drivers). Do not edit by hand. Every guest check expects Xen\'s answer,\n')
        f.write('so `ok` on both sides means both gave it; a `call` row is the raw return\n')
        f.write('value and errno a program recorded. A difference is explained in\n')
        f.write('docs/abi.md (the reason is quoted here) or the run fails.\n\n')
        if source:
            f.write(source + '\n\n')
        f.write('Rows: %d; same %d; differing %d (explained %d, unexplained %d); '
                'hyperv-only %d; not in this Xen run %d.\n\n'
                % (same + explained + unexplained + skipped + absent, same,
                   explained + unexplained, explained, unexplained, skipped, absent))
        f.write('| test | kind | call or check | through xenhv | in the Xen domU | verdict |\n')
        f.write('|---|---|---|---|---|---|\n')
        f.write('\n'.join(lines) + '\n')
    print('ok 1 - conformance: %d same, %d explained differences, %d hyperv-only'
          % (same, explained, skipped)
          if not bad else 'not ok 1 - conformance: %d unexplained differences' % len(bad))
    for b in bad:
        print('# unexplained: ' + b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
