"""README links and file references resolve inside the repository; nothing points outside it.

Decision: a reference is a Markdown link target, or a backticked path that starts with a
top-level entry of the repository (``keyvex/...``, ``tests/...``, ``bench/...``,
``.ci/...``), or a bare ``NAME.md``. Each must name a file or folder that exists under the
repository root (a ``*`` matches like a shell glob). Web addresses, URL paths of the app
(``/dashboard``) and placeholders (``{id}``) are not files and are left alone. ``../`` and
absolute file-system paths are refused wherever they appear, because a clone of the
repository has nothing there.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE = re.compile(r"`([^`\n]+)`")
MARKDOWN_FILE = re.compile(r"(?<![\w/.-])([A-Za-z0-9_-]+\.md)\b")
#: Absolute paths into a machine's file system (a URL path such as /dashboard is not one).
#: A parent-directory step ("../"), not an ellipsis ("POST .../{id}/test").
PARENT = re.compile(r"(?<!\.)\.\./")
FILESYSTEM = re.compile(r"(?<![\w.:/~-])(?:/(?:work|home|Users|tmp|root|mnt|srv|opt|var|etc)/|~/)")


def top_level() -> set[str]:
    return {p.name for p in ROOT.iterdir() if p.name not in {".git"}}


def exists_inside(reference: str) -> bool:
    target = reference.split("#")[0].rstrip("/")
    if not target:
        return True
    resolved = (ROOT / target).resolve()
    if ROOT not in (resolved, *resolved.parents):
        return False
    if any(c in target for c in "*?["):
        return any(ROOT.glob(target))
    return resolved.exists()


def references(text: str) -> list[str]:
    found = [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z][a-z0-9+.-]*:|#", target)  # http:, mailto:, #anchor
    ]
    roots = top_level()
    for code in CODE.findall(text):
        head = code.split("/")[0]
        if "/" in code and head in roots and " " not in code and "{" not in code:
            found.append(code)
    found += MARKDOWN_FILE.findall(text)
    return found


def test_every_link_and_file_reference_in_the_readme_exists_in_the_repository() -> None:
    text = README.read_text(encoding="utf-8")
    refs = references(text)
    assert refs, "the README names no files: the test is not reading it"
    missing = sorted({r for r in refs if not exists_inside(r)})
    assert missing == [], f"README references outside the repository or missing: {missing}"


def test_the_readme_never_points_outside_the_repository() -> None:
    text = README.read_text(encoding="utf-8")
    outside = [
        line.strip() for line in text.splitlines() if PARENT.search(line) or FILESYSTEM.search(line)
    ]
    assert outside == [], f"README lines pointing outside the repository: {outside}"


def test_the_checks_catch_what_they_are_for() -> None:
    """The rules themselves, on made-up text, so a regex that silently matches nothing fails."""
    text = (
        "See [design](../DESIGN.md), `keyvex/formula/__init__.py`, `keyvex/nowhere.py`, "
        "DESIGN.md, <https://example.com/x.md>, `/dashboard/data` and `tests/*/conftest.py`."
    )
    refs = references(text)
    assert "../DESIGN.md" in refs and "DESIGN.md" in refs
    assert not exists_inside("../DESIGN.md") and not exists_inside("DESIGN.md")
    assert not exists_inside("keyvex/nowhere.py")
    assert exists_inside("keyvex/formula/__init__.py") and exists_inside("tests/*/conftest.py")
    assert "/dashboard/data" not in refs
    assert FILESYSTEM.search("read /work/shared/STYLE.md") and FILESYSTEM.search("~/notes")
    assert PARENT.search("see ../DESIGN.md") and not PARENT.search("POST .../{id}/test")
    assert not FILESYSTEM.search("open /dashboard/data or https://x.io/work/a")


def test_the_readme_says_how_to_get_chromium_for_the_browser_tests() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "`apt-get install -y chromium`" in text
    for said in re.finditer(r"playwright install", text):
        before = text[max(0, said.start() - 20) : said.start()]
        assert "never" in before, "the README must not tell anyone to run playwright install"
    conftest = (ROOT / "tests" / "browser" / "conftest.py").read_text(encoding="utf-8")
    assert "KEYVEX_CHROMIUM" in conftest and "`KEYVEX_CHROMIUM`" in text


def test_the_readme_says_local_webhook_receivers_need_loopback_allowed() -> None:
    from keyvex.settings import Settings

    assert "outbound_allow_loopback" in Settings.model_fields
    text = " ".join(README.read_text(encoding="utf-8").split())
    webhooks = text[text.index("Webhooks (`/api/v1/webhooks`)") :]
    said = re.search(
        r"webhook receiver on your own machine.{0,300}?`KEYVEX_OUTBOUND_ALLOW_LOOPBACK", webhooks
    )
    assert said, "the webhooks section must say a local receiver needs the loopback setting"
