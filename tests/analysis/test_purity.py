import pkgutil
import subprocess
import sys
from pathlib import Path

import trygg.analysis

ROOT = Path(__file__).resolve().parents[2]


def analysis_modules():
    return [
        info.name
        for info in pkgutil.walk_packages(trygg.analysis.__path__, prefix="trygg.analysis.")
    ]


def test_it_finds_the_analysis_modules():
    assert {"trygg.analysis.gistar", "trygg.analysis.kde"} <= set(analysis_modules())


def test_it_imports_every_analysis_module_without_django():
    # A fresh interpreter: this test process has Django loaded by pytest-django already.
    modules = ["trygg.analysis", *analysis_modules()]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == ""
