"""A real browser: JupyterLab on localhost, Debian's Chromium driven by Playwright, the example
notebook run cell by cell; the rendered tables must show their merged cells, the deduced totals
and the highlighted wrong cell.  A screenshot is kept in tests/output/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path, repo_root):
    pytest.importorskip("jupyterlab")
    shutil.copy(repo_root / "examples" / "report.ipynb", tmp_path / "report.ipynb")
    port, token = free_port(), "gk-test-token"
    jupyter = Path(sys.executable).parent / "jupyter"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / ".jupyter"), JUPYTER_RUNTIME_DIR=str(tmp_path / ".runtime"))
    server = subprocess.Popen(
        [str(jupyter), "lab", "--no-browser", "--allow-root", "--expose-app-in-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", "--LabApp.news_url=", "--ServerApp.disable_check_xsrf=True"],
        stdout=subprocess.DEVNULL, stderr=open(tmp_path / "jupyter.log", "w"), env=env,
    )
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start: " + (tmp_path / "jupyter.log").read_text()[-2000:])
        yield f"http://127.0.0.1:{port}/lab/tree/report.ipynb?token={token}"
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


KERNEL_IDLE = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = widget && widget.sessionContext && widget.sessionContext.session && widget.sessionContext.session.kernel;
    return !!kernel && kernel.status === "idle" && kernel.connectionStatus === "connected";
}"""


def test_notebook_tables_render_in_jupyterlab(jupyterlab, output_dir):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1400})
            page.goto(jupyterlab, timeout=90_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
            page.wait_for_function(KERNEL_IDLE, timeout=90_000)  # run-all before the kernel is connected is lost
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function("document.querySelectorAll('.jp-OutputArea table.gk-table').length >= 3", timeout=120_000)
            tables = page.locator(".jp-OutputArea table.gk-table")
            assert tables.count() == 3
            requests = page.locator(".jp-OutputArea table.gk-table[data-table='requests']")
            assert requests.locator("[colspan='7']").count() == 1  # 申请人情况
            assert requests.locator("[rowspan='3'][colspan='3']").count() == 1  # the corner
            assert requests.locator("[rowspan='22']").count() == 1  # 三、本年度办理结果
            assert page.locator(".jp-OutputArea td.gk-deduced").count() >= 3
            wrong = page.locator(".jp-OutputArea td.gk-error")
            assert wrong.count() == 1
            assert "31" in wrong.inner_text() and "30" in wrong.get_attribute("title")
            assert page.locator(".jp-OutputArea table.gk-table:has(td.gk-error)").count() == 1
            wrong.scroll_into_view_if_needed()
            page.screenshot(path=str(output_dir / "notebook.png"), full_page=False)
        finally:
            browser.close()
