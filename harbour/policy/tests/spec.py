"""Where the shared specification lives for the tests that check our data against it.

The catalogue (REQUIREMENTS.md, policy-variables.md, policy-questions.md) and the seed policies sit
beside the repository in the project's workspace (``../shared``), or wherever HARBOUR_SPEC_ROOT
points. A clone without them skips those checks instead of failing: the product never reads them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("HARBOUR_SPEC_ROOT") or Path(__file__).resolve().parents[4] / "shared")
SPEC = SHARED / "spec"
SEEDS = SHARED / "seeds"
REQUIREMENTS = SPEC / "REQUIREMENTS.md"

requires_spec = pytest.mark.skipif(not REQUIREMENTS.exists(), reason="the shared specification is not beside the repo")
requires_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="the shared seed policies are not beside the repo")
