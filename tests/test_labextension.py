"""The JupyterLab extension as it ships: built from labextension/ (by `make`, with node and jlpm) and
carried by the wheel where JupyterLab looks for prebuilt extensions, so users need no Node."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "labextension"
BUILT = SOURCE / "dist"
SHARE = "share/jupyter/labextensions/gkreport-jupyterlab"


def test_the_build_is_from_the_current_sources():
    assert (BUILT / "package.json").is_file(), "labextension/dist is missing: make install builds it"
    built = json.loads((BUILT / "package.json").read_text())
    assert built["name"] == "gkreport-jupyterlab" and (BUILT / built["jupyterlab"]["_build"]["load"]).is_file()
    newest = max(p.stat().st_mtime for p in [*SOURCE.glob("src/*.ts"), SOURCE / "package.json", SOURCE / "yarn.lock"])
    assert (BUILT / "package.json").stat().st_mtime >= newest, "labextension/dist is older than its sources: make install rebuilds it"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """A wheel built as a release would be, from a copy of the tree (no stale build/ folder)."""
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"
    for name in ("gkreport", "filters", "kernels_ext", "templates"):
        shutil.copytree(REPO / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(BUILT, tree / "labextension" / "dist")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, tree / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(tree), "-w", str(work / "out")],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    [path] = (work / "out").glob("gkreport-*.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_carries_the_prebuilt_extension(wheel):
    names = wheel.namelist()
    data = next(n.split("/data/")[0] for n in names if ".data/data/" in n)
    shipped = {n.split(f"{data}/data/{SHARE}/", 1)[1] for n in names if n.startswith(f"{data}/data/{SHARE}/")}
    manifest = json.loads(wheel.read(f"{data}/data/{SHARE}/package.json"))
    assert {"package.json", "install.json", manifest["jupyterlab"]["_build"]["load"]} <= shipped
    assert shipped == {str(p.relative_to(BUILT)) for p in BUILT.rglob("*") if p.is_file()}
    assert json.loads(wheel.read(f"{data}/data/{SHARE}/install.json"))["packageName"] == "gkreport"
    assert not [n for n in names if n.startswith("gkreport/labextension")], "the extension must not also be package data"
