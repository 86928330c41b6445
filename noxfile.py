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
import shutil
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


def _build_docs(session: nox.Session, *sphinx_args: str) -> None:
    """Build every language into docs/_build/html, strictly, and check the site."""
    # The wheel readers download with the notebooks (docs/_ext/book.py).
    dist = ROOT / "docs" / "_build" / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run(
        "python",
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "-w",
        str(dist),
        str(ROOT),
    )
    build = ROOT / "docs" / "_build"
    # The EPUBs first: each language's index offers its EPUB (docs/_ext/book.py).
    _require_tex(session)
    for language in LANGUAGES:
        session.run(
            "sphinx-build",
            "-b", "epub",
            "-t", "epub",
            "-c", str(ROOT),
            "-D", f"language={language}",
            "-d", str(build / "doctrees-epub" / language),
            "-n", "-W", "--keep-going", "-T",
            str(ROOT / "docs" / language),
            str(build / "epub" / language),
            *sphinx_args,
            env=THREADS,
        )  # fmt: skip
        _epubcheck(session, build / "epub" / language / f"torchprimer-{language}.epub")
    output = build / "html"
    for language in LANGUAGES:
        session.run(
            "sphinx-build",
            "-b", "html",
            "-c", str(ROOT),
            "-D", f"language={language}",
            "-n", "-W", "--keep-going", "-T",
            str(ROOT / "docs" / language),
            str(output / language),
            *sphinx_args,
            env=THREADS,
        )  # fmt: skip
    landing = (ROOT / "docs" / "_landing" / "index.html").read_text(encoding="utf-8")
    (output / "index.html").write_text(landing, encoding="utf-8")
    session.run("python", str(ROOT / "docs" / "check_site.py"), str(output))
    session.log(f"The book is in {output / 'index.html'}")


#: What the EPUB's formulas need (Debian package names): LaTeX and dvisvgm make
#: them SVG images (sphinx.ext.imgmath); epubcheck validates the EPUB.
TEX_PACKAGES = (
    "texlive-latex-base texlive-latex-recommended preview-latex-style dvisvgm"
)


def _require_tex(session: nox.Session) -> None:
    missing = [tool for tool in ("latex", "dvisvgm") if not shutil.which(tool)]
    if missing:
        session.error(
            f"the EPUB's formulas need {' and '.join(missing)}: "
            f"apt-get install {TEX_PACKAGES}"
        )


def _epubcheck(session: nox.Session, epub: Path) -> None:
    """Validate ``epub`` with epubcheck (Debian's package), where it is installed."""
    jar = Path("/usr/share/java/epubcheck.jar")
    if jar.is_file():
        command = ["java", "-jar", str(jar)]
    elif shutil.which("epubcheck"):
        command = ["epubcheck"]
    else:
        session.warn(f"epubcheck is not installed: {epub.name} is not validated")
        return
    session.run(*command, "--failonwarnings", "--quiet", str(epub), external=True)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the book in every language into docs/_build/html, strictly."""
    _install(session, "docs")
    _build_docs(session, *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """Check the built book in Chromium (tests/browser); build it first if missing.

    Checks $TORCHPRIMER_SITE instead of docs/_build/html where it is set. Needs
    Debian's chromium (or $CHROMIUM): playwright never downloads a browser.
    """
    _install(session, "browser")
    built = (ROOT / "docs" / "_build" / "html" / "index.html").is_file()
    if not built and not os.environ.get("TORCHPRIMER_SITE"):
        _install(session, "docs")
        _build_docs(session)
    # --confcutdir: the root conftest.py is Sybil's, for the other tests.
    session.run(
        "pytest", "--confcutdir", "tests/browser", "tests/browser", *session.posargs
    )


@nox.session
def learner(session: nox.Session) -> None:
    """Run the downloaded notebooks as a reader would, in a fresh environment.

    tests/learner: the built site's "Run the code yourself", its wheel and its
    notebooks (build the book first, `-s docs`).
    """
    session.install(*CONSTRAINTS, "pytest", "pytest-xdist", "nbformat", "filelock")
    session.run(
        "pytest", "--confcutdir", "tests/learner", "tests/learner",
        "--dist", "load", *session.posargs,
    )  # fmt: skip


@nox.session
def threads(session: nox.Session) -> None:
    """Check every stated output with 2 and 8 threads too (the tests use 1)."""
    _install(session, "test")
    for count in ("2", "8"):
        session.run("pytest", "docs", "src", *session.posargs,
                    env={"OMP_NUM_THREADS": count})  # fmt: skip


@nox.session
def newest_torch(session: nox.Session) -> None:
    """Run every test against the newest torch on the registry (~5 GB; not in CI).

    Everything else stays pinned by constraints.txt. Record the result in the
    README ("The newest PyTorch").
    """
    pinned = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    others = Path(session.create_tmp()) / "constraints-without-torch.txt"
    others.write_text(
        "\n".join(line for line in pinned if not line.startswith("torch=="))
    )
    session.install("--upgrade", "torch")
    session.install("-c", str(others), "--no-deps", "-e", ".")
    session.install(
        "-c", str(others), "numpy", *nox.project.dependency_groups(PYPROJECT, "test")
    )
    session.run("python", "-c", "import torch; print('torch', torch.__version__)")
    session.run("pytest", *session.posargs, env=THREADS)


@nox.session
def lint(session: nox.Session) -> None:
    """Check the code style with ruff."""
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


if __name__ == "__main__":
    nox.main()
