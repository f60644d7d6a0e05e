"""The repository stands alone: nothing it ships reads or names a folder beside it.

A user clones Trygg with nothing next to the clone, so a path that climbs out
of the repository (to a workspace folder, say) works only on the machine that
wrote it. This test reads every file the repository would ship and fails on
such a path.
"""

import re
import subprocess
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {".git", ".venv", "var", "__pycache__", "node_modules", "bench/out"}
TEXT_SUFFIXES = {".py", ".md", ".toml", ".cfg", ".txt", ".html", ".js", ".css", ".sh", ".conf"}
TEXT_NAMES = {"Makefile", "run", ".gitignore"}

# The folder the project's workspace keeps beside a checkout, and the workspace root of
# the development machines: a tracked file naming either works only where it was written.
WORKSPACE_FOLDER = "sha" + "red"
WORKSPACE_ROOT = "wo" + "rk"
SEP = r"[/\\]"
OUTSIDE = re.compile(
    "|".join(
        [
            re.escape("..") + SEP + WORKSPACE_FOLDER,  # the folder beside the checkout
            WORKSPACE_FOLDER + SEP + "(data|research)",  # its data and research folders
            re.escape("/" + WORKSPACE_ROOT + "/"),
            r"parents\[\d\]\s*/\s*\"\.\.\"",  # Path(...).parents[N] / ".."
            r"\"\.\.\"\s*/\s*\"" + WORKSPACE_FOLDER + r"\"",
        ]
    )
)


def shipped_files() -> list[Path]:
    """Tracked files when this is a git checkout, else every file under the root."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout
        return [ROOT / name for name in out.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        return [
            p
            for p in ROOT.rglob("*")
            if p.is_file() and not any(part in SKIPPED_DIRS for part in p.relative_to(ROOT).parts)
        ]


def is_text(path: Path) -> bool:
    return path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES


class SelfContainedTests(SimpleTestCase):
    def test_no_shipped_file_names_a_path_outside_the_repository(self):
        offenders = []
        for path in shipped_files():
            if not path.is_file() or not is_text(path) or "static/vendor" in path.as_posix():
                continue
            if path.resolve() == Path(__file__).resolve():
                continue  # the patterns themselves, and the examples that prove they match
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                if OUTSIDE.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
        self.assertEqual(offenders, [])

    def test_the_checker_would_catch_a_path_beside_the_checkout(self):
        for line in [
            f'DATA = Path(__file__).parents[2] / ".." / "{WORKSPACE_FOLDER}" / "data"',
            f"see ../{WORKSPACE_FOLDER}/STYLE.md",
            f"read /{WORKSPACE_ROOT}/{WORKSPACE_FOLDER}/data/places.csv",
        ]:
            self.assertRegex(line, OUTSIDE)

    def test_the_demo_places_and_test_oracles_are_in_the_repository(self):
        for relative in [
            "trygg/demo/data/ostersund_demo_places.csv",
            "tests/data/burkitt/burkitt.dbf",
            "tests/data/nrc_validation/steenbeek_chicago_arson.csv",
            "tests/data/police_uk_2018-07-west-yorkshire-street.csv.gz",
            "tests/data/README.md",
            "tests/data/polisen_events_sample.json",
            "trygg/demo/data/polisen_events_ostersund.csv",
            "trygg/policeevents/data/swedish_admin_areas_scb.csv",
        ]:
            self.assertTrue((ROOT / relative).is_file(), relative)
