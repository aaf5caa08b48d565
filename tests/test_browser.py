"""A real browser: JupyterLab on localhost, Debian's Chromium driven by Playwright, the example
notebook run as a person would (Run → Run All Cells); the rendered tables must show their merged
cells, the deduced totals and the highlighted wrong cell with its tooltip.  A screenshot of the
whole notebook is kept in tests/output/<test>/notebook.png.

The notebook is examples/report.ipynb; GK_BROWSER_NOTEBOOK=<path> points the test at another one.
It needs /usr/bin/chromium (Debian's package; `make install`, hence .ci/run, installs it) and never
downloads a browser of Playwright's own.  Every wait is bounded: missing selectors fail, not hang.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TOKEN = "gk-browser-test-token"
NOTEBOOK = Path(os.environ.get("GK_BROWSER_NOTEBOOK") or Path(__file__).resolve().parent.parent / "examples" / "report.ipynb")

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium (make install / .ci/run does it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[browser]'")
pytest.importorskip("jupyterlab", reason="jupyterlab is not installed: pip install -e '.[browser]'")

# User settings of the throwaway JupyterLab: no news/update pop-up over the page, and every cell
# kept in the DOM (no virtual scrolling) so that all outputs can be queried and photographed.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gkreport_cells(notebook: dict) -> int:
    return sum(
        1 for cell in notebook["cells"]
        if cell["cell_type"] == "code" and "".join(cell["source"]).lstrip().startswith("%%gkreport")
    )


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab serving a copy of the notebook, outputs stripped: all that shows comes from this run."""
    assert NOTEBOOK.is_file(), f"no notebook at {NOTEBOOK}"
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    root = tmp_path / "root"
    root.mkdir()
    (root / "report.ipynb").write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")

    config = tmp_path / "jupyter-config"  # settings, workspaces and runtime files stay out of ~
    for name, value in LAB_SETTINGS.items():
        folder = config / "lab" / "user-settings" / name.rsplit("/", 1)[0]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name.rsplit("/", 1)[1]).write_text(json.dumps(value))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))

    port = free_port()
    command = [
        str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root", "--expose-app-in-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
    ]
    log_path = tmp_path / "jupyter.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start (exit {server.poll()}):\n{log_path.read_text()[-3000:]}")
                time.sleep(0.3)
        yield {"notebook": notebook, "url": f"http://127.0.0.1:{port}/lab/tree/report.ipynb?token={TOKEN}", "log": log_path}
    finally:
        server.terminate()  # jupyter_server shuts its kernels down on SIGTERM
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)


KERNEL_IDLE = """() => {
    const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
    return !!kernel && kernel.status === "idle" && kernel.connectionStatus === "connected";
}"""

RUN_STARTED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const first = panel.content.widgets.find(cell => cell.model.type === "code");
    return first.model.executionCount !== null
        || [...panel.node.querySelectorAll(".jp-InputPrompt")].some(p => p.textContent.includes("*"));
}"""

# Over when the kernel is idle, no cell waits ([*]) and the first code cell got its number; a failing
# cell stops Run All, which ends the wait too (the test then shows its traceback).
RUN_FINISHED = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const first = panel.content.widgets.find(cell => cell.model.type === "code");
    const pending = [...panel.node.querySelectorAll(".jp-InputPrompt")].some(p => p.textContent.includes("*"));
    return panel.sessionContext.session.kernel.status === "idle" && !pending && first.model.executionCount !== null;
}"""

# What the outputs show, read in one go so that a failure reports all of it.
SUMMARY = """() => {
    const notebook = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook");
    const tables = [...notebook.querySelectorAll(".jp-OutputArea-output table.gk-table")];
    const wrong = tables.filter(t => t.querySelector(".gk-error"));
    return {
        tables: tables.length,
        tablesWithColspan7: tables.filter(t => t.querySelector("[colspan='7']")).length,
        tablesWithCorner: tables.filter(t => t.querySelector("[rowspan='3'][colspan='3']")).length,
        rowspan3Cells: tables.reduce((n, t) => n + t.querySelectorAll("[rowspan='3']").length, 0),
        deducedCells: tables.reduce((n, t) => n + t.querySelectorAll(".gk-deduced").length, 0),
        tablesWithError: wrong.length,
        errorTitles: wrong.flatMap(t => [...t.querySelectorAll(".gk-error")].map(c => c.getAttribute("title"))),
        findingsUnderWrongTable: wrong.map(t => t.parentElement.querySelectorAll("ul.gk-findings > li").length),
        errors: [...notebook.querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]
            .map(o => o.innerText.slice(0, 3000)),
    };
}"""


def run_all_cells(page) -> None:
    """Run → Run All Cells from the menu bar; once more if the first click went nowhere."""
    for attempt in range(2):
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").click(position={"x": 4, "y": 4})
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(RUN_STARTED, timeout=15_000)
            return
        except sync_api.TimeoutError:
            if attempt:
                raise


def test_notebook_tables_render_in_jupyterlab(jupyterlab, output_dir):
    expected = gkreport_cells(jupyterlab["notebook"])
    assert expected >= 1, f"{NOTEBOOK} has no %%gkreport cell"
    screenshot = output_dir / "notebook.png"
    screenshot.unlink(missing_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)  # no step waits longer unless it says so
            try:
                page.goto(jupyterlab["url"], timeout=60_000)
                page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=60_000)
                page.wait_for_function(KERNEL_IDLE, timeout=90_000)  # Run All before the kernel is connected is lost
                page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); }")  # returns at once: never await a command
                run_all_cells(page)
                page.wait_for_function(RUN_FINISHED, timeout=90_000)
                summary = page.evaluate(SUMMARY)
            finally:  # the picture is kept whatever happened, of the whole notebook, not its first screen
                # scroll the notebook to its top, then make the window tall enough to show down to its last cell
                overflow = page.evaluate("""() => {
                    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
                    if (!panel) return 0;
                    for (const node of [panel, ...panel.querySelectorAll('*')]) if (node.scrollTop) node.scrollTop = 0;
                    const cells = panel.querySelectorAll('.jp-Cell');
                    const bottom = cells.length ? cells[cells.length - 1].getBoundingClientRect().bottom : 0;
                    const footer = panel.querySelector('.jp-WindowedPanel-outer') || panel;
                    return Math.ceil(bottom - footer.getBoundingClientRect().bottom); }""")
                if overflow > 0:
                    page.set_viewport_size({"width": 1400, "height": min(1000 + overflow + 40, 12_000)})
                    page.wait_for_timeout(500)
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()

    shown = f"\nwhat the page shows: {json.dumps(summary, ensure_ascii=False, indent=1)}\nscreenshot: {screenshot}"
    assert not summary["errors"], "a cell failed:\n" + "\n".join(summary["errors"]) + shown
    assert summary["tables"] == expected, f"{expected} %%gkreport cells but {summary['tables']} table.gk-table" + shown
    assert summary["tablesWithColspan7"] >= 1, "no table has a cell with colspan=7 (申请人情况)" + shown
    assert summary["tablesWithCorner"] >= 1, "no table has the rowspan=3 colspan=3 corner" + shown
    assert summary["rowspan3Cells"] >= 1, "no cell with rowspan=3" + shown
    assert summary["deducedCells"] >= 1, "no .gk-deduced cell" + shown
    assert summary["tablesWithError"] == 1, "not exactly one table with a .gk-error cell" + shown
    assert all(t and t.strip() for t in summary["errorTitles"]), "a .gk-error cell has no title (tooltip)" + shown
    assert all(n >= 1 for n in summary["findingsUnderWrongTable"]), "no ul.gk-findings under the wrong table" + shown
