"""A learner's run of the book: the downloaded notebooks, in a fresh environment.

What a reader does after "Run the code yourself" on each language's index:
make a virtual environment, install what the page's commands install, unzip
the notebooks linked there and run them. Here:

- the commands are read from the built index page (``en``), and run as
  written, except that torch comes from ``constraints.txt`` (the CPU wheel
  this machine has; pytorch.org's index is not reachable), every install is
  pinned by ``constraints.txt``, and ``jupyterlab`` is replaced by
  ``nbclient``, the part of Jupyter that runs a notebook without a screen;
- the wheel and the zips are the files the built site links, taken from it;
- every notebook of every language is executed with nbclient inside that
  environment, and every text output of every cell (printed text, the
  ``text/plain`` of a result or figure, an error's type and message) must
  equal what the downloaded notebook carries, which is what the page shows.

Run it with ``python3 noxfile.py -s learner`` (after ``-s docs``), or
``pytest --confcutdir tests/learner tests/learner`` with TORCHPRIMER_SITE
pointing to a built site.
"""

from __future__ import annotations

import html
import json
import os
import re
import shlex
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import nbformat
import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("TORCHPRIMER_SITE", ROOT / "docs" / "_build" / "html"))
CONSTRAINTS = ROOT / "constraints.txt"
LANGUAGES = ("en", "zh_CN", "ru")
#: Runs inside the learner's environment: execute a notebook, in its folder.
EXECUTE = """
import sys, nbclient, nbformat
path, out = sys.argv[1:]
notebook = nbformat.read(path, as_version=4)
client = nbclient.NotebookClient(
    notebook, timeout=600, kernel_name="python3",
    resources={"metadata": {"path": str(__import__("pathlib").Path(path).parent)}},
)
client.execute()
nbformat.write(notebook, out)
"""


def _index(language: str) -> str:
    path = SITE / language / "index.html"
    if not path.is_file():
        pytest.fail(f"no built site at {SITE}: run `python3 noxfile.py -s docs` first")
    return path.read_text(encoding="utf-8")


def _linked(language: str, suffix: str) -> Path:
    """The one download the language's index links whose name ends with suffix."""
    hrefs = set(re.findall(r'href="(_downloads/[^"]+)"', _index(language)))
    found = [SITE / language / href for href in hrefs if href.endswith(suffix)]
    assert len(found) == 1, f"{language}/index.html links {sorted(hrefs)}"
    assert found[0].is_file(), f"{found[0]} is linked but missing"
    return found[0]


def _install_commands(language: str) -> list[list[str]]:
    """The ``pip install`` lines of the index's "Run the code yourself" block."""
    blocks = re.findall(
        r'<div class="highlight-bash notranslate"><div class="highlight"><pre>(.*?)</pre>',
        _index(language),
        re.DOTALL,
    )
    text = html.unescape(re.sub(r"<[^>]+>", "", "".join(blocks)))
    commands = [
        shlex.split(line, comments=True)
        for line in text.splitlines()
        if line.startswith("pip install")
    ]
    assert commands, f"{language}/index.html shows no pip install command"
    return commands


def _as_run_here(command: list[str], wheel: Path) -> list[str]:
    """A command of the page, as this machine can run it (see the docstring)."""
    packages = [word for word in command[2:] if not word.startswith("-")]
    if command[2:4] == ["torch", "--index-url"]:
        packages = ["torch"]
    packages = [
        str(wheel) + package.removeprefix(wheel.name)
        if package.startswith(wheel.name)
        else "nbclient"
        if package == "jupyterlab"
        else package
        for package in packages
    ]
    return ["-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS), *packages]


@pytest.fixture(scope="session")
def learner_python(tmp_path_factory) -> Path:
    """The Python of a fresh environment, made once for all test workers."""
    shared = tmp_path_factory.getbasetemp().parent
    env = shared / "torchprimer-env"
    python = env / "bin" / "python"
    with FileLock(str(shared / "torchprimer-env.lock")):
        if not (env / "ready").is_file():
            venv.create(env, with_pip=True, clear=True)
            wheel = _linked("en", ".whl")
            for command in _install_commands("en"):
                subprocess.run([python, *_as_run_here(command, wheel)], check=True)
            (env / "ready").touch()
    return python


def _notebooks() -> list[tuple[str, str]]:
    if not SITE.is_dir():
        return []
    found = []
    for language in LANGUAGES:
        with zipfile.ZipFile(_linked(language, ".zip")) as archive:
            names = [name for name in archive.namelist() if name.endswith(".ipynb")]
        found += [(language, name) for name in sorted(names)]
    return found


#: A memory address, which changes from run to run (the pages say so).
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def _texts(notebook: nbformat.NotebookNode) -> list[list[str]]:
    """What each code cell shows as text, in order, memory addresses aside."""
    shown = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts, previous = [], None
        for output in cell.outputs:
            if output.output_type == "stream":
                text = f"{output.name}: {output.text}"
                # How printed text is cut into outputs depends on timing.
                if previous == ("stream", output.name):
                    text = texts.pop() + output.text
                texts.append(text)
            elif output.output_type == "error":
                texts.append(f"{output.ename}: {output.evalue}")
            elif "text/plain" in output.get("data", {}):
                texts.append(output.data["text/plain"])
            previous = (output.output_type, output.get("name"))
        shown.append([ADDRESS.sub(" at 0x...", text) for text in texts])
    return shown


@pytest.mark.parametrize(("language", "name"), _notebooks())
def test_a_downloaded_notebook_runs_as_the_page_shows(
    language, name, learner_python, tmp_path
):
    with zipfile.ZipFile(_linked(language, ".zip")) as archive:
        archive.extract(name, tmp_path)
    downloaded = tmp_path / name
    executed = tmp_path / "executed.ipynb"
    subprocess.run(
        [learner_python, "-c", EXECUTE, downloaded, executed],
        check=True,
        # As a reader's Jupyter runs: the kernel picks its own (inline) plots.
        env={
            **{key: value for key, value in os.environ.items() if key != "MPLBACKEND"},
            "OMP_NUM_THREADS": "1",
        },
    )
    expected = _texts(nbformat.read(downloaded, as_version=4))
    got = _texts(nbformat.read(executed, as_version=4))
    assert len(got) == len(expected)
    for number, (theirs, ours) in enumerate(zip(got, expected, strict=True), 1):
        assert theirs == ours, (
            f"{language}/{name}, code cell {number}:\n"
            f"the page shows {json.dumps(ours, ensure_ascii=False)}\n"
            f"the learner gets {json.dumps(theirs, ensure_ascii=False)}"
        )


def test_the_learner_environment_has_only_what_the_page_installs(learner_python):
    """torchprimer comes from the site's wheel, not from this checkout."""
    where = subprocess.run(
        [learner_python, "-c", "import torchprimer; print(torchprimer.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "site-packages" in where
    assert str(ROOT / "src") not in where
    assert sys.prefix not in where
