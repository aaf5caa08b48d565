"""A real browser: JupyterLab on localhost, Debian's Chromium driven by Playwright, the example
notebook run as a person would (Run → Run All Cells); the rendered tables must show their merged
cells, the deduced totals and the highlighted wrong cell with its tooltip.  The extension
gkreport-jupyterlab must be installed and active: `%%gkreport` bodies tokenized as YAML, not Python,
and Tab after 予以 offering 予以公开.  Findings and computed cells must keep WCAG AA contrast in the
light and the dark theme.  Screenshots of the whole notebook in both themes are kept in
tests/output/<test>/ (GK_UPDATE_DOCS=1 writes them to docs/ instead, where the README shows them).

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
EXTENSION = "gkreport-jupyterlab"
DOCS = Path(__file__).resolve().parent.parent / "docs"
AA = 4.5  # WCAG AA contrast for normal text
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


# The tokens CodeMirror gave each cell: its language and the tok-* classes of its spans (the
# extension adds @lezer/highlight's classHighlighter, whose class names are stable).
TOKENS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].map(cell => {
    const content = cell.querySelector('.cm-content');
    const spans = [...content.querySelectorAll('span')];
    return {
        first: content.querySelector('.cm-line') ? content.querySelector('.cm-line').textContent : '',
        language: content.getAttribute('data-language'),
        classes: [...new Set(spans.flatMap(s => [...s.classList].filter(c => c.startsWith('tok-'))))].sort(),
        keys: spans.filter(s => s.classList.contains('tok-atom')).map(s => s.textContent),
    };
})"""

# WCAG contrast of every finding line and every deduced or wrong cell against the background it is
# drawn on (backgrounds composited up the tree; any CSS colour read back as pixels through a canvas).
CONTRAST = """() => {
    const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const rgba = css => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = '#000'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
        const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255]; };
    const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
    const background = el => {
        const chain = [];
        for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
            const c = rgba(getComputedStyle(node).backgroundColor);
            if (c[3] > 0) chain.push(c);
            if (c[3] >= 1) break;
        }
        return chain.reverse().reduce((acc, c) => over(c, acc), [255, 255, 255, 1]);
    };
    const lum = c => { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    const nodes = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')]
        .flatMap(o => [...o.querySelectorAll('ul.gk-findings > li, td.gk-deduced, td.gk-error')]);
    return nodes.map(el => {
        const bg = background(el), fg = over(rgba(getComputedStyle(el).color), bg);
        const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        return {kind: el.className, text: el.textContent.slice(0, 40), ratio: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100,
                color: getComputedStyle(el).color, background: bg.map(Math.round).join(',')};
    });
}"""

# Where each "|" of the active cell's table lines is drawn, and how wide a space is.
PIPE_POSITIONS = """() => {
    const cell = window.jupyterapp.shell.currentWidget.content.activeCell;
    const lines = [...cell.node.querySelectorAll('.cm-line')].filter(l => l.textContent.trimStart().startsWith('|'));
    const x = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
    const positions = lines.map(line => {
        const xs = [], walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode())
            for (let i = 0; i < node.data.length; i++) if (node.data[i] === '|') xs.push(x(node, i));
        return xs;
    });
    const probe = document.createElement('span'); probe.textContent = '          ';
    lines[0].appendChild(probe); const space = probe.getBoundingClientRect().width / 10; probe.remove();
    return {lines: positions, space};
}"""

ADD_CELL = """async (source) => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    const index = notebook.model.cells.length;
    notebook.model.sharedModel.insertCell(index, {cell_type: 'code', source});
    const cell = notebook.widgets[index];
    await cell.ready;
    notebook.activeCellIndex = index;
    notebook.mode = 'edit';
    cell.editor.focus();
    cell.editor.setCursorPosition(cell.editor.getPositionAt(source.length));
    return index;
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


def whole_notebook_screenshot(page, path: Path) -> None:
    """The notebook from its top down to its last cell, not only its first screen."""
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.wait_for_timeout(500)  # the layout follows the window a frame later
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
    page.screenshot(path=str(path), full_page=True)


def pipe_cells(source: str) -> list[list[str]]:
    """The cells of every line, a delimiter row's as "---": what aligning may not change."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in source.splitlines()]
    return [["---" if set(cell) <= set(":-") and cell else cell for cell in row] for row in rows]


def screenshot_folder(output_dir: Path) -> Path:
    return DOCS if os.environ.get("GK_UPDATE_DOCS") else output_dir


def test_extension_is_installed_and_enabled():
    listed = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "labextension", "list"], check=True, capture_output=True, text=True)
    line = next((line for line in (listed.stdout + listed.stderr).splitlines() if EXTENSION in line), "")
    assert "enabled" in line and "OK" in line, f"{EXTENSION} is not listed as enabled and OK:\n{listed.stdout}{listed.stderr}"


def test_docs_show_the_notebook_in_both_themes():
    for name in ("notebook.png", "notebook-dark.png"):
        assert (DOCS / name).is_file() and (DOCS / name).stat().st_size > 50_000, f"docs/{name} (GK_UPDATE_DOCS=1 pytest tests/test_browser.py)"


def test_notebook_in_jupyterlab(jupyterlab, output_dir):
    expected = gkreport_cells(jupyterlab["notebook"])
    assert expected >= 1, f"{NOTEBOOK} has no %%gkreport cell"
    folder = screenshot_folder(output_dir)
    shots = {"light": folder / "notebook.png", "dark": folder / "notebook-dark.png"}
    for shot in shots.values():
        shot.unlink(missing_ok=True)
    summary = tokens = completion = python_tokens = None
    contrast = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)  # no step waits longer unless it says so
            page.goto(jupyterlab["url"], timeout=60_000)
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell .cm-content", timeout=60_000)
            page.wait_for_function(KERNEL_IDLE, timeout=90_000)  # Run All before the kernel is connected is lost
            active = page.evaluate("() => ['gkreport-jupyterlab:editor', 'gkreport-jupyterlab:commands'].map(id => window.jupyterapp.isPluginActivated(id))")
            tokens = page.evaluate(TOKENS)
            page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); }")  # returns at once: never await a command
            try:
                run_all_cells(page)
                page.wait_for_function(RUN_FINISHED, timeout=90_000)
                summary = page.evaluate(SUMMARY)
                contrast["light"] = page.evaluate(CONTRAST)
            finally:  # the picture is kept whatever happened
                whole_notebook_screenshot(page, shots["light"])
            page.evaluate("() => { window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'}); }")
            page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
            page.wait_for_timeout(1000)
            contrast["dark"] = page.evaluate(CONTRAST)
            whole_notebook_screenshot(page, shots["dark"])

            page.set_viewport_size({"width": 1400, "height": 1000})
            index = page.evaluate(ADD_CELL, "for x in range(3):\n    pass")
            python_tokens = page.evaluate(TOKENS)[-1]
            index = page.evaluate(ADD_CELL, "%%gkreport requests\n予以")
            page.keyboard.press("Tab")
            page.wait_for_function("""(index) => {
                const cell = window.jupyterapp.shell.currentWidget.content.widgets[index];
                return cell.model.sharedModel.getSource().includes('予以公开')
                    || [...document.querySelectorAll('.jp-Completer-match')].some(i => i.textContent.includes('予以公开')); }""", arg=index, timeout=30_000)
            completion = page.evaluate("""(index) => ({
                source: window.jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel.getSource(),
                items: [...document.querySelectorAll('.jp-Completer-match')].map(i => i.textContent.trim()) })""", index)
            page.screenshot(path=str(output_dir / "completion.png"))
            page.keyboard.press("Escape")

            # the commands: a new table's skeleton from the kernel, and a pipe table aligned
            new_table = page.evaluate("""async () => {
                const notebook = window.jupyterapp.shell.currentWidget.content;
                await window.jupyterapp.commands.execute('gkreport:new-table', {table: 'appeals'});
                return notebook.activeCell.model.sharedModel.getSource(); }""")
            pipe = next("".join(c["source"]) for c in jupyterlab["notebook"]["cells"] if "".join(c["source"]).startswith("%%gkreport requests"))
            page.evaluate(ADD_CELL, pipe)
            aligned = page.evaluate("""async () => {
                await window.jupyterapp.commands.execute('gkreport:align-table');
                return window.jupyterapp.shell.currentWidget.content.activeCell.model.sharedModel.getSource(); }""")
            page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCell.node.scrollIntoView()")
            page.wait_for_timeout(300)
            pipes = page.evaluate(PIPE_POSITIONS)
            page.screenshot(path=str(output_dir / "aligned.png"))
        finally:
            browser.close()

    shown = f"\nwhat the page shows: {json.dumps(summary, ensure_ascii=False, indent=1)}\nscreenshots: {shots}"
    assert active == [True, True], f"the extension's plugins are not active in the page: {active}"
    assert not summary["errors"], "a cell failed:\n" + "\n".join(summary["errors"]) + shown
    assert summary["tables"] == expected, f"{expected} %%gkreport cells but {summary['tables']} table.gk-table" + shown
    assert summary["tablesWithColspan7"] >= 1, "no table has a cell with colspan=7 (申请人情况)" + shown
    assert summary["tablesWithCorner"] >= 1, "no table has the rowspan=3 colspan=3 corner" + shown
    assert summary["rowspan3Cells"] >= 1, "no cell with rowspan=3" + shown
    assert summary["deducedCells"] >= 1, "no .gk-deduced cell" + shown
    assert summary["tablesWithError"] == 1, "not exactly one table with a .gk-error cell" + shown
    assert all(t and t.strip() for t in summary["errorTitles"]), "a .gk-error cell has no title (tooltip)" + shown
    assert all(n >= 1 for n in summary["findingsUnderWrongTable"]), "no ul.gk-findings under the wrong table" + shown

    # the editor: a %%gkreport body is YAML (or Markdown), never Python
    gkcells = [t for t in tokens if t["first"].startswith("%%gkreport")]
    assert len(gkcells) == expected, tokens
    sparse = [t for t in gkcells if t["language"] == "yaml"]
    assert sparse, f"no %%gkreport cell tokenized as YAML: {tokens}"
    assert all(t["language"] in ("yaml", "markdown", "csv") for t in gkcells), gkcells
    for cell in gkcells:
        assert not {"tok-variableName", "tok-keyword", "tok-propertyName"} & set(cell["classes"]), f"tokenized as Python: {cell}"
    assert any("复议" in key or "行政许可" in key for t in sparse for key in t["keys"]), f"YAML keys not tokenized as keys: {sparse}"
    assert python_tokens["language"] == "python" and "tok-keyword" in python_tokens["classes"], python_tokens  # other cells keep Python

    assert "予以公开" in completion["source"] or "予以公开" in completion["items"], completion

    from gkreport.services.notebook import new_cell_source

    assert new_table == new_cell_source("appeals"), new_table
    # as shown: the n-th "|" of every line within half a space of each other (a Chinese character is
    # 1.66 spaces wide in JupyterLab's font: blank space can only come close)
    assert len({len(xs) for xs in pipes["lines"]}) == 1, pipes
    columns = list(zip(*pipes["lines"]))
    spreads = [round(max(column) - min(column), 1) for column in columns]
    worst = columns[spreads.index(max(spreads))]
    lines = [line for line in aligned.splitlines() if line.startswith("|")]
    assert max(spreads) < pipes["space"] / 2, (
        f"pipe table not aligned on screen: spread by column {spreads} px (a space is {pipes['space']:.1f} px); "
        f"furthest: {lines[worst.index(max(worst))]!r} and {lines[worst.index(min(worst))]!r}"
    )
    assert pipe_cells(aligned) == pipe_cells(pipe), "aligning changed a cell"

    for theme, measured in contrast.items():
        assert len(measured) >= summary["deducedCells"] + 1, (theme, measured)
        low = [m for m in measured if m["ratio"] < AA]
        assert not low, f"{theme} theme: below WCAG AA ({AA}): {json.dumps(low, ensure_ascii=False, indent=1)}"
    for shot in shots.values():
        assert shot.is_file() and shot.stat().st_size > 50_000, shot
