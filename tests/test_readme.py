"""The README's architecture stays true: every path it names exists in the tree."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = "onewindow|cases|services|archive|reconciliation|templates|static|fixtures|bench|tests|docs|scripts"


def test_every_path_the_readme_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(rf"`((?:{TOP})/[A-Za-z0-9_./-]*)`", text))
    assert len(named) > 40  # the architecture table is there
    missing = sorted(path for path in named if not (ROOT / path.rstrip("/")).exists())
    assert missing == []
