#!/usr/bin/env python3
"""lsp-probe: drive an LSP server over stdio with plain JSON-RPC, no editor.

(Copy of the shared harness tools/lsp-probe.py, kept in the repo for bench/lsp-latency.sh,
with three changes: a change is timed from *before* its didChange is written (the shared
probe starts the clock after the write, so a fast server's reply could come out negative);
--wait-nonempty / --nth-publish K time to the first publish that carries diagnostics / to
the K-th publish (servers that first clear with an empty, unversioned publish, like
autocorrect, are otherwise timed to the clear); --open-dir / --memory open many documents and read the server's memory from
/proc/PID/status.)

Flow: initialize -> initialized -> didOpen -> wait publishDiagnostics
      -> N x (incremental didChange -> wait publishDiagnostics, latency in ms)
      -> optional malformed-input checks -> shutdown -> exit.

Usage:
  lsp-probe.py [options] SERVER_CMD DOC
    SERVER_CMD  one string, split like a shell would (shlex), e.g.
                "python3 tools/standin-lsp/server.py" or "target/debug/my-lsp --stdio"
    DOC         path of the document to open (read as UTF-8)

stdout: JSON lines.
  Diagnostic lines: {"uri","range","severity","message","source","code","related","phase"}
    ("related" lists the ranges of the diagnostic's relatedInformation)
    (range is the LSP range exactly as received: 0-based, UTF-16 characters;
     severity is the LSP number 1=Error 2=Warning 3=Information 4=Hint)
  Other lines carry an "event" key: "latency" (with server_cpu_ms_per_change: the server's
  user+system CPU over the changes / n, from /proc/PID/stat), "rtt", "robustness", "memory",
  "summary".
  "memory": {"phase", "docs_open", "vm_rss_kb", "vm_hwm_kb", "tree_rss_kb", "pids"}: the
  server process's VmRSS/VmHWM, and VmRSS summed over it and its descendants.
stderr: human-readable progress (and, with --trace, every message).

Exit codes: 0 ok; 1 usage/IO error; 2 no diagnostics after didOpen within the
timeout; 3 no publishDiagnostics after a didChange within the timeout;
4 a robustness check failed (server died / stopped answering); 5 server did not
answer initialize.

Only the Python standard library is used.
"""
import argparse
import json
import os
import queue
import shlex
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path


def log(*a):
    print("[lsp-probe]", *a, file=sys.stderr, flush=True)


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def utf16_to_index(line, ch):
    """Python str index for a UTF-16 code-unit offset into `line` (clamped)."""
    units = 0
    for i, c in enumerate(line):
        if units >= ch:
            return i
        units += 2 if ord(c) > 0xFFFF else 1
    return len(line)


def apply_incremental(text, rng, new_text):
    lines = text.split("\n")

    def offset(pos):
        ln = min(pos["line"], len(lines) - 1)
        off = sum(len(l) + 1 for l in lines[:ln])
        return off + utf16_to_index(lines[ln], pos["character"])

    a, b = offset(rng["start"]), offset(rng["end"])
    return text[:a] + new_text + text[b:]


def end_position(text):
    lines = text.split("\n")
    return {"line": len(lines) - 1, "character": utf16_len(lines[-1])}


def _status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _descendants(pid):
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_ms(pid):
    """User + system CPU time of a process (all its threads) so far, in ms."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def memory_record(pid, phase, docs_open):
    """VmRSS/VmHWM of the server process (kB) and VmRSS of its whole process tree."""
    pids = _descendants(pid)
    tree = sum(_status_kb(p, "VmRSS") or 0 for p in pids)
    return {"event": "memory", "phase": phase, "docs_open": docs_open,
            "vm_rss_kb": _status_kb(pid, "VmRSS"), "vm_hwm_kb": _status_kb(pid, "VmHWM"),
            "tree_rss_kb": tree, "pids": pids}


class Server:
    def __init__(self, cmd, trace=False, cwd=None):
        self.trace = trace
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self.pid = self.proc.pid
        self.inbox = queue.Queue()
        self.next_id = 1
        self.stderr_tail = []
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    # ---- transport -------------------------------------------------------
    def _read_stdout(self):
        f = self.proc.stdout
        try:
            while True:
                headers = {}
                while True:
                    line = f.readline()
                    if not line:
                        self.inbox.put((time.monotonic(), None))  # EOF
                        return
                    line = line.strip()
                    if not line:
                        break
                    k, _, v = line.decode("ascii", "replace").partition(":")
                    headers[k.strip().lower()] = v.strip()
                n = int(headers.get("content-length", "0"))
                body = f.read(n)
                t = time.monotonic()
                try:
                    msg = json.loads(body.decode("utf-8"))
                except Exception as e:  # server sent garbage
                    msg = {"_unparseable": repr(body[:200]), "_error": str(e)}
                if self.trace:
                    log("<--", json.dumps(msg, ensure_ascii=False)[:2000])
                self.inbox.put((t, msg))
        except Exception as e:
            log("reader stopped:", e)
            self.inbox.put((time.monotonic(), None))

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr_tail.append(line.decode("utf-8", "replace").rstrip())
            del self.stderr_tail[:-50]

    def send_raw(self, data: bytes):
        with self.write_lock:
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as e:  # server gone; waits will time out/see EOF
                log("write to server failed:", e, "; exit status:", self.proc.poll())
        return time.monotonic()

    def send(self, msg):
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        if self.trace:
            log("-->", body.decode("utf-8")[:2000])
        return self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        return self.send(msg)

    def alive(self):
        return self.proc.poll() is None

    # ---- receiving -------------------------------------------------------
    def _answer_server_request(self, msg):
        """Answer requests the server sends to the client so it never blocks."""
        m = msg.get("method")
        result = None
        if m == "workspace/configuration":
            result = [None] * len(msg.get("params", {}).get("items", []))
        elif m == "workspace/workspaceFolders":
            result = []
        self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def wait_for(self, pred, timeout):
        """Return (t, msg) of the first message satisfying pred, or (None, None)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None, None
            try:
                t, msg = self.inbox.get(timeout=left)
            except queue.Empty:
                return None, None
            if msg is None:
                self.inbox.put((t, None))  # keep EOF visible to later waits
                return None, None
            if "method" in msg and "id" in msg:
                self._answer_server_request(msg)
            if pred(msg):
                return t, msg

    def drain(self, quiet=0.05, limit=3.0):
        """Consume whatever the server still sends (e.g. extra unversioned publishes of the
        previous change) until it has been quiet for `quiet` seconds, at most `limit` s."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                t, msg = self.inbox.get(timeout=quiet)
            except queue.Empty:
                return
            if msg is None:
                self.inbox.put((t, None))
                return
            if "method" in msg and "id" in msg:
                self._answer_server_request(msg)

    def wait_response(self, rid, timeout):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout)

    def wait_diagnostics(self, uri, timeout, min_version=None, nonempty=False):
        def pred(m):
            if m.get("method") != "textDocument/publishDiagnostics":
                return False
            p = m.get("params", {})
            if p.get("uri") != uri:
                return False
            if min_version is not None and p.get("version") is not None and p["version"] < min_version:
                return False
            if nonempty and not p.get("diagnostics"):
                return False
            return True

        return self.wait_for(pred, timeout)

    # ---- teardown --------------------------------------------------------
    def stop(self, timeout):
        rc = None
        if self.alive():
            try:
                rid = self.request("shutdown")
                t, resp = self.wait_response(rid, timeout)
                if resp is None:
                    log("no answer to shutdown within", timeout, "s")
                self.notify("exit")
            except (BrokenPipeError, OSError):
                pass
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log("server pid", self.pid, "did not exit; SIGTERM")
            os.kill(self.pid, signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                log("server pid", self.pid, "ignored SIGTERM; SIGKILL")
                os.kill(self.pid, signal.SIGKILL)
                rc = self.proc.wait(timeout=3)
        return rc


def emit(obj):
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def emit_diags(msg, phase):
    p = msg["params"]
    for d in p.get("diagnostics", []):
        emit({
            "uri": p["uri"],
            "range": d.get("range"),
            "severity": d.get("severity"),
            "message": d.get("message"),
            "source": d.get("source"),
            "code": d.get("code"),
            "related": [r.get("location", {}).get("range") for r in d.get("relatedInformation") or []],
            "phase": phase,
        })


INIT_CAPS = {
    "general": {"positionEncodings": ["utf-16"]},
    "textDocument": {
        "synchronization": {"didSave": True, "dynamicRegistration": False},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True,
                               "codeDescriptionSupport": True, "dataSupport": True},
    },
    "workspace": {"configuration": True, "workspaceFolders": True},
    "window": {"workDoneProgress": True},
}


class Session:
    """One server process: initialize + didOpen (+ diagnostics), then shutdown."""

    def __init__(self, args, cmd, doc, text):
        self.args, self.cmd, self.doc, self.uri = args, cmd, doc, doc.as_uri()
        self.text, self.version, self.T = text, 1, args.timeout
        self.srv = None
        self.info = {}

    def start(self, emit_phase=None):
        """Returns 0 or an exit code (1, 2, 5)."""
        a, T = self.args, self.T
        try:
            self.srv = srv = Server(self.cmd, trace=a.trace)
        except OSError as e:
            log("cannot start server:", e)
            return 1
        log("server pid", srv.pid, "cmd", self.cmd)
        t0 = time.monotonic()
        rid = srv.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "lsp-probe", "version": "1"},
            "rootUri": self.doc.parent.as_uri(),
            "workspaceFolders": [{"uri": self.doc.parent.as_uri(), "name": self.doc.parent.name}],
            "capabilities": INIT_CAPS,
        })
        t, resp = srv.wait_response(rid, T)
        if resp is None:
            log("no initialize response within", T, "s; server alive:", srv.alive())
            return 5
        self.info["initialize_ms"] = round((t - t0) * 1000, 2)
        caps = resp.get("result", {}).get("capabilities", {})
        sync = caps.get("textDocumentSync")
        self.change_kind = sync.get("change") if isinstance(sync, dict) else sync
        self.info["server_info"] = resp.get("result", {}).get("serverInfo")
        self.info["text_document_sync_change"] = self.change_kind
        self.info["position_encoding"] = caps.get("positionEncoding", "utf-16")
        srv.notify("initialized", {})
        if a.memory or a.open_dir:
            srv.drain(quiet=0.2)
            emit(memory_record(srv.pid, "initialized", 0))
        t0 = srv.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri, "languageId": a.language_id, "version": self.version, "text": self.text}})
        t, msg = srv.wait_diagnostics(self.uri, T, nonempty=not a.allow_empty)
        if msg is None:
            log("no diagnostics for", self.uri, "within", T, "s after didOpen; server alive:", srv.alive())
            return 2
        self.info["didopen_to_diagnostics_ms"] = round((t - t0) * 1000, 2)
        self.info["diagnostics_after_open"] = len(msg["params"]["diagnostics"])
        if emit_phase:
            emit_diags(msg, emit_phase)
        if a.memory or a.open_dir:
            srv.drain(quiet=0.2)
            emit(memory_record(srv.pid, "doc-open", 1))
        return 0

    def open_many(self, paths):
        """didOpen every file in `paths` (one at a time, each until its first publish), then
        report memory. Returns 0, or 2 when a document got no publishDiagnostics in time."""
        srv, T, n = self.srv, self.T, 1
        t0 = time.monotonic()
        for p in paths:
            uri = p.resolve().as_uri()
            srv.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": self.args.language_id, "version": 1,
                "text": p.read_text(encoding="utf-8")}})
            _, msg = srv.wait_diagnostics(uri, T)
            if msg is None:
                log("no diagnostics for", uri, "within", T, "s after didOpen")
                return 2
            n += 1
        open_ms = (time.monotonic() - t0) * 1000
        srv.drain(quiet=0.5)
        rec = memory_record(srv.pid, "docs-open", n)
        rec["open_ms"] = round(open_ms, 1)
        emit(rec)
        return 0

    def change(self, rng, new_text, timeout=None):
        """Send one didChange (incremental unless the server wants full text).
        Returns (latency_ms or None, publish message or None)."""
        self.version += 1
        if rng is None:
            self.text = new_text
            change = {"text": new_text}
        elif self.change_kind == 1:
            self.text = apply_incremental(self.text, rng, new_text)
            change = {"text": self.text}
        else:
            self.text = apply_incremental(self.text, rng, new_text)
            change = {"range": rng, "text": new_text}
        self.srv.drain()  # leftovers of the previous change must not be timed as this one's
        t0 = time.monotonic()  # before the write: a fast reply may be read while we still write
        self.srv.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version}, "contentChanges": [change]})
        for _ in range(max(1, self.args.nth_publish)):
            t, msg = self.srv.wait_diagnostics(self.uri, timeout or self.T, min_version=self.version,
                                               nonempty=self.args.wait_nonempty)
            if msg is None:
                break
        return ((t - t0) * 1000 if msg else None), msg

    def ping(self):
        """Server still runs and answers a request (any result or error)."""
        if not self.srv.alive():
            return False
        # params given: pygls 2.1 drops requests that have no params at all
        rid = self.srv.request("lspProbe/ping", {})
        _, r = self.srv.wait_response(rid, self.T)
        return r is not None

    def stop(self):
        if self.srv is None:
            return None
        return self.srv.stop(min(self.T, 5))


def run_check(name, sess):
    """Send one kind of malformed input to an initialised session; return a record."""
    srv, T, rec = sess.srv, sess.T, {"event": "robustness", "check": name}
    short = min(T, 3)
    if name == "bad-json":
        body = b'{"jsonrpc": "2.0", "id": 900, "method": "textDocument/hover", "params": {'
        srv.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        _, err = srv.wait_for(lambda m: "error" in m and m.get("id") in (None, 900), short)
        rec["parse_error_reply"] = err.get("error") if err else None  # spec: -32700 with id null
    elif name == "bad-header":
        body = b'{"jsonrpc":"2.0","method":"lspProbe/noLength"}'
        srv.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body)
    elif name == "unknown-method":
        rid = srv.request("lspProbe/unknownMethod", {"x": 1})
        _, r = srv.wait_response(rid, T)
        rec["error_code"] = (r or {}).get("error", {}).get("code")
        rec["expected_error_code"] = -32601
        srv.notify("lspProbe/unknownNotification", {"x": 1})
        srv.notify("$/lspProbeUnknown", {})
    elif name.startswith("out-of-range"):
        far = {"line": 9999, "character": 9999}
        first = sess.text.split("\n")[0]
        kind = name.split(":", 1)[1]
        if kind == "past-end-of-document":
            rng = {"start": far, "end": far}
        elif kind == "past-end-of-line":
            p = {"line": 0, "character": utf16_len(first) + 500}
            rng = {"start": p, "end": p}
        elif kind == "reversed-range":
            rng = {"start": end_position(sess.text), "end": {"line": 0, "character": 0}}
        if kind == "hover":
            rid = srv.request("textDocument/hover", {"textDocument": {"uri": sess.uri}, "position": far})
            _, r = srv.wait_response(rid, T)
            rec["answered"] = r is not None
            rec["reply"] = (r or {}).get("error", (r or {}).get("result"))
        else:
            sess.version += 1
            srv.notify("textDocument/didChange", {
                "textDocument": {"uri": sess.uri, "version": sess.version},
                "contentChanges": [{"range": rng, "text": "越界"}]})
            _, m = srv.wait_diagnostics(sess.uri, short, min_version=sess.version)
            rec["published"] = m is not None
            if m is not None:
                rec["ranges"] = [d.get("range") for d in m["params"]["diagnostics"]]
    elif name == "bad-params":
        srv.notify("textDocument/didChange", {"textDocument": {"uri": sess.uri}, "contentChanges": "nope"})
        srv.notify("textDocument/didOpen", {"textDocument": {"uri": 42}})
        rid = srv.request("textDocument/hover", {"position": "x"})
        _, r = srv.wait_response(rid, T)
        rec["hover_reply"] = (r or {}).get("error", (r or {}).get("result"))
    # After the bad input: the server must run, answer a request, and lint a full resync.
    rec["server_alive"] = srv.alive()
    rec["answered_ping"] = sess.ping()
    rec["resync_diagnostics"] = False
    if rec["answered_ping"]:
        _, m = sess.change(None, sess.text)
        rec["resync_diagnostics"] = m is not None
        if m is not None:
            emit_diags(m, "resync-after-" + name)
    rec["outcome"] = ("recovered" if rec["resync_diagnostics"] else
                      "answers-but-no-diagnostics" if rec["answered_ping"] else
                      "exited" if not sess.srv.alive() else "hung")
    rec["ok"] = bool(rec["server_alive"] and rec["answered_ping"] and rec["resync_diagnostics"]
                     and rec.get("error_code", -32601) == -32601)
    return rec


CHECKS = {
    "bad_json": ["bad-json"],
    "bad_header": ["bad-header"],
    "unknown_method": ["unknown-method"],
    "out_of_range": ["out-of-range:past-end-of-document", "out-of-range:past-end-of-line",
                     "out-of-range:reversed-range", "out-of-range:hover"],
    "bad_params": ["bad-params"],
}


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n", 2)[2],
    )
    ap.add_argument("server", help="server command, one shell-quoted string")
    ap.add_argument("doc", help="document to open")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("LSP_PROBE_TIMEOUT", "10")),
                    help="seconds to wait for each answer/notification (default 10, env LSP_PROBE_TIMEOUT)")
    ap.add_argument("--language-id", default="plaintext")
    ap.add_argument("--changes", type=int, default=1, help="number of didChange rounds to time (default 1)")
    ap.add_argument("--edit", default="1:2:测试",
                    help="incremental edit LINE:CHAR:TEXT inserted at a 0-based UTF-16 position (default '1:2:测试')")
    ap.add_argument("--allow-empty", action="store_true",
                    help="accept an empty publishDiagnostics after didOpen (default: wait for >=1 diagnostic)")
    ap.add_argument("--wait-nonempty", action="store_true",
                    help="time each didChange to the first publish that has diagnostics")
    ap.add_argument("--nth-publish", type=int, default=1, metavar="K",
                    help="time each didChange to the K-th publishDiagnostics after it (default 1; "
                         "2 for servers that send an empty clear first, e.g. autocorrect)")
    ap.add_argument("--rtt", type=int, default=0, metavar="N",
                    help="before the changes, time N request->response round trips of an unknown "
                         "method (the transport's floor, no analysis)")
    ap.add_argument("--memory", action="store_true",
                    help="report the server's memory (/proc/PID/status) after initialize, didOpen and the changes")
    ap.add_argument("--open-dir", metavar="DIR",
                    help="after DOC, didOpen every *.txt/*.md in DIR (sorted), then report memory")
    g = ap.add_argument_group("malformed input (each check runs in its own fresh server process)")
    g.add_argument("--bad-json", action="store_true", help="send a framed body that is not valid JSON")
    g.add_argument("--bad-header", action="store_true", help="send a header block with no Content-Length")
    g.add_argument("--unknown-method", action="store_true",
                   help="send an unknown request (expect -32601) and unknown notifications (expect silence)")
    g.add_argument("--out-of-range", action="store_true",
                   help="didChange edits past end of document/line, a reversed range, a hover past the end")
    g.add_argument("--bad-params", action="store_true", help="send known methods with missing/ill-typed params")
    g.add_argument("--all-malformed", action="store_true", help="all of the malformed-input checks")
    ap.add_argument("--trace", action="store_true", help="log every JSON-RPC message to stderr")
    args = ap.parse_args()

    if args.all_malformed:
        for k in CHECKS:
            setattr(args, k, True)
    cmd = shlex.split(args.server)
    doc = Path(args.doc).resolve()
    try:
        text = doc.read_text(encoding="utf-8")
    except OSError as e:
        log("cannot read document:", e)
        return 1
    t_start = time.monotonic()
    summary = {"event": "summary", "server": cmd, "uri": doc.as_uri()}
    rc = 0

    # ---- main flow: open, incremental changes, latency ---------------------
    sess = Session(args, cmd, doc, text)
    try:
        rc = sess.start(emit_phase="didOpen")
        if rc == 0 and args.open_dir:
            paths = sorted(p for p in Path(args.open_dir).iterdir()
                           if p.suffix in (".txt", ".md") and p.resolve() != doc)
            rc = sess.open_many(paths)
        if rc == 0:
            eline, echar, etext = args.edit.split(":", 2)
            lines = sess.text.split("\n")  # clamp the edit into the document
            ln = min(int(eline), len(lines) - 1)
            pos = {"line": ln, "character": min(int(echar), utf16_len(lines[ln]))}
            if args.rtt:
                # Transport floor: a request the server answers at once (-32601), no analysis.
                rtts = []
                for _ in range(args.rtt):
                    sess.srv.drain()
                    t0 = time.monotonic()
                    rid = sess.srv.request("lspProbe/rtt", {})
                    t, r = sess.srv.wait_response(rid, args.timeout)
                    if r is not None:
                        rtts.append((t - t0) * 1000)
                if rtts:
                    emit({"event": "rtt", "what": "request->response (unknown method)", "n": len(rtts),
                          "ms_min": round(min(rtts), 3), "ms_median": round(statistics.median(rtts), 3),
                          "ms_max": round(max(rtts), 3)})
            lat = []
            cpu0 = cpu_ms(sess.srv.pid)
            for i in range(args.changes):
                ms, msg = sess.change({"start": pos, "end": pos}, etext)
                if msg is None:
                    log("no publishDiagnostics within", args.timeout, "s after didChange version",
                        sess.version, "; server alive:", sess.srv.alive())
                    rc = 3
                    break
                lat.append(ms)
                emit_diags(msg, "didChange#%d" % (i + 1))
            cpu1 = cpu_ms(sess.srv.pid)
            if lat:
                emit({"event": "latency", "what": "didChange->publishDiagnostics",
                      "incremental": sess.change_kind != 1, "n": len(lat),
                      "server_cpu_ms_per_change": (round((cpu1 - cpu0) / len(lat), 2)
                                                   if cpu0 is not None and cpu1 is not None else None),
                      "ms_min": round(min(lat), 2), "ms_median": round(statistics.median(lat), 2),
                      "ms_max": round(max(lat), 2), "samples_ms": [round(x, 2) for x in lat]})
            if lat and (args.memory or args.open_dir):
                emit(memory_record(sess.srv.pid, "after-changes", None))
    finally:
        summary.update(sess.info)
        summary["server_exit_code"] = sess.stop()
        if rc and sess.srv:
            log("server stderr tail:\n" + "\n".join(sess.srv.stderr_tail[-20:]))

    # ---- malformed input, one fresh server per check ------------------------
    failures = []
    if rc == 0:
        for flag, names in CHECKS.items():
            if not getattr(args, flag):
                continue
            for name in names:
                s = Session(args, cmd, doc, text)
                try:
                    r = s.start()
                    if r:
                        rec = {"event": "robustness", "check": name, "ok": False, "setup_failed": r}
                    else:
                        rec = run_check(name, s)
                finally:
                    rec["server_exit_code"] = s.stop()
                    if not rec["ok"] and s.srv:
                        rec["server_stderr_tail"] = s.srv.stderr_tail[-3:]
                emit(rec)
                if not rec["ok"]:
                    failures.append(name)
        if failures:
            summary["robustness_failures"] = failures
            rc = 4
    summary["exit"] = rc
    summary["total_ms"] = round((time.monotonic() - t_start) * 1000, 1)
    emit(summary)
    return rc


if __name__ == "__main__":
    sys.exit(main())
