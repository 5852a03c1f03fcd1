#!/usr/bin/env python3
"""Opens HTML reports in headless Chromium through chromedriver's W3C WebDriver HTTP API (urllib
only, no selenium) and checks that they render: every chart is an SVG with non-empty paths or bars,
the headline verdict is there, the tooltip script works and says the calendar date, and the browser
console has no errors. Layout, measured on the laid-out page (getBBox): no legend entry overlaps its
chart's plot area, no two tick labels of an axis overlap, no tick label leaves its chart, and a
chart shows at most 12 legend entries (many servers are pooled per group).
Saves a screenshot of the top of each page, of the full page and of each chart under ARTIFACTS.

usage: test_report_browser.py ARTIFACTS_DIR REPORT.html [REPORT.html ...]
Exit 0 when every page passes, 1 otherwise; 77 (ctest SKIP) when chromium or chromedriver is missing.
"""
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

CHROMEDRIVER = os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few W3C WebDriver endpoints this test needs."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: HTTP {e.code}: {e.read()[:500]!r}")

    def start(self, width, height):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM,
                                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                                            "--disable-dev-shm-usage", f"--window-size={width},{height}",
                                            "--hide-scrollbars", "--force-device-scale-factor=1"]},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def s(self, path):
        return f"/session/{self.session}{path}"

    def go(self, url):
        self.call("POST", self.s("/url"), {"url": url})

    def js(self, script, *args):
        return self.call("POST", self.s("/execute/sync"), {"script": script, "args": list(args)})

    def console(self):
        return self.call("POST", self.s("/se/log"), {"type": "browser"}) or []

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.call("GET", self.s("/screenshot"))))

    def element_screenshot(self, css, path):
        el = self.call("POST", self.s("/element"), {"using": "css selector", "value": css})
        eid = next(iter(el.values()))
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.call("GET", self.s(f"/element/{eid}/screenshot"))))

    def resize(self, width, height):
        self.call("POST", self.s("/window/rect"), {"width": width, "height": height})

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", self.s(""))
            except Exception:
                pass


# What the page must show, measured in the browser.
INSPECT = r"""
const charts = [...document.querySelectorAll('svg.chart')];
const out = {title: document.title, verdict: (document.querySelector('#verdict .big') || {}).textContent || '',
             cards: document.querySelectorAll('.card').length, charts: [], height: document.body.scrollHeight,
             overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1};
for (const c of charts) {
  const paths = [...c.querySelectorAll('g.series path')];
  const drawn = paths.filter(p => (p.getAttribute('d') || '').length > 3).length;
  const bars = c.querySelectorAll('rect.bar').length;
  const dots = c.querySelectorAll('circle').length;
  const box = c.getBoundingClientRect();
  out.charts.push({id: c.id, title: (c.querySelector('title') || {}).textContent || '', paths: paths.length,
                   drawn: drawn, bars: bars, dots: dots, width: box.width, height: box.height,
                   ticks: c.querySelectorAll('text.xtick').length});
}
return out;
"""

# Layout problems of every chart, in SVG user units (getBBox of the laid-out text).
LAYOUT = r"""
const problems = [];
const overlap = (a, b, pad) => a.x < b.x + b.width - pad && b.x < a.x + a.width - pad &&
                               a.y < b.y + b.height - pad && b.y < a.y + a.height - pad;
const box = el => { const b = el.getBBox(); return {x: b.x, y: b.y, width: b.width, height: b.height}; };
for (const c of document.querySelectorAll('svg.chart')) {
  const name = `${c.id} (${(c.querySelector('title') || {}).textContent || ''})`;
  const vb = c.viewBox.baseVal;
  const legends = [...c.querySelectorAll('g.legend')];
  if (legends.length > 12) problems.push(`${name}: ${legends.length} legend entries`);
  if (c.dataset.top !== undefined) {
    const plot = {x: +c.dataset.px0, y: +c.dataset.top, width: +c.dataset.px1 - +c.dataset.px0,
                  height: +c.dataset.bottom - +c.dataset.top};
    for (const g of legends)
      if (overlap(box(g), plot, 0))
        problems.push(`${name}: legend "${g.textContent}" overlaps the plot`);
    for (let i = 0; i < legends.length; ++i)
      for (let j = i + 1; j < legends.length; ++j)
        if (overlap(box(legends[i]), box(legends[j]), 0.5))
          problems.push(`${name}: legend entries "${legends[i].textContent}" and "${legends[j].textContent}" overlap`);
  }
  for (const cls of ['xtick', 'ytick']) {
    const labels = [...c.querySelectorAll('text.' + cls)].map(t => ({t: t.textContent, b: box(t)}));
    for (let i = 0; i < labels.length; ++i) {
      const b = labels[i].b;
      if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > vb.width + 0.5 || b.y + b.height > vb.height + 0.5)
        problems.push(`${name}: ${cls} label "${labels[i].t}" leaves the chart`);
      for (let j = i + 1; j < labels.length; ++j)
        if (overlap(b, labels[j].b, 0.5))
          problems.push(`${name}: ${cls} labels "${labels[i].t}" and "${labels[j].t}" collide`);
    }
  }
}
return problems;
"""

TOOLTIP = r"""
const c = document.querySelector('svg.chart[data-x0]');
if (!c) return 'no chart';
const r = c.getBoundingClientRect();
c.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + r.width / 2, clientY: r.top + r.height / 2,
                                             bubbles: true}));
const tip = document.getElementById('tip');
return tip.hidden ? 'hidden' : tip.textContent;
"""


def check_page(wd, path, artifacts):
    name = os.path.splitext(os.path.basename(path))[0]
    if name == "report":  # build/scenario-runs/<scenario>/report.html
        name = os.path.basename(os.path.dirname(os.path.abspath(path)))
    problems = []
    wd.resize(1100, 1400)
    wd.go("file://" + os.path.abspath(path))
    info = wd.js(INSPECT)
    if not info["verdict"]:
        problems.append("no headline verdict")
    if info["cards"] < 3:
        problems.append(f"only {info['cards']} headline cards")
    if not info["charts"]:
        problems.append("no charts")
    if info["overflow"]:
        problems.append("the page scrolls sideways at 1100 px")
    for c in info["charts"]:
        if c["drawn"] == 0 and c["bars"] == 0 and c["dots"] == 0:
            problems.append(f"chart {c['id']} ({c['title']}) drew nothing")
        if c["width"] < 300 or c["height"] < 100:
            problems.append(f"chart {c['id']} is {c['width']}x{c['height']} px")
    problems += wd.js(LAYOUT)
    tip = wd.js(TOOLTIP)
    if tip in ("hidden", "no chart") or ":" not in tip:
        problems.append(f"tooltip did not show ({tip})")
    elif not re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d \(\+", tip):
        problems.append(f"tooltip does not start with the calendar date and time and the elapsed time ({tip[:60]})")
    severe = [e for e in wd.console() if e.get("level") in ("SEVERE", "ERROR")]
    for e in severe:
        problems.append(f"console: {e.get('message')}")
    wd.screenshot(os.path.join(artifacts, f"{name}-top.png"))
    for i, c in enumerate(info["charts"]):
        wd.element_screenshot(f"svg#{c['id']}", os.path.join(artifacts, f"{name}-chart{i:02d}-{c['id']}.png"))
    wd.resize(1100, min(info["height"] + 40, 16000))
    wd.js("window.scrollTo(0, 0);")
    wd.screenshot(os.path.join(artifacts, f"{name}-full.png"))
    drawn = sum(1 for c in info["charts"] if c["drawn"] or c["bars"] or c["dots"])
    print(f"{name}: {info['verdict']!r}, {len(info['charts'])} charts ({drawn} drawn), page {info['height']} px, "
          f"console errors {len(severe)}, tooltip {tip[:40]!r}")
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    if not (os.path.exists(CHROMEDRIVER) and os.path.exists(CHROMIUM)):
        print(f"SKIP: {CHROMEDRIVER} or {CHROMIUM} missing (scripts/deps.sh installs chromium and chromium-driver)")
        return 77
    artifacts = sys.argv[1]
    os.makedirs(artifacts, exist_ok=True)
    port = free_port()
    driver = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wd = WebDriver(port)
    failures = 0
    try:
        for _ in range(100):
            try:
                if wd.call("GET", "/status").get("ready"):
                    break
            except Exception:
                pass
            time.sleep(0.1)
        wd.start(1100, 1400)
        for page in sys.argv[2:]:
            problems = check_page(wd, page, artifacts)
            for p in problems:
                print(f"  FAIL {page}: {p}")
            failures += bool(problems)
    finally:
        wd.quit()
        driver.terminate()
        driver.wait(timeout=10)
    print(f"{failures} page(s) failed; screenshots in {artifacts}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
