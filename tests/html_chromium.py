#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium (Debian's `chromium`) loads the page
`permstat report --format html` writes for the hand-written history of tests/fixtures/html/
and this script checks that

- the page logs nothing on the console (no error) and makes no network request;
- the charts are there with the right number of bars (points) for that history;
- the hostile transcript text in it (`<script>`, quotes, `</svg>` in a command and in a
  folder name) is only ever text, never markup;

and keeps a screenshot. `.ci/run` runs it when `chromium` is installed, after `cargo test`
(which builds the binary). Standard library only.

Usage: python3 tests/html_chromium.py [--bin PATH] [--out DIR]
  --bin  the permstat binary (default: $CARGO_TARGET_DIR or target, then debug/permstat)
  --out  where the page, the DOM, the logs and the screenshot go (default: target/html-chromium)

How the checks see the browser: `--dump-dom` prints the DOM after the page's scripts ran;
`--enable-logging=stderr` prints every console message as a `CONSOLE` line; `--log-net-log`
writes every request, and the page's own are those whose initiator is an origin (Chromium's
background requests have "not an origin"). Host names resolve to nothing, so no request can
leave the machine. A control page with a script error and an image from 127.0.0.1 proves,
on every run, that both detectors catch what they should.

The expected counts come from the fixture (see its README.md): prompts on 3 days; 5 command
keys prompted (pip list, curl, make deploy, npm publish, rm); 2 working folders; 1 rule
suggested (Bash(pip list --outdated)); the fatigue curve has 1 position range, drawn as a
median and a p90 point.
"""

import argparse
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "html")

# chart id -> (element counted, how many)
EXPECTED = {
    "prompts": ("bar", 3),
    "friction": ("bar", 5),
    "mix-project": ("bar", 2),
    "suggested": ("bar", 1),
    "curve": ("point", 2),
}
HOSTILE_TEXTS = [
    'curl -s "https://x.test/?q=<script>alert(1)</script>" -o \'</svg>.txt\'',
    "/work/</svg><script>alert(\"dir\")</script>'q",
]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


def chromium(url, out_dir, tag, extra):
    """Runs Chromium once on `url` with a new empty profile; returns (stdout, stderr, netlog)."""
    profile = tempfile.mkdtemp(prefix="permstat-chromium-")
    netlog = os.path.join(out_dir, tag + "-netlog.json")
    try:
        p = subprocess.run(
            ["chromium", *CHROMIUM_FLAGS, "--user-data-dir=" + profile,
             "--enable-logging=stderr", "--v=0", "--log-net-log=" + netlog, *extra, url],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    with open(os.path.join(out_dir, tag + "-stderr.txt"), "w") as f:
        f.write(p.stderr)
    return p.stdout, p.stderr, netlog


def console_lines(stderr):
    return [l for l in stderr.splitlines() if ":CONSOLE" in l]


def page_requests(netlog):
    """URLs the page asked for (not Chromium's own), other than file:, data: and about:."""
    with open(netlog) as f:
        text = f.read()
    # A net log cut short (the browser exits while writing) lacks its closing brackets.
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = set()
    for e in log.get("events", []):
        p = e.get("params")
        if types.get(e.get("type")) != "URL_REQUEST_START_JOB" or not isinstance(p, dict) or "url" not in p:
            continue
        url = p.get("url", "")
        if p.get("initiator") == "not an origin" or url.split(":")[0] in ("file", "data", "about", "chrome"):
            continue
        urls.add(url)
    return urls


class Dom(html.parser.HTMLParser):
    """Counts elements per chart and gathers the text of the dumped DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svg = None
        self.counts = {}
        self.scripts = 0
        self.svgs = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self.svg = a.get("id", "")
            self.svgs.append(self.svg)
            self.counts[self.svg] = {"bar": 0, "point": 0}
        elif tag == "script":
            self.scripts += 1
        elif self.svg is not None and tag == "g" and a.get("class") == "bar":
            self.counts[self.svg]["bar"] += 1
        elif self.svg is not None and tag == "circle" and a.get("class") == "point":
            self.counts[self.svg]["point"] += 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.svg = None

    def handle_endtag(self, tag):
        if tag == "svg":
            self.svg = None

    def handle_data(self, data):
        self.text.append(data)


def main():
    ap = argparse.ArgumentParser()
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    ap.add_argument("--bin", default=os.path.join(target, "debug", "permstat"))
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "html-chromium"))
    args = ap.parse_args()
    # A file: URL needs an absolute path ("file://target/x" names a host called target).
    args.out = os.path.abspath(args.out)
    if not shutil.which("chromium"):
        print("html_chromium: chromium not found, skipped")
        return 0
    os.makedirs(args.out, exist_ok=True)

    # The detectors, on a page that breaks both rules.
    control = os.path.join(args.out, "control.html")
    with open(control, "w") as f:
        f.write('<!doctype html><img src="http://127.0.0.1:9/x.png"><script>nosuch()</script>')
    _, err, netlog = chromium("file://" + control, args.out, "control", ["--dump-dom"])
    check("the console detector sees a script error", any("nosuch" in l for l in console_lines(err)), err[-500:])
    check("the request detector sees a request", "http://127.0.0.1:9/x.png" in page_requests(netlog), netlog)

    # The report of the fixture, with settings isolated from this machine's.
    empty = tempfile.mkdtemp(prefix="permstat-empty-")
    env = {k: v for k, v in os.environ.items() if k not in ("CLAUDE_CONFIG_DIR", "PERMSTAT_PROMPT_LOG", "COLUMNS")}
    env["HOME"] = empty
    page = subprocess.run(
        [args.bin, "report", FIXTURE, "--format", "html", "-q", "--no-cache",
         "--config-dir", empty, "--managed-dir", empty, "--no-prompt-log"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )
    shutil.rmtree(empty, ignore_errors=True)
    check("permstat wrote the page", page.returncode == 0 and page.stdout.startswith("<!doctype html>"), page.stderr)
    report = os.path.join(args.out, "report.html")
    with open(report, "w") as f:
        f.write(page.stdout)
    url = "file://" + report

    dom, err, netlog = chromium(url, args.out, "report", ["--dump-dom"])
    with open(os.path.join(args.out, "report-dom.html"), "w") as f:
        f.write(dom)
    check("no console message", not console_lines(err), "\n".join(console_lines(err)))
    reqs = page_requests(netlog)
    check("no network request", not reqs, ", ".join(sorted(reqs)))

    d = Dom()
    d.feed(dom)
    check("the page was rendered", bool(dom) and "Permission friction report" in "".join(d.text), dom[:300])
    for chart, (what, n) in EXPECTED.items():
        got = d.counts.get(chart, {}).get(what)
        check(f"chart {chart}: {n} {what}s", got == n, f"got {got}")
    check("only the charts are svg elements", sorted(d.svgs) == sorted(EXPECTED), str(d.svgs))
    check("one script element (the table sorter)", d.scripts == 1, str(d.scripts))
    text = "".join(d.text)
    for h in HOSTILE_TEXTS:
        check(f"hostile text shown as text: {h[:30]}", h in text, "not found in the page's text")

    shot = os.path.join(args.out, "report.png")
    chromium(url, args.out, "shot", ["--hide-scrollbars", "--window-size=1200,2400", "--screenshot=" + shot])
    check("screenshot kept", os.path.exists(shot) and os.path.getsize(shot) > 10_000, shot)
    print(f"screenshot: {shot}")

    passed = sum(results)
    failed = len(results) - passed
    print(f"html_chromium: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
