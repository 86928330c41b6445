"""Sessions for building the book and running its tests.

    python3 noxfile.py -s docs     # or `nox -s docs` where nox is installed
    python3 noxfile.py -s tests

Run as a script, this file first makes itself a virtual environment with the
pinned nox (in ``.nox/_bootstrap``) when nox is not importable, so a fresh
machine with Python 3.11 needs nothing else. Every session installs from
``constraints.txt``: the book's outputs are verified against exactly that stack.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))
LANGUAGES = ("en", "zh_CN", "ru")


def _bootstrap() -> None:
    """Re-run this file under a virtual environment that has the pinned nox."""
    try:
        import nox  # noqa: F401
    except ImportError:
        env = ROOT / ".nox" / "_bootstrap"
        python = env / "bin" / "python"
        if not python.exists():
            venv.create(env, with_pip=True)
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", *CONSTRAINTS, "nox"],
            check=True,
        )
        os.execv(python, [str(python), __file__, *sys.argv[1:]])


if __name__ == "__main__":
    _bootstrap()

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests", "docs"]

#: One thread per process: the test workers already fill the cores, and the
#: pages state floats only to a precision that holds for 1 to 8 threads.
THREADS = {"OMP_NUM_THREADS": "1"}

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")


def _install(session: nox.Session, group: str) -> None:
    """Install torchprimer and one dependency group, pinned by constraints.txt."""
    session.install(
        *CONSTRAINTS, "-e", ".", *nox.project.dependency_groups(PYPROJECT, group)
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Run every test and every example of the book (pytest + Sybil, in parallel)."""
    _install(session, "test")
    session.run("pytest", *session.posargs, env=THREADS)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the book in every language into docs/_build/html, strictly."""
    _install(session, "docs")
    output = ROOT / "docs" / "_build" / "html"
    for language in LANGUAGES:
        session.run(
            "sphinx-build",
            "-b", "html",
            "-c", str(ROOT),
            "-D", f"language={language}",
            "-n", "-W", "--keep-going", "-T",
            str(ROOT / "docs" / language),
            str(output / language),
            *session.posargs,
            env=THREADS,
        )  # fmt: skip
    landing = (ROOT / "docs" / "_landing" / "index.html").read_text(encoding="utf-8")
    (output / "index.html").write_text(landing, encoding="utf-8")
    session.run("python", str(ROOT / "docs" / "check_site.py"), str(output))
    session.log(f"The book is in {output / 'index.html'}")


@nox.session
def lint(session: nox.Session) -> None:
    """Check the code style with ruff."""
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


if __name__ == "__main__":
    nox.main()
