"""Benchmark: ``playbook serve`` on a generated ~100-page Operating Manual, in Chromium.

Prints the time from saving an edit to the new text being in the open page, over 10 saves
(median and worst; goal <= 1 s), how much of it is the server's refresh, and serve's CPU use
while idle for 10 s with the page open (goal: near zero). Also the PDF on request (first, then
kept).

Run: python benchmarks/serve.py   (needs Debian's chromium and the test extra: pip install '.[test]')
"""

from __future__ import annotations

import io
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from library import BIG_PAIRING, ROOT, add_metric_copies, copy_example  # noqa: E402

DOCUMENT = "operating-manual"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
EDITS = 10
IDLE_SECONDS = 10.0
GOAL_SECONDS = 1.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_serve(content: Path) -> tuple[subprocess.Popen, str, list[str]]:
    """``playbook serve`` on a free port; its output lines are collected as they come."""
    process = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--content", str(content), "--port", "0"],
                               cwd=content.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = process.stdout.readline()
    if "http://" not in first:
        process.kill()
        raise SystemExit(f"serve did not start: {first}{process.stdout.read()}")
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    return process, first.split(" at ", 1)[1].split()[0], lines


def main() -> None:
    import httpx
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory() as tmp:
        content = copy_example(Path(tmp) / "content")
        add_metric_copies(content, BIG_PAIRING, copies=70)
        metric = next((content / "benchmark-metrics").glob("*-copy-0.yaml"))
        original = metric.read_text()
        title = re.search(r"^title: (.*)$", original, flags=re.M).group(1)
        process, url, lines = start_serve(content)
        page_url = f"{url}{BIG_PAIRING}/{DOCUMENT}/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                    viewport={"width": 1280, "height": 900}, bypass_csp=True)
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(page_url)
                page.wait_for_function("document.getElementById('pb-status').textContent === 'Live'")
                first_open = time.perf_counter() - start
                page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
                latencies = []
                for n in range(EDITS):
                    token = f"edit {n} of the benchmark"
                    time.sleep(0.5)
                    start = time.perf_counter()
                    metric.write_text(original.replace(f"title: {title}", f"title: {title} ({token})", 1))
                    page.wait_for_function(f"document.body.textContent.includes({token!r})", polling="raf",
                                           timeout=30_000)
                    latencies.append(time.perf_counter() - start)
                time.sleep(1.0)
                before = cpu_seconds(process.pid)
                time.sleep(IDLE_SECONDS)
                idle = (cpu_seconds(process.pid) - before) / IDLE_SECONDS
                start = time.perf_counter()
                pdf = httpx.get(f"{url}{BIG_PAIRING}/{DOCUMENT}.pdf", timeout=300).content
                pdf_first = time.perf_counter() - start
                start = time.perf_counter()
                httpx.get(f"{url}{BIG_PAIRING}/{DOCUMENT}.pdf", timeout=300)
                pdf_kept = time.perf_counter() - start
                browser.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        refreshes = [float(found.group(1)) for line in lines
                     if (found := re.search(r"updated in ([0-9.]+) s", line))]

    median, worst = statistics.median(latencies), max(latencies)
    print(f"{DOCUMENT} of {BIG_PAIRING} with 70 more metrics: {pages} pages; first open {first_open:.2f} s")
    print(f"save -> new text in the open page, {EDITS} saves: median {median:.2f} s, worst {worst:.2f} s "
          f"(goal <= {GOAL_SECONDS:.0f} s); worst/goal {worst / GOAL_SECONDS:.2f}")
    print("  each save: " + ", ".join(f"{seconds:.2f}" for seconds in latencies) + " s")
    if refreshes:
        print(f"  of which the server's refresh (check + render): median {statistics.median(refreshes):.2f} s; "
              f"the rest is the quiet period, the fetch and the swap in the browser")
    print(f"idle CPU of serve over {IDLE_SECONDS:.0f} s with the page open: {idle * 100:.2f} % of one core "
          "(goal: near zero)")
    print(f"PDF on request: {pdf_first:.1f} s the first time, {pdf_kept:.3f} s once kept; "
          f"ratio {pdf_kept / pdf_first:.4f}")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
