#!/usr/bin/env python3
"""Prints one editor-test case's result file (JSON written by the editor's test script).

Usage: print-result.py RESULT_JSON SUITE/CASE SECONDS ok|FAIL [EXIT_CODE]
"""
import json
import sys

path, name, secs, verdict = sys.argv[1:5]
rc = sys.argv[5] if len(sys.argv) > 5 else "0"
try:
    r = json.load(open(path, encoding="utf-8"))
except (OSError, ValueError):
    r = None
if verdict == "ok":
    notes = "; ".join(r["notes"]) if r else ""
    n = len(r["diagnostics"]) if r else 0
    print(f"ok    {name} ({secs} s; {n} diagnostics" + (f"; {notes}" if notes else "") + ")")
else:
    print(f"FAIL  {name} ({secs} s, exit {rc})")
if r:
    if verdict != "ok":
        for f in r["failures"]:
            print(f"      {f}")
    for w in r["warnings"]:
        print(f"      warning: {w}")
    if verdict != "ok":
        print("      diagnostics the client had (LSP lines, UTF-16 columns):")
        for d in r["diagnostics"]:
            extra = f" bytes {d['bytes']}" if "bytes" in d else ""
            print(f"        {d['code']} severity {d['severity']} {d['range']}{extra} {d['message'][:70]}")
elif verdict != "ok":
    print("      (no result file)")
