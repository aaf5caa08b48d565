"""Shared fixtures: the repository, the real reports beside it, the bundled pandoc, kept outputs."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent
SHARED_REPORTS = REPO.parent / "shared" / "domain" / "reports"
OUTPUT = Path(__file__).resolve().parent / "output"

settings.register_profile("ci", deadline=None, max_examples=60)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def shared_reports() -> Path:
    if not SHARED_REPORTS.is_dir():
        pytest.skip("../shared/domain/reports is absent")
    return SHARED_REPORTS


@pytest.fixture
def pandoc_bin() -> str:
    from gkreport.readers.files import pandoc_path

    return pandoc_path()


@pytest.fixture
def output_dir(request) -> Path:
    """A folder kept after the run (tests/output/<test>/) for artifacts a person may look at."""
    folder = OUTPUT / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
