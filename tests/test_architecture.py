"""The layers as the README and docs/architecture.md draw them: the core imports no adapter, no
module imports another that imports it back, and the checker's core knows nothing of pandoc."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# the installed package name of each source folder (pyproject.toml's package-dir)
ROOTS = {"gkreport": "gkreport", "filters": "gkreport.filters", "kernels_ext": "gkreport.kernels_ext"}
ADAPTERS = ("gkreport.cli", "gkreport.typst_command", "gkreport.filters", "gkreport.kernels_ext")
# the one exception: IPython's %load_ext gkreport looks for gkreport.load_ipython_extension
IPYTHON_HOOK = ("gkreport", "gkreport.kernels_ext.magics")
# what checks and recognizes; readers, renderers and services are the adapters of pandoc to it
CHECKER_CORE = ("gkreport.spec", "gkreport.model", "gkreport.grid", "gkreport.values", "gkreport.labels", "gkreport.headings",
                "gkreport.findings", "gkreport.recognition", "gkreport.checks")


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in ROOTS.items():
        for path in (REPO / folder).rglob("*.py"):
            parts = [package, *path.relative_to(REPO / folder).with_suffix("").parts]
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict) -> set[str]:
    """Every module ``name`` imports, at the top or inside a function: they are dependencies alike."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known or m.split(".")[0] in ("panflute", "pandocfilters", "IPython")} - {name}


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def is_in(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_no_module_of_the_core_imports_an_adapter(graph):
    wrong = sorted(
        (name, target)
        for name, targets in graph.items()
        for target in targets
        if not is_in(name, ADAPTERS) and is_in(target, ADAPTERS) and (name, target) != IPYTHON_HOOK
    )
    assert not wrong, f"core modules importing the command line, the filter or the magics: {wrong}"


def test_nothing_imports_the_command_line(graph):
    assert not [name for name, targets in graph.items() if "gkreport.cli" in targets]


def test_there_is_no_import_cycle(graph):
    cycles, state = [], {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            if target not in graph:
                continue
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)


def test_the_checker_core_does_not_know_pandoc(graph):
    wrong = sorted((n, t) for n, targets in graph.items() if is_in(n, CHECKER_CORE) for t in targets if t.startswith("panflute"))
    assert not wrong, f"the checker's core imports panflute: {wrong}"


def test_the_walk_sees_what_it_forbids(graph):
    """The graph is read right: a module known to import panflute and one known to import the core are seen doing so."""
    assert "panflute" in graph["gkreport.readers.pandoc"]
    assert "gkreport.services.check" in graph["gkreport.cli"]
    assert "gkreport.kernels_ext.magics" in graph["gkreport"]


def test_tests_and_benches_do_not_edit_the_import_path():
    edits = [str(p.relative_to(REPO)) for folder in ("tests", "bench") for p in (REPO / folder).rglob("*.py")
             if "sys.path" in p.read_text(encoding="utf-8") and p.name != Path(__file__).name]
    assert not edits, edits
