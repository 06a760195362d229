"""Every legal reference is listed once in docs/LAW.md, and nothing cites a section that is not
there: the code, the templates, the translations and the README are read as a reviewer would."""

import re
from collections import Counter
from pathlib import Path

from django.conf import settings

from core import law

ROOT = Path(settings.BASE_DIR)
LAW_MD = ROOT / "docs" / "LAW.md"
SKIP_DIRS = {".git", ".venv", "node_modules", "migrations", "media", "staticfiles", "vendor"}
SKIP_DIRS |= {"docs"}
LAWS = {
    "barnets lov": law.BARNETS_LOV,
    "retssikkerhedsloven": law.RETSSIKKERHEDSLOVEN,
    "forvaltningsloven": law.FORVALTNINGSLOVEN,
    "offentlighedsloven": law.OFFENTLIGHEDSLOVEN,
}
NAMES = re.compile("|".join(LAWS), re.IGNORECASE)
SECTION = re.compile(r"§§?\s*(\d+(?:\s[a-z]\b)?)(?:\s*[-–]\s*(\d+(?:\s[a-z]\b)?))?")


def _numbers(first: str, last: str | None) -> set[str]:
    if last is None:
        return {first}
    if first.isdigit() and last.isdigit():
        return {str(n) for n in range(int(first), int(last) + 1)}
    return {first, last}


def citations(text: str):
    """(law, section number) for every § in the text; a § without a law named before it on the
    same line is Barnets lov."""
    for line in text.splitlines():
        for match in SECTION.finditer(line):
            named = NAMES.findall(line[: match.start()])
            name = LAWS[named[-1].lower()] if named else law.BARNETS_LOV
            for number in _numbers(match.group(1), match.group(2)):
                yield name, number, line.strip()


def _table_keys() -> list[str]:
    """The first column of the references table (the settings table's keys have no §)."""
    cells = re.findall(r"^\| `([^`]+)` \|", LAW_MD.read_text(encoding="utf-8"), re.MULTILINE)
    return [cell for cell in cells if "§" in cell]


def _listed() -> set[tuple[str, str]]:
    return {(name, number) for key in _table_keys() for name, number, _line in citations(key)}


def _cited_files():
    for path in sorted(ROOT.rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_DIRS or not path.is_file():
            continue
        name = path.name
        if name.startswith("test_") or name in ("tests.py", "conftest.py"):
            continue
        if path.suffix in (".py", ".html", ".txt", ".po") or name == "README.md":
            yield path


def _text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    # A translation's continuation lines belong to one sentence.
    return re.sub(r'"\n"', "", text) if path.suffix == ".po" else text


def test_every_named_reference_is_in_the_table_once_and_the_table_has_nothing_else():
    keys = _table_keys()
    assert [key for key, n in Counter(keys).items() if n > 1] == []
    assert sorted(keys) == sorted(str(reference) for reference in law.ALL)


def test_every_section_cited_in_code_templates_translations_and_readme_is_in_the_table():
    listed = _listed()
    unlisted = [
        f"{path.relative_to(ROOT)}: {name} § {number} in {line!r}"
        for path in _cited_files()
        for name, number, line in citations(_text(path))
        if (name, number) not in listed
    ]
    assert unlisted == []


def test_the_known_wrong_references_are_gone():
    for path in _cited_files():
        text = _text(path)
        assert not re.search(r"§\s*168\b|§\s*48\b", text), path
        for line in text.splitlines():
            assert not ("§ 3" in line and "myndighedsperson" in line), (path, line)


def test_the_reader_of_citations_finds_what_a_lawyer_would():
    found = {(n, s) for n, s, _line in citations("forvaltningsloven §§ 15-15 b; Barnets lov § 3")}
    assert found == {
        ("forvaltningsloven", "15"),
        ("forvaltningsloven", "15 b"),
        ("Barnets lov", "3"),
    }
    assert {s for _n, s, _line in citations("(§§ 95–96)")} == {"95", "96"}
    assert ("Barnets lov", "168") not in _listed()
