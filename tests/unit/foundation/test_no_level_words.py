"""No level of government is spelt in code, templates or messages: every word about the plan's
government comes from the plan (`plan.words`, decision 0013). The team's before-stop grep, as a
test: a quoted text (or any text of a template) in services/, shared/minhbach or
shared/minhbach_dev that says " huyện", "huyện ", "HUYỆN" or "xã, thị trấn" fails, migrations
aside."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TREES = (ROOT / "services", ROOT / "shared" / "minhbach", ROOT / "shared" / "minhbach_dev")
SUFFIXES = (".py", ".html", ".j2")
# The hook's regex: grep -rnE "[\"'][^\"'#]*( huyện|HUYỆN|huyện |xã, thị trấn)"
QUOTED = re.compile(r"[\"'][^\"'#]*( huyện|HUYỆN|huyện |xã, thị trấn)")
# A template's text need not be quoted: any of the words anywhere in it.
ANYWHERE = re.compile(r"( huyện|HUYỆN|huyện |xã, thị trấn)")
# The plan importer's reading vocabulary: the words as signed plans write them, recognised in a
# document and mapped to the schema's codes; none of it is shown to people (decision 0016).
READING_VOCABULARY = (ROOT / "shared" / "minhbach" / "plan_import" / "schema" / "vocabulary.py",)


def _files() -> list[Path]:
    return sorted(
        path
        for tree in TREES
        for path in tree.rglob("*")
        if path.suffix in SUFFIXES
        and "migrations" not in path.parts
        and path.is_file()
        and path not in READING_VOCABULARY
    )


def hits(paths: list[Path]) -> list[tuple[str, int]]:
    """(file name, line number) of every line that spells a level's words."""
    found = []
    for path in paths:
        pattern = QUOTED if path.suffix == ".py" else ANYWHERE
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append((str(path), number))
    return found


def test_no_level_words_in_services_and_the_shared_core() -> None:
    files = _files()
    assert len(files) > 100  # the trees were found
    assert any(path.suffix == ".html" for path in files)
    assert hits(files) == []


def test_the_grep_finds_what_it_looks_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('TEXT = "Cổng TTĐT của huyện và các xã, thị trấn"\nOK = "huyện"\n', "utf-8")
    page = tmp_path / "page.html"
    page.write_text("<p>lãnh đạo UBND huyện</p>\n", encoding="utf-8")
    assert hits([bad, page]) == [(str(bad), 1), (str(page), 1)]
