"""playbook serve: routes, what a save re-renders, batching of saves, the command (the browser: test_serve_browser)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # this Starlette prefers httpx2 but works with httpx
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from builder.cli import main
from builder.render.folders import SHIPPED_TEMPLATES
from builder.serve.app import create_app
from builder.serve.assets import resolve_asset
from builder.serve.changes import sort_changes
from builder.serve.state import PreviewState
from builder.serve.watcher import ChangeBatch, batch_changes
from conftest import MINIMAL_FILES, write_content, write_templates

OTHER_METRIC = MINIMAL_FILES["metrics/sae.yaml"].replace(
    "id: sae-reporting-timeliness", "id: query-resolution-time").replace(
    "title: SAE reporting timeliness", "title: Query resolution time").replace(
    "definition: SAEs reported within 24 hours.", "definition: Data queries resolved within 10 business days.")
SECOND_PAIRING = MINIMAL_FILES["pairings/acme-cro.yaml"].replace("id: acme-cro", "id: acme-cro-letter").replace(
    "metrics: [sae-reporting-timeliness]", "metrics: [sae-reporting-timeliness, query-resolution-time]").replace(
    "master-agreement: MSA 1", "master-agreement: MSA 2\n        page-size: letter")
DOCUMENTS = [(p, d) for p in ("acme-cro", "acme-cro-letter") for d in ("operating-manual", "quality-agreement")]


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two pairings: acme-cro (A4) and acme-cro-letter (US Letter, with one more metric)."""
    monkeypatch.chdir(tmp_path)  # diagnostics then name files as content/...
    files = {**MINIMAL_FILES, "metrics/other.yaml": OTHER_METRIC, "pairings/acme-cro-letter.yaml": SECOND_PAIRING}
    return write_content(tmp_path / "content", files)


@pytest.fixture
def state(content: Path) -> PreviewState:
    return PreviewState(Path("content")).load()


@pytest.fixture
def client(state: PreviewState):
    with TestClient(create_app(state, watch=False), base_url="http://127.0.0.1") as test_client:
        yield test_client


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# -- routes ---------------------------------------------------------------------------------


def test_index_lists_every_pairing_its_documents_and_the_diagnostics_count(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for pairing_id, document_id in DOCUMENTS:
        assert f'href="/{pairing_id}/{document_id}/"' in page.text
        assert f'href="/{pairing_id}/{document_id}.pdf"' in page.text
    assert "Operating Manual" in page.text and "Quality Agreement" in page.text
    assert "0 errors, 0 warnings" in page.text


def test_document_page_is_the_rendered_document_with_the_preview_injected(client: TestClient) -> None:
    page = client.get("/acme-cro/operating-manual/")
    assert page.status_code == 200
    assert "SAEs reported within 24 hours." in page.text  # the metric's definition, rendered
    assert 'class="toc' in page.text and 'data-number="' in page.text  # contents and numbering kept
    assert '<link rel="stylesheet" href="print.css">' in page.text
    assert page.text.index('href="print.css"') < page.text.index('href="/_assets/preview.css"')
    assert '<script src="/_serve/preview.js" defer></script>' in page.text
    assert 'id="pb-toolbar"' in page.text and 'href="/acme-cro/operating-manual.pdf"' in page.text
    assert "--sheet-width: 210mm;" in page.text and "--sheet-margin: 25mm 22mm 22mm 22mm;" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "--sheet-width: 8.5in;" in client.get("/acme-cro-letter/operating-manual/").text
    assert client.get("/acme-cro/operating-manual", follow_redirects=False).headers["location"] == \
        "/acme-cro/operating-manual/"


def test_page_assets_come_from_the_template_folders(client: TestClient) -> None:
    assert "Carlito" in client.get("/_assets/print.css").text
    assert client.get("/acme-cro/operating-manual/print.css").text == client.get("/_assets/print.css").text
    font = client.get("/acme-cro/operating-manual/fonts/Carlito-Regular.ttf")
    assert font.status_code == 200 and font.headers["content-type"] == "font/ttf"
    assert "--sheet-width" in client.get("/_assets/preview.css").text


def test_pdf_is_laid_out_on_request_and_kept_until_the_document_changes(client: TestClient, state: PreviewState,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first = client.get("/acme-cro/quality-agreement.pdf")
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert first.headers["content-type"] == "application/pdf"
    layouts = []
    write = state.pipeline.write
    monkeypatch.setattr(type(state.pipeline), "write",
                        lambda self, document, name: layouts.append(name) or write(document, name))
    assert client.get("/acme-cro/quality-agreement.pdf").content == first.content
    assert layouts == []  # kept
    state.refresh([edit(Path("content/organizations.yaml"), "legal-name: Good CRO Ltd", "legal-name: Better CRO Ltd")])
    assert client.get("/acme-cro/quality-agreement.pdf").content.startswith(b"%PDF")
    assert "pdf" in layouts  # laid out again: the document changed
    assert client.get("/nobody/quality-agreement.pdf").status_code == 404


@pytest.mark.parametrize("path", [
    "/_assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/_assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/_assets/%2Fetc%2Fpasswd",
    "/_assets//etc/passwd",
    "/_assets/%252e%252e/content/metrics/sae.yaml",
    "/_assets/../../etc/passwd",
    "/acme-cro/operating-manual/%2e%2e/%2e%2e/content/metrics/sae.yaml",
    "/etc/passwd",
    "/content/metrics/sae.yaml",
    "/_assets/theme.yaml",  # a template file, but not an asset a page loads
    "/_assets/operating-manual/document.md.j2",
    "/_assets/fonts/.hidden.css",
    "/_serve/status/..%2f..%2fetc/passwd",
])
def test_paths_outside_the_served_routes_are_not_found(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 404
    assert "root:" not in response.text and "kind: metric" not in response.text


def test_the_asset_resolver_refuses_traversal_absolute_paths_and_symlinks_out(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "css").mkdir(parents=True)
    (templates / "css" / "ok.css").write_text("p {}")
    secret = tmp_path / "secret.css"
    secret.write_text("secret")
    (templates / "out.css").symlink_to(secret)
    (templates / "in.css").symlink_to(templates / "css" / "ok.css")
    folders = [templates]
    assert resolve_asset(folders, "css/ok.css") == (templates / "css" / "ok.css").resolve()
    assert resolve_asset(folders, "in.css") == (templates / "css" / "ok.css").resolve()  # a link inside is fine
    for name in ("../secret.css", "css/../../secret.css", str(secret), "/etc/passwd", "out.css",
                 "css\\..\\..\\secret.css", "css/ok.css\x00", "", ".", "css/./ok.css", "css//ok.css"):
        assert resolve_asset(folders, name) is None, name


def test_a_user_preview_stylesheet_overrides_the_shipped_one(content: Path, tmp_path: Path) -> None:
    templates = write_templates(tmp_path / "mine", {"preview.css": "body { background: pink; }"})
    with TestClient(create_app(PreviewState(content, templates).load(), watch=False),
                    base_url="http://127.0.0.1") as client:
        assert client.get("/_assets/preview.css").text.strip() == "body { background: pink; }"


def test_requests_for_another_host_name_are_refused(client: TestClient) -> None:
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400  # DNS rebinding
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


# -- errors -----------------------------------------------------------------------------------


def test_a_content_error_is_listed_in_the_document_status_until_it_is_fixed(client: TestClient,
                                                                              state: PreviewState) -> None:
    version = client.get("/_serve/status/acme-cro/operating-manual").json()["version"]
    sae = Path("content/metrics/sae.yaml")
    good = sae.read_text()
    sae.write_text(good.replace("kind: metric\n", "kind: metric\n  type: KPI\n"))  # bad indentation
    state.refresh([sae])
    status = client.get("/_serve/status/acme-cro/operating-manual").json()
    assert status["own"], status
    assert status["own"][0]["text"].startswith("content/metrics/sae.yaml:3:")
    assert ": error: " in status["own"][0]["text"]
    assert status["version"] == version  # the last good page is kept, marked by the errors
    assert client.get("/_serve/status").json()["errors"] >= 1
    assert "content/metrics/sae.yaml:3:" in client.get("/").text
    sae.write_text(good)
    state.refresh([sae])
    status = client.get("/_serve/status/acme-cro/operating-manual").json()
    assert status["own"] == [] and status["others"] == []


def test_errors_in_another_pairings_files_do_not_block_a_document(client: TestClient, state: PreviewState) -> None:
    client.get("/acme-cro/operating-manual/")
    other = edit(Path("content/metrics/other.yaml"), "target: 100", "target: [100")
    state.refresh([other])
    mine = client.get("/_serve/status/acme-cro/operating-manual").json()
    theirs = client.get("/_serve/status/acme-cro-letter/operating-manual").json()
    assert mine["own"] == [] and mine["others"]
    assert any(d["file"] == "content/metrics/other.yaml" for d in theirs["own"])


def test_a_document_whose_pairing_cannot_compose_shows_every_error(client: TestClient, state: PreviewState) -> None:
    client.get("/acme-cro/operating-manual/")
    pairing = edit(Path("content/pairings/acme-cro.yaml"), "provider: cro", "provider: cr0")
    state.refresh([pairing])
    status = client.get("/_serve/status/acme-cro/operating-manual").json()
    assert any("cr0" in d["message"] for d in status["own"])
    pdf = client.get("/acme-cro/operating-manual.pdf")
    assert pdf.status_code == 409 and "content/pairings/acme-cro.yaml" in pdf.text


def test_a_template_error_is_shown_on_the_page(content: Path, tmp_path: Path) -> None:
    templates = write_templates(tmp_path / "mine", {"partials/metrics.md.j2": "{% for %}"})
    state = PreviewState(content, templates).load()
    with TestClient(create_app(state, watch=False), base_url="http://127.0.0.1") as client:
        page = client.get("/acme-cro/operating-manual/")
        assert page.status_code == 200 and "cannot be shown" in page.text
        status = client.get("/_serve/status/acme-cro/operating-manual").json()
        assert any("metrics.md.j2" in d["file"] for d in status["own"])


# -- what a save re-renders -------------------------------------------------------------------------


def test_only_the_documents_a_save_reaches_are_rendered_again(content: Path, tmp_path: Path) -> None:
    templates = write_templates(tmp_path / "mine", {"print.css": (SHIPPED_TEMPLATES / "print.css").read_text()})
    state = PreviewState(Path("content"), templates).load()
    for key in DOCUMENTS:
        state.page(*key)
    assert state.renders == 4

    def rendered(path: Path) -> set[tuple[str, str]]:
        update = state.refresh([path])
        assert update is not None
        return set(update.rendered)

    letter = {key for key in DOCUMENTS if key[0] == "acme-cro-letter"}
    manuals = {key for key in DOCUMENTS if key[1] == "operating-manual"}
    assert rendered(edit(Path("content/metrics/other.yaml"), "Data queries", "All data queries")) == letter
    assert rendered(edit(Path("content/pairings/acme-cro.yaml"), "One CRO runs", "A single CRO runs")) == \
        set(DOCUMENTS) - letter
    assert rendered(edit(Path("content/metrics/sae.yaml"), "SAEs reported", "Serious AEs reported")) == set(DOCUMENTS)
    manual = write_templates(templates, {"operating-manual/document.md.j2": "# Only this {#sec-only}\n"})
    assert rendered(manual / "operating-manual" / "document.md.j2") == manuals
    assert rendered(edit(templates / "print.css", "}", "} /* edited */")) == set(DOCUMENTS)
    assert state.refresh([tmp_path / "content" / ".sae.yaml.swp"]) is None  # an editor's file
    assert state.renders == 4 + 2 + 2 + 4 + 2 + 4


def test_a_pairing_broken_then_fixed_is_reached_again(state: PreviewState) -> None:
    state.page("acme-cro", "operating-manual")
    sae = Path("content/metrics/sae.yaml")
    good = sae.read_text()
    sae.write_text("id: [")
    assert state.refresh([sae]).rendered == []
    sae.write_text(good.replace("SAEs reported", "Each SAE reported"))
    update = state.refresh([sae])
    assert update.rendered == [("acme-cro", "operating-manual")]
    assert "Each SAE reported" in state.pages[("acme-cro", "operating-manual")].html


def test_unchanged_files_are_not_parsed_again_and_the_check_is_the_same(state: PreviewState) -> None:
    from builder.compose.check import check_content

    parsed = state.files.parsed
    state.refresh([edit(Path("content/terms.yaml"), "An adverse event", "Any adverse event")])
    assert state.files.parsed == parsed + 1
    fresh = check_content(Path("content"), documents=state.pipeline.documents.requirements())
    assert [str(d) for d in state.checked.diagnostics.sorted()] == [str(d) for d in fresh.diagnostics.sorted()]
    assert state.checked.contexts.keys() == fresh.contexts.keys()


def test_figures_are_drawn_again_only_when_their_blocks_change(state: PreviewState) -> None:
    state.page("acme-cro", "operating-manual")
    drawn = state.figures.drawn
    state.refresh([edit(Path("content/metrics/sae.yaml"), "SAEs reported", "Serious AEs reported")])
    assert state.figures.drawn == drawn
    state.refresh([edit(Path("content/transition.yaml"), "name: Steady state", "name: Routine oversight")])
    assert state.figures.drawn > drawn


def test_changes_are_sorted_into_content_and_templates(tmp_path: Path) -> None:
    content, shipped, mine = tmp_path / "content", tmp_path / "shipped", tmp_path / "mine"
    ids = ["operating-manual", "quality-agreement"]
    changes = sort_changes([content / "a.yaml", content / ".a.yaml.swp", content / "notes.txt",
                            tmp_path / "elsewhere.yaml"], content, [mine, shipped], ids)
    assert changes.content == {str(content / "a.yaml")} and not changes.templates
    changes = sort_changes([mine / "operating-manual" / "document.md.j2"], content, [mine, shipped], ids)
    assert changes.document_types == {"operating-manual"}
    assert changes.reaches("operating-manual", []) and not changes.reaches("quality-agreement", [])
    changes = sort_changes([shipped / "operating-manual" / "x.j2", shipped / "print.css"], content, [mine, shipped], ids)
    assert changes.document_types is None and changes.reaches("quality-agreement", [])
    removed_folder = sort_changes([content / "metrics"], content, [shipped], ids)
    assert removed_folder.reaches("operating-manual", [str(content / "metrics" / "sae.yaml")])


# -- batching saves ----------------------------------------------------------------------------------


def test_a_burst_of_saves_is_one_batch_with_an_injected_clock() -> None:
    now = [100.0]
    batch = ChangeBatch(quiet=0.05, longest=1.0, clock=lambda: now[0])
    assert batch.wait() is None
    for n in range(20):  # 20 saves within 100 ms
        batch.add([f"content/file-{n}.yaml"])
        assert batch.wait() > 0
        now[0] += 0.005
    assert batch.wait() == pytest.approx(0.05 - 0.005)
    now[0] += 0.05
    assert batch.wait() == 0
    assert len(batch.take()) == 20 and batch.wait() is None


def test_a_folder_that_never_pauses_still_gets_a_rebuild_every_second() -> None:
    now = [0.0]
    batch = ChangeBatch(quiet=0.05, longest=1.0, clock=lambda: now[0])
    for _ in range(60):
        batch.add(["content/busy.yaml"])
        now[0] += 0.02
    assert batch.wait() == 0


def test_twenty_saves_within_100_ms_trigger_one_rebuild() -> None:
    rebuilds: list[set[str]] = []

    async def saves():
        for n in range(20):
            yield [f"content/file-{n}.yaml"]
            await asyncio.sleep(0.005)

    async def rebuild(paths: set[str]) -> None:
        rebuilds.append(paths)

    asyncio.run(batch_changes(saves(), ChangeBatch(quiet=0.2), rebuild))
    assert len(rebuilds) == 1 and len(rebuilds[0]) == 20


def test_the_refresher_publishes_one_update_per_batch(state: PreviewState) -> None:
    app = create_app(state, watch=False)
    events: list[dict] = []
    app.state.events.publish = events.append
    state.page("acme-cro", "operating-manual")
    sae = edit(Path("content/metrics/sae.yaml"), "SAEs reported", "Serious AEs reported")
    asyncio.run(app.state.refresher({str(sae)} | {str(sae.parent / f"x{n}.yaml") for n in range(19)}))
    assert [e["type"] for e in events] == ["building", "updated"]
    assert events[1]["documents"] == ["acme-cro/operating-manual"]


# -- the command ----------------------------------------------------------------------------------


def test_serve_is_a_command_and_reports_a_missing_content_folder(runner, tmp_path: Path) -> None:
    assert "serve" in runner.invoke(main, ["--help"]).output
    result = runner.invoke(main, ["serve", "--content", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "content folder not found" in result.output
    assert "Traceback" not in result.output
    assert runner.invoke(main, ["serve", "--port", "70000"]).exit_code == 2


def start_serve(content_dir: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """``playbook serve`` on a free port; returns the process and its address."""
    process = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--content", str(content_dir),
                                "--port", "0", *args], cwd=content_dir.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()
        raise AssertionError(f"serve did not start: {line}{process.stderr.read()}")
    return process, line.split(" at ", 1)[1].split()[0]


def test_ctrl_c_stops_serve_with_one_line_and_no_traceback(content: Path) -> None:
    import threading

    import httpx

    process, url = start_serve(content)
    answers: list[int] = []
    try:
        with httpx.stream("GET", url + "_serve/events", timeout=10) as events:  # an open page
            assert next(events.iter_lines()).startswith("retry:")
            pdf = threading.Thread(target=lambda: answers.append(
                httpx.get(url + "acme-cro/operating-manual.pdf", timeout=30).status_code))
            pdf.start()  # a PDF being laid out
            time.sleep(0.5)
            start = time.monotonic()
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=10)
            pdf.join(timeout=10)
    finally:
        process.kill()
    assert time.monotonic() - start < 3
    assert answers and answers[0] in (200, 503)  # laid out already, or "the preview is stopping"
    assert process.returncode == 0
    assert err.strip().splitlines()[-1] == "playbook serve: stopped"
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err


def test_a_port_in_use_is_one_clear_error(content: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "builder", "serve", "--content", str(content),
                               "--port", str(port)], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: address already in use; pass another --port" in done.stderr
    assert "Traceback" not in done.stderr


# -- in a real browser ----------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def browser(tmp_path: Path):
    """A fresh headless Chromium (Debian's), driven by Playwright; skipped, saying why, without them."""
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed: pip install '.[test]'")
    with sync_playwright() as playwright:
        # bypass_csp: Playwright's wait_for_function evaluates strings, which the page's policy forbids
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1000, "height": 700}, bypass_csp=True)
        try:
            yield context
        finally:
            context.close()


def test_an_open_page_follows_saves_in_place_and_shows_errors_until_fixed(content: Path, browser) -> None:
    process, url = start_serve(content)
    try:
        page = browser.new_page()
        page.goto(url)
        page.click("text=Operating Manual >> nth=0")
        page.wait_for_url(url + "acme-cro/operating-manual/")
        page.wait_for_function("document.getElementById('pb-status').textContent === 'Live'")
        assert "SAEs reported within 24 hours." in page.inner_text("main")
        page.evaluate("window.notReloaded = true; window.scrollTo(0, 1500)")
        scrolled = page.evaluate("window.scrollY")
        assert scrolled > 1000
        page.evaluate("window.keptCover = document.querySelector('.cover')")  # not touched by the edit

        sae = content / "metrics" / "sae.yaml"
        good = sae.read_text()
        sae.write_text(good.replace("SAEs reported within 24 hours.", "SAEs reported within one calendar day."))
        page.wait_for_function("document.querySelector('main').innerText.includes('within one calendar day')",
                               timeout=20_000)
        assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded
        # only what changed was replaced: the cover is the same element as before the save
        assert page.evaluate("window.keptCover === document.querySelector('.cover')") is True
        assert abs(page.evaluate("window.scrollY") - scrolled) <= 2
        assert page.evaluate("window.playbookPreview.swaps") >= 1

        sae.write_text(good.replace("kind: metric\n", "kind: metric\n  type: KPI\n"))  # bad indentation
        overlay = page.wait_for_selector("#pb-overlay", timeout=20_000)
        text = overlay.inner_text()
        assert "content/metrics/sae.yaml:3:" in text and ": error: " in text
        assert "error" in page.inner_text("#pb-status")

        sae.write_text(good)
        page.wait_for_selector("#pb-overlay", state="detached", timeout=20_000)
        page.wait_for_function("document.querySelector('main').innerText.includes('within 24 hours')",
                               timeout=20_000)
        assert page.evaluate("window.notReloaded") is True
        assert page.inner_text("#pb-status") == "Live"
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err
