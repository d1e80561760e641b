"""Every text of the web pages exists in Swedish and English, and every key a template uses."""

from __future__ import annotations

import re
from pathlib import Path

from kundfokus.web.messages import MESSAGES

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "kundfokus" / "web" / "templates"
KEY = re.compile(r"""\bt\(\s*["'](\w+)["']\s*[,)]""")  # a literal key, not a prefix


def test_every_text_has_both_languages_and_no_empty_one():
    for key, text in MESSAGES.items():
        assert set(text) == {"en", "sv"}, key
        assert all(isinstance(v, str) and v.strip() for v in text.values()), key


def test_every_key_a_template_uses_has_a_text():
    used = {m for p in TEMPLATES.rglob("*.html") for m in KEY.findall(p.read_text("utf-8"))}
    assert len(used) > 20
    missing = sorted(used - set(MESSAGES))
    assert not missing, f"keys used in templates without a text: {missing}"
