"""Sessions for building the book and running its tests.

    python3 noxfile.py -s docs     # or `nox -s docs` where nox is installed
    python3 noxfile.py -s tests

Run as a script, this file first makes itself a virtual environment with the
pinned nox (in ``.nox/_bootstrap``) when nox is not importable, so a fresh
machine with Python 3.11 needs nothing else. Every session installs from
``constraints.txt``: the book's outputs are verified against exactly that stack.
``tests``, ``docs``, ``threads`` and ``bench`` share one environment,
``.nox/book`` (torch installed once), and reinstall into it only when
``pyproject.toml`` or ``constraints.txt`` changed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import venv
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))
LANGUAGES = ("en", "zh_CN", "ru")


def _stamp(*paths: Path, extra: str = "") -> str:
    """A hash of the files ``paths`` (and ``extra``): what an install came from."""
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _bootstrap() -> None:
    """Re-run this file under a virtual environment that has the pinned nox."""
    try:
        import nox  # noqa: F401
    except ImportError:
        env = ROOT / ".nox" / "_bootstrap"
        python = env / "bin" / "python"
        if not python.exists():
            venv.create(env, with_pip=True)
        stamp, wanted = env / "installed.stamp", _stamp(ROOT / "constraints.txt")
        if not stamp.exists() or stamp.read_text() != wanted:
            subprocess.run(
                [python, "-m", "pip", "install", "--quiet", *CONSTRAINTS, "nox"],
                check=True,
            )
            stamp.write_text(wanted)
        os.execv(python, [str(python), __file__, *sys.argv[1:]])


if __name__ == "__main__":
    _bootstrap()

import nox


class _NoUvNotice(logging.Filter):
    """nox looks for uv before each session, and says when it is missing.

    The sessions use venv and pip: nothing to act on.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "uv binary not found."


logging.getLogger("nox").addFilter(_NoUvNotice())

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests", "docs"]

#: One thread per process: the test workers already fill the cores, and the
#: pages state floats only to a precision that holds for 1 to 8 threads.
THREADS = {"OMP_NUM_THREADS": "1"}

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")

#: The environment of the book's sessions: torchprimer, the test and docs
#: groups. $TORCHPRIMER_ENV puts it elsewhere (``bench`` builds a copy of the
#: checkout with this checkout's environment).
BOOK_ENV = Path(os.environ.get("TORCHPRIMER_ENV", ROOT / ".nox" / "book"))
BOOK_GROUPS = ("test", "docs")


def _book_env(session: nox.Session) -> dict[str, str]:
    """Make ``BOOK_ENV`` ready, and return the environment variables to run in it.

    One environment for the tests and the book: torch is installed once. pip
    runs only when what it installs from changed (``pyproject.toml``,
    ``constraints.txt``, the Python): a stamp in the environment records it.
    """
    python = BOOK_ENV / "bin" / "python"
    if not python.exists():
        session.log(f"Creating the book's environment in {BOOK_ENV}")
        venv.create(BOOK_ENV, with_pip=True)
    stamp = BOOK_ENV / "installed.stamp"
    wanted = _stamp(
        ROOT / "pyproject.toml",
        ROOT / "constraints.txt",
        BOOK_ENV / "pyvenv.cfg",
        extra=" ".join(BOOK_GROUPS),
    )
    if not stamp.exists() or stamp.read_text() != wanted:
        stamp.unlink(missing_ok=True)
        session.run(
            str(python), "-m", "pip", "install", "--quiet", *CONSTRAINTS,
            "-e", str(ROOT), *nox.project.dependency_groups(PYPROJECT, *BOOK_GROUPS),
            external=True,
        )  # fmt: skip
        stamp.write_text(wanted)
    return {
        "PATH": f"{BOOK_ENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(BOOK_ENV),
        # The tests import torchprimer from this tree (bench runs a copy of it).
        "PYTHONPATH": str(ROOT / "src"),
        **THREADS,
    }


def _run(session: nox.Session, env: dict[str, str], *args: str) -> None:
    """Run a program of the book's environment."""
    session.run(str(BOOK_ENV / "bin" / args[0]), *args[1:], env=env, external=True)


@nox.session(python=False)
def tests(session: nox.Session) -> None:
    """Run every test and every example of the book (pytest + Sybil, in parallel)."""
    env = _book_env(session)
    _run(session, env, "pytest", *session.posargs)


def _build_docs(session: nox.Session, env: dict[str, str], *sphinx_args: str) -> None:
    """Build every language into docs/_build/html, strictly, and check the site.

    Both cores work: the languages build two at a time, the pages missing
    from the execution cache are executed two at a time, and so are the EPUB's
    formulas (docs/_ext/rebuild.py, math_images.py). Steps whose inputs did
    not change are skipped (the wheel, epubcheck). Each build prints only its
    warnings; the log says which pages were executed.
    """
    _require_tex(session)
    build = ROOT / "docs" / "_build"
    # Like make: nothing to do when no file changed since the last build,
    # neither in the checkout nor among the files it built.
    stamp, inputs = build / "docs.stamp", _inputs(*sphinx_args)
    if inputs and stamp.exists() and stamp.read_text() == inputs + _outputs(build):
        session.log("Nothing changed since the last build of the book")
        session.log(f"The book is in {build / 'html' / 'index.html'}")
        return
    stamp.unlink(missing_ok=True)
    executions = _Executions(build / ".jupyter_cache")
    start = time.perf_counter()

    def sphinx(builder: str, language: str, **options) -> _Step:
        epub = ["-t", "epub", "-d", str(build / "doctrees-epub" / language)]
        return _Step(label=f"the {builder} of {language}", command=[
            str(BOOK_ENV / "bin" / "sphinx-build"), "-b", builder,
            *(epub if builder == "epub" else []),
            "-c", str(ROOT), "-D", f"language={language}",
            "-q", "-n", "-W", "--keep-going", "-T",
            str(ROOT / "docs" / language), str(build / builder / language),
            *sphinx_args,
        ], **options)  # fmt: skip

    # Each language's EPUB first: its index offers it (docs/_ext/book.py), as
    # it offers the wheel. The languages build two at a time; the first to
    # find pages missing from the execution cache executes them, the other
    # waits for it and finds them there (docs/_ext/rebuild.py).
    wheel = _wheel(build / "dist")
    chains = [
        [
            sphinx("epub", language),
            *_epubcheck(session, build, language),
            sphinx("html", language, requires=wheel.done),
        ]
        for language in LANGUAGES
    ]
    chains[1].insert(0, wheel)
    _parallel(session, env, chains)
    output = build / "html"
    landing = (ROOT / "docs" / "_landing" / "index.html").read_text(encoding="utf-8")
    (output / "index.html").write_text(landing, encoding="utf-8")
    _run(session, env, "python", str(ROOT / "docs" / "check_site.py"), str(output))
    pages = executions.since()
    session.log(
        f"Built in {time.perf_counter() - start:.1f} s; pages executed: "
        f"{', '.join(pages) if pages else 'none'}"
    )
    session.log(f"The book is in {output / 'index.html'}")
    if inputs:
        stamp.write_text(inputs + _outputs(build))


def _inputs(*extra: str) -> str | None:
    """The state of every file git does not ignore, of the environment and ``extra``.

    None outside a git checkout (or without git): then every build runs.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, capture_output=True, check=False,
        )  # fmt: skip
    except OSError:
        return None
    if listed.returncode:
        return None
    digest = hashlib.sha256(" ".join(extra).encode())
    digest.update((BOOK_ENV / "installed.stamp").read_bytes())
    for name in sorted(filter(None, listed.stdout.decode().split("\0"))):
        path = ROOT / name
        state = (
            f"{path.stat().st_mtime_ns} {path.stat().st_size}" if path.exists() else "-"
        )
        digest.update(f"{name} {state}\n".encode())
    return digest.hexdigest() + "\n"


def _outputs(build: Path) -> str:
    """The state of the files the build makes."""
    digest = hashlib.sha256()
    for folder in ("html", "epub", "dist"):
        for path in sorted((build / folder).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path} {stat.st_mtime_ns} {stat.st_size}\n".encode())
    return digest.hexdigest()


@dataclass
class _Step:
    """A command; skipped when its ``stamp`` file holds what ``key()`` says now."""

    command: list[str]
    label: str = ""  #: what it makes, for the log
    stamp: Path | None = None
    key: Callable[[], str] | None = None
    before: Callable[[], None] | None = None  #: run first, unless skipped
    requires: threading.Event | None = None  #: wait for it first
    done: threading.Event = field(default_factory=threading.Event)

    def run(self, session: nox.Session, env: dict[str, str]) -> bool:
        try:
            return self._run(session, env)
        finally:
            self.done.set()

    def _run(self, session: nox.Session, env: dict[str, str]) -> bool:
        if self.requires:
            self.requires.wait()
        key = self.key() if self.key else None
        if self.stamp and self.stamp.exists() and self.stamp.read_text() == key:
            return True
        if self.stamp:
            self.stamp.unlink(missing_ok=True)
        if self.before:
            self.before()
        done = subprocess.run(
            self.command,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,  # the failure is reported below
        )
        output = (done.stdout + done.stderr).strip()
        if output or done.returncode:
            session.log(" ".join(self.command))
            print(output, flush=True)
        if done.returncode == 0 and self.stamp:
            self.stamp.write_text(key)
        return done.returncode == 0


def _parallel(
    session: nox.Session, env: dict[str, str], chains: list[list[_Step]]
) -> None:
    """Run each chain's steps in order, two chains at a time.

    A step's output shows once it ends (a sphinx-build -q that succeeds prints
    nothing); the session fails once all chains ended, if a step failed.
    """

    def run(chain: list[_Step]) -> list[str]:
        for step in chain:
            if not step.run(session, env):
                return [step.label or Path(step.command[0]).name]
        return []

    with ThreadPoolExecutor(2) as pool:
        failed = [failure for chain in pool.map(run, chains) for failure in chain]
    if failed:
        session.error("failed: " + "; ".join(failed))


def _wheel(dist: Path) -> _Step:
    """Build the wheel readers download with the notebooks (docs/_ext/book.py).

    Built again only when what goes into it changed.
    """

    def sources() -> str:
        paths = sorted(
            path
            for path in [
                ROOT / "pyproject.toml",
                ROOT / "README.md",
                *ROOT.glob("LICENSE*"),
                *(ROOT / "src" / "torchprimer").rglob("*"),
            ]
            if path.is_file() and "__pycache__" not in path.parts
        )
        return _stamp(*paths, extra=" ".join(str(p.relative_to(ROOT)) for p in paths))

    def clear() -> None:
        shutil.rmtree(dist, ignore_errors=True)
        dist.mkdir(parents=True)

    python = str(BOOK_ENV / "bin" / "python")
    return _Step(
        [
            python,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(dist),
            str(ROOT),
        ],
        stamp=dist.parent / "dist.stamp",
        key=sources,
        before=clear,
    )


class _Executions:
    """Which pages a build executed: the records it added to the execution cache."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self.before = {db: self._last(db) for db in cache.glob("*/global.db")}

    @staticmethod
    def _query(db: Path, sql: str, *args) -> list[tuple]:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return connection.execute(sql, args).fetchall()
        except sqlite3.OperationalError:
            return []  # no table yet
        finally:
            connection.close()

    def _last(self, db: Path) -> int:
        rows = self._query(db, "SELECT max(pk) FROM nbcache")
        return (rows[0][0] if rows else 0) or 0

    def since(self) -> list[str]:
        """The pages executed since this object was made, as ``<lang>/<page>``."""
        pages = []
        for db in sorted(self.cache.glob("*/global.db")):
            rows = self._query(
                db, "SELECT uri FROM nbcache WHERE pk > ?", self.before.get(db, 0)
            )
            pages += ["/".join(Path(uri).with_suffix("").parts[-2:]) for (uri,) in rows]
        return sorted(pages)


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


def _epubcheck(session: nox.Session, build: Path, language: str) -> list[_Step]:
    """Validate the EPUB of ``language`` with epubcheck (Debian's), if installed.

    Skipped when the EPUB holds what the one validated last held.
    """
    jar = Path("/usr/share/java/epubcheck.jar")
    if jar.is_file():
        command = ["java", "-jar", str(jar)]
    elif shutil.which("epubcheck"):
        command = ["epubcheck"]
    else:
        session.warn(f"epubcheck is not installed: the {language} EPUB is not checked")
        return []
    epub = build / "epub" / language / f"torchprimer-{language}.epub"

    def contents() -> str:
        """A hash of what the EPUB holds, less the build's date."""
        digest = hashlib.sha256()
        with zipfile.ZipFile(epub) as archive:
            for name in archive.namelist():
                data = archive.read(name)
                if name.endswith(".opf"):
                    data = re.sub(rb"\d{4}-\d\d-\d\dT[\d:]+Z", b"", data)
                digest.update(name.encode() + b"\0" + data)
        return digest.hexdigest()

    return [
        _Step(
            [*command, "--failonwarnings", "--quiet", str(epub)],
            label=f"epubcheck of the {language} EPUB",
            stamp=epub.parent.with_suffix(".checked"),  # beside the EPUB's folder
            key=contents,
        )
    ]


@nox.session(python=False)
def docs(session: nox.Session) -> None:
    """Build the book in every language into docs/_build/html, strictly."""
    _build_docs(session, _book_env(session), *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """Check the built book in Chromium (tests/browser); build it first if missing.

    Checks $TORCHPRIMER_SITE instead of docs/_build/html where it is set. Needs
    Debian's chromium (or $CHROMIUM): playwright never downloads a browser.
    """
    # The tests read the built site only: no torchprimer, so no torch here.
    session.install(*CONSTRAINTS, *nox.project.dependency_groups(PYPROJECT, "browser"))
    built = (ROOT / "docs" / "_build" / "html" / "index.html").is_file()
    if not built and not os.environ.get("TORCHPRIMER_SITE"):
        _build_docs(session, _book_env(session))
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


@nox.session(python=False)
def threads(session: nox.Session) -> None:
    """Check every stated output with 2 and 8 threads too (the tests use 1)."""
    env = _book_env(session)
    for count in ("2", "8"):
        _run(session, {**env, "OMP_NUM_THREADS": count}, "pytest", "docs", "src",
             *session.posargs)  # fmt: skip


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


#: What ``bench`` edits in its copy before the rebuilds it times.
BENCH_PAGE = Path("docs/en/neuron.md")
BENCH_MODULE = Path("src/torchprimer/neuron.py")


@nox.session(python=False)
def bench(session: nox.Session) -> None:
    """Time rebuilds and tests on a copy of the checkout; FizzBuzz's two recipes.

    The copy shares this checkout's environment and goes once timed: the
    checkout is never touched. ``-- --quick-start`` also times the README's
    two quick-start commands on a second copy, its environment included.
    """
    env = _book_env(session)
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="torchprimer-bench-") as tmp:
        copy = Path(tmp) / "book"
        _bench_copy(copy)
        run = _Timer(session, copy, {"TORCHPRIMER_ENV": str(BOOK_ENV)})
        nox_in_copy = [sys.executable, str(copy / "noxfile.py")]
        cold = 0.0

        def build(label: str, edit: Callable[[], None] | None = None) -> None:
            nonlocal cold
            if edit:
                edit()
            executions = _Executions(copy / "docs" / "_build" / ".jupyter_cache")
            seconds, _ = run([*nox_in_copy, "-s", "docs"])
            pages = executions.since()
            shown = f"{seconds:.1f} s" + (
                f", {seconds / cold:.0%} of cold" if cold else ""
            )
            cold = cold or seconds
            executed = f"{len(pages)} pages executed" + (
                f": {', '.join(pages)}" if pages else ""
            )
            rows.append((label, shown, executed))

        page, module = copy / BENCH_PAGE, copy / BENCH_MODULE
        originals = {path: path.read_bytes() for path in (page, module)}
        build("cold build: `nox -s docs`, no docs/_build")
        build("no-op rebuild")
        build("rebuild after `touch conf.py` (every Sphinx build runs)", _touch(copy))
        build(f"prose edit: a sentence added to {BENCH_PAGE}", lambda: _append(page))
        build(
            f"comment edit: a comment added to {BENCH_MODULE}", lambda: _comment(module)
        )
        build(
            f"behaviour edit: a statement added to a function of {BENCH_MODULE}",
            lambda: _statement(module),
        )
        for path, text in originals.items():  # the tests check the pages as they are
            path.write_bytes(text)
        seconds, output = run([*nox_in_copy, "-s", "tests"])
        rows.append(("tests: `nox -s tests`", f"{seconds:.1f} s", _summary(output)))
        seconds, output = run([*nox_in_copy, "-s", "tests", "--", str(BENCH_PAGE)])
        own = re.search(r" in ([\d.]+)s", output)
        rows.append((
            f"one page's tests: `nox -s tests -- {BENCH_PAGE}`",
            f"{seconds:.1f} s (pytest's own count: {own[1] if own else '?'} s)",
            _summary(output),
        ))  # fmt: skip
        if "--quick-start" in session.posargs:
            rows += _bench_quick_start(session, Path(tmp) / "fresh")
    for recipe in _fizzbuzz(session, env):
        rows.append((
            (
                f"FizzBuzz, the {recipe['recipe']} recipe: {recipe['optimizer']}, "
                f"{recipe['hidden']} hidden units, batches of "
                f"{recipe['batch_size'] or 923}, {recipe['epochs']} epochs"
            ),
            f"{recipe['seconds']} s", f"{recipe['right']} of 1 to 100 right",
        ))  # fmt: skip
    print(
        f"\nnox -s bench, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} at the end\n\n"
        "| step | time | result |\n|---|---|---|\n"
        + "\n".join(f"| {step} | {time_} | {result} |" for step, time_, result in rows)
    )


def _summary(output: str) -> str:
    """pytest's closing line: ``1510 passed, 15 skipped``."""
    found = re.findall(r"^=+ (\d+ passed.*?) in [\d.]+s", output, re.MULTILINE)
    return found[-1] if found else "?"


def _touch(folder: Path) -> Callable[[], None]:
    return lambda: (folder / "conf.py").touch()


class _Timer:
    """Runs a command in a folder, quietly, and times it; fails the session if it fails."""

    def __init__(self, session: nox.Session, cwd: Path, env: dict[str, str]) -> None:
        self.session, self.cwd = session, cwd
        self.env = {**os.environ, **env}
        self.env.pop("NOX_CURRENT_SESSION", None)

    def __call__(self, command: list[str]) -> tuple[float, str]:
        start = time.perf_counter()
        done = subprocess.run(
            command,
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,  # the failure is reported below
        )
        seconds = time.perf_counter() - start
        output = done.stdout + done.stderr
        self.session.log(f"bench: {' '.join(command[1:])}: {seconds:.1f} s")
        if done.returncode:
            print(output[-10000:])
            self.session.error(f"bench: {' '.join(command)} failed in {self.cwd}")
        return seconds, output


def _bench_copy(destination: Path) -> None:
    """Copy the checkout's files (tracked, and untracked but not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    # A git index, for what the sessions ask git (which files are the book's).
    subprocess.run(["git", "init", "--quiet"], cwd=destination, check=True)
    subprocess.run(["git", "add", "--all"], cwd=destination, check=True)


def _append(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nA sentence, added by the bench.\n", encoding="utf-8")


def _comment(module: Path) -> None:
    text = module.read_text(encoding="utf-8")
    first = re.search(r"^def ", text, re.MULTILINE).start()
    module.write_text(
        text[:first] + "# A comment, added by the bench.\n" + text[first:],
        encoding="utf-8",
    )


def _statement(module: Path) -> None:
    """Add a statement to the first function of ``module``, after its docstring."""
    import ast

    text = module.read_text(encoding="utf-8")
    tree = ast.parse(text)
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    docstring = function.body[0]
    lines = text.splitlines(keepends=True)
    indent = " " * docstring.col_offset
    lines.insert(docstring.end_lineno, f"{indent}_ = None  # added by the bench\n")
    module.write_text("".join(lines), encoding="utf-8")


def _bench_quick_start(session: nox.Session, fresh: Path) -> list[tuple[str, str, str]]:
    """Time the README's quick start on a copy of the checkout without .nox."""
    _bench_copy(fresh)
    python = shutil.which("python3", path=os.environ["PATH"].replace(
        f"{BOOK_ENV / 'bin'}{os.pathsep}", ""))  # fmt: skip
    run = _Timer(session, fresh, {})
    run.env.pop("TORCHPRIMER_ENV", None)
    rows = []
    for name in ("docs", "tests"):
        seconds, _ = run([python, "noxfile.py", "-s", name])
        rows.append((f"quick start, fresh copy: `python3 noxfile.py -s {name}`",
                     f"{seconds:.1f} s", ""))  # fmt: skip
    size = sum(p.stat().st_size for p in (fresh / ".nox").rglob("*") if p.is_file())
    rows.append(("quick start: size of .nox", f"{size / 2**30:.1f} GB", ""))
    return rows


def _fizzbuzz(session: nox.Session, env: dict[str, str]) -> list[dict]:
    """Run benchmarks/fizzbuzz.py: each recipe's right answers and time."""
    output = session.run(
        str(BOOK_ENV / "bin" / "python"), str(ROOT / "benchmarks" / "fizzbuzz.py"),
        env=env, external=True, silent=True,
    )  # fmt: skip
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@nox.session
def lint(session: nox.Session) -> None:
    """Check the code style with ruff."""
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


if __name__ == "__main__":
    nox.main()
