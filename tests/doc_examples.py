#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run the examples of the documentation and compare their output.

    doc_examples.py [FILE.md ...]          run every example, report each
    doc_examples.py --extract FILE.md NAME print the file example NAME

What counts as an example, in any Markdown file given (README.md and
docs/*.md by default):

  - a fenced block of language "console": each line that starts with "$ "
    is a command, run with bash; the lines after it, up to the next
    command or the end of the block, are its expected output (stdout and
    stderr together).  A line "..." stands for any number of lines.
    Trailing blanks are ignored.  A command must also exit with 0.
  - a fenced block right after a line "<!-- file: NAME -->": its text is
    written to NAME before the file's commands run, so that a program the
    text shows is the program that is built.

The commands of one Markdown file run in order in one scratch directory
that links every entry at the top of the tree, so they use the paths a
reader types there (make included), and the files they write stay in it.  The environment
(tests/doc_examples.sh) gives PKG_CONFIG_PATH an installed prefix.
Exit status 1 and a unified diff for any example whose output differs.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r'^(`{3,})(\S*)\s*$')
FILE_MARK = re.compile(r'^<!--\s*file:\s*(\S+)\s*-->\s*$')


def blocks(path):
    """(kind, name, first line number, lines) for each console or file block."""
    lines = open(path, encoding='utf-8').read().split('\n')
    i, pending = 0, None
    while i < len(lines):
        m = FILE_MARK.match(lines[i])
        if m:
            pending = m.group(1)
            i += 1
            continue
        m = FENCE.match(lines[i])
        if not m:
            if lines[i].strip():
                pending = None
            i += 1
            continue
        fence, lang, start = m.group(1), m.group(2), i + 1
        i += 1
        body = []
        while i < len(lines) and lines[i].rstrip() != fence:
            body.append(lines[i])
            i += 1
        i += 1
        if pending:
            yield 'file', pending, start, body
        elif lang == 'console':
            yield 'console', None, start, body
        pending = None


def commands(body, start):
    """(line number, command, expected lines) for each "$ " line of a block."""
    out = []
    for n, line in enumerate(body):
        if line.startswith('$ '):
            out.append([start + n + 1, line[2:], []])
        elif out:
            out[-1][2].append(line.rstrip())
        elif line.strip():
            raise SystemExit('%d: console block text before its first "$ " line' % (start + n + 1))
    return out


def matches(expected, got):
    """Does @got fit @expected, where a line "..." takes any number of lines?"""
    if not expected:
        return not got
    if expected[0] == '...':
        return any(matches(expected[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and expected[0] == got[0] and matches(expected[1:], got[1:])


def scratch(top):
    """A directory with a link to each entry at the top of the tree."""
    d = tempfile.mkdtemp(prefix='pa-doc-')
    for name in os.listdir(top):
        if name != '.git':
            os.symlink(os.path.join(top, name), os.path.join(d, name))
    return d


def run_file(path, top):
    """Run @path's examples; the number that failed."""
    found = list(blocks(path))
    d = scratch(top)
    for kind, name, _, body in found:
        if kind == 'file':
            with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
                f.write('\n'.join(body) + '\n')
    failed = ran = 0
    for kind, _, start, body in found:
        if kind != 'console':
            continue
        for line, cmd, expected in commands(body, start):
            ran += 1
            p = subprocess.run(['bash', '-c', cmd], cwd=d, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
            got = [l.rstrip() for l in p.stdout.split('\n')]
            while got and not got[-1]:
                got.pop()
            while expected and not expected[-1]:
                expected.pop()
            if p.returncode == 0 and matches(expected, got):
                continue
            failed += 1
            print('%s:%d: $ %s' % (os.path.relpath(path, top), line, cmd))
            if p.returncode:
                print('  exit status %d' % p.returncode)
            sys.stdout.writelines(difflib.unified_diff(
                [l + '\n' for l in expected], [l + '\n' for l in got],
                'shown in %s' % os.path.relpath(path, top), 'printed now'))
    shutil.rmtree(d)
    print('%s: %d example commands, %d differ' % (os.path.relpath(path, top), ran, failed))
    return failed


def main(argv):
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if argv[:1] == ['--extract']:
        for kind, name, _, body in blocks(argv[1]):
            if kind == 'file' and name == argv[2]:
                print('\n'.join(body))
                return 0
        print('no file example %s in %s' % (argv[2], argv[1]), file=sys.stderr)
        return 1
    files = argv or [os.path.join(top, 'README.md')] + sorted(
        os.path.join(top, 'docs', f) for f in os.listdir(os.path.join(top, 'docs'))
        if f.endswith('.md'))
    failed = sum(run_file(f, top) for f in files)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
