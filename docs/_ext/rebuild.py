"""Exact and fast rebuilds: what the build executes, and when.

A Sphinx extension. myst-nb executes the pages in ``cache`` mode: a page's
outputs are taken from jupyter-cache when a record matches the page, and the
page is executed otherwise. This module decides what "matches" means:

- **The stack** keys the cache's directory (:func:`stack_key`): Python, every
  installed distribution, the kernel's IPython settings. A new stack starts an
  empty directory; older ones are pruned (:func:`prune_stacks`).
- **The page** keys the record (:class:`BookCache`): its code cells and their
  tags, not their translated captions (so ``zh_CN`` and ``ru`` reuse what
  ``en`` executed, figures included), and the fingerprint of the ``torchprimer``
  code it runs (:mod:`page_dependencies`): a behaviour change in a module
  re-executes the pages that use it, a comment or a docstring nothing.

Sphinx re-reads a page whose fingerprint changed (``env-get-outdated``), and
before reading, executes every page missing from the cache, several at a time
(``env-before-read-docs``; ``torchprimer_execution_workers``, one per core by
default), so myst-nb then finds them all in the cache.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.metadata
import logging
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager, nullcontext
from pathlib import Path
from tempfile import TemporaryDirectory

from jupyter_cache.base import CacheBundleIn
from jupyter_cache.cache.main import JupyterCacheBase
from page_dependencies import Package, Uses, fingerprint, page_uses, read_package
from sphinx.util import logging as sphinx_logging

logger = sphinx_logging.getLogger(__name__)

#: Bump to start every cache afresh when what a record means changes.
SCHEME = "2"
#: Cache directories kept: this stack's and the one used last before it.
STACKS_KEPT = 2
#: Records kept per cache directory, the least recently used go first (a
#: record evicted costs an execution, never a stale output).
RECORDS_KEPT = 200
#: Cell metadata that only says how the output is shown (figure captions,
#: alt texts: translated), never what the code computes.
RENDER_ONLY = "mystnb"


def stack_key(ipython_dir: Path, own: str = "torchprimer") -> str:
    """Hash what every page's outputs depend on besides its own code.

    Python, the version of every installed distribution (the kernel runs in
    this environment) and the kernel's IPython settings: change any and the
    cache starts empty, so it never serves an output of another stack. The
    book's own package, ``own``, is left out: the pages' records hash the code
    they run of it, and its metadata comes and goes in ``src/`` with builds
    of its wheel.
    """
    digest = hashlib.sha256(f"{SCHEME}\n{sys.version}\n".encode())
    for path in sorted(Path(ipython_dir).rglob("*.py")):
        digest.update(path.relative_to(ipython_dir).as_posix().encode())
        digest.update(path.read_bytes())
    installed = sorted(
        {
            f"{dist.metadata['Name']}=={dist.version}"
            for dist in importlib.metadata.distributions()
            if dist.metadata["Name"] != own
        }
    )
    digest.update("\n".join(installed).encode())
    return digest.hexdigest()[:16]


def prune_stacks(cache_path: Path, keep: int = STACKS_KEPT) -> list[Path]:
    """Mark ``cache_path`` used now; delete all but the ``keep`` last used siblings."""
    cache_path = Path(cache_path)
    cache_path.mkdir(parents=True, exist_ok=True)
    (cache_path / "last-used").touch()

    def last_used(path: Path) -> float:
        marker = path / "last-used"
        return marker.stat().st_mtime if marker.exists() else path.stat().st_mtime

    siblings = [
        path
        for path in cache_path.parent.iterdir()
        if path.is_dir() and len(path.name) == 16 and path != cache_path
    ]
    siblings.sort(key=last_used, reverse=True)
    removed = siblings[keep - 1 :]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)  # another build may be at it too
    return removed


_packages: dict[Path, tuple[tuple, Package]] = {}


def package(directory: Path) -> Package:
    """The package in ``directory`` as it is now (read again when a file changed)."""
    directory = Path(directory)
    state = tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )
    cached = _packages.get(directory)
    if cached is None or cached[0] != state:
        _packages[directory] = cached = (state, read_package(directory))
    return cached[1]


def _code(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


class BookCache(JupyterCacheBase):
    """jupyter-cache, matching a page by what its execution depends on.

    A record's key is jupyter-cache's hash of the code cells, the kernel and
    the page's myst-nb settings, without the cells' render-only metadata,
    combined with the fingerprint of the package code the cells run, as it is
    when the page is matched. The page keeps its own cell metadata when its
    outputs come from a record.
    """

    def __init__(self, path, package_dir: Path | None) -> None:
        super().__init__(path)
        self.package_dir = package_dir
        self._matched: set[str] = set()

    def create_hashed_notebook(
        self, nb, nb_metadata=("kernelspec", "mystnb"), cell_metadata=None
    ):
        nb = copy.deepcopy(nb)
        for cell in nb.cells:
            cell.metadata.pop(RENDER_ONLY, None)
        nb, key = super().create_hashed_notebook(nb, nb_metadata, cell_metadata)
        if self.package_dir is not None:
            code = fingerprint(page_uses(_code(nb), self._package()), self._package())
            if code:
                key = hashlib.md5(f"{key} {code}".encode()).hexdigest()
        return nb, key

    def _package(self) -> Package:
        return package(self.package_dir)

    def match_cache_notebook(self, nb):
        self._matched.add(self.create_hashed_notebook(nb)[1])
        return super().match_cache_notebook(nb)

    def cache_notebook_bundle(self, bundle, check_validity=True, overwrite=False, **kw):
        """Cache an executed page, unless the package changed while it ran."""
        key = self.create_hashed_notebook(bundle.nb)[1]
        if self._matched and key not in self._matched:
            raise RuntimeError(
                f"the package in {self.package_dir} changed while {bundle.uri} ran: "
                "its outputs are not cached; build again"
            )
        return super().cache_notebook_bundle(bundle, check_validity, overwrite, **kw)

    def merge_match_into_notebook(
        self, nb, nb_meta=("kernelspec", "language_info", "widgets"), cell_meta=()
    ):
        # cell_meta=(): the outputs of the record, the page's own cell metadata
        return super().merge_match_into_notebook(nb, nb_meta, cell_meta)


def book_cache(app) -> BookCache:
    """The execution cache of this build."""
    package_dir = app.config.torchprimer_package
    return BookCache(
        app.config.nb_execution_cache_path, Path(package_dir) if package_dir else None
    )


def _use_book_cache(app) -> None:
    """Make myst-nb match and store through :class:`BookCache`."""
    import myst_nb.core.execute.cache as myst_nb_cache

    if not hasattr(myst_nb_cache, "get_cache"):
        raise RuntimeError(
            "myst-nb no longer calls get_cache: see docs/_ext/rebuild.py"
        )
    package_dir = app.config.torchprimer_package
    myst_nb_cache.get_cache = lambda path: BookCache(
        path, Path(package_dir) if package_dir else None
    )
    if app.config.nb_execution_mode == "cache":
        removed = prune_stacks(Path(app.config.nb_execution_cache_path))
        for path in removed:
            logger.info("removed the execution cache of another stack: %s", path)
        cache = book_cache(app)
        if cache.get_cache_limit() != RECORDS_KEPT:
            cache.change_cache_limit(RECORDS_KEPT)


def _notebook(env, docname: str):
    """The notebook myst-nb reads for ``docname``, and its configuration; or None."""
    from myst_nb.core.nb_to_tokens import nb_node_to_dict
    from myst_nb.core.read import create_nb_reader

    path = Path(env.doc2path(docname))
    text = path.read_text(encoding=env.config.source_encoding)
    nb_config = env.mystnb_config
    reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    # as myst_nb.sphinx_.Parser.parse does before it executes
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    if kernel is not None and nb_config.kernel_rgx_aliases:
        return None  # a renamed kernel: left to myst-nb
    if nb_config.metadata_key in notebook.metadata:
        overrides = nb_node_to_dict(notebook.metadata[nb_config.metadata_key])
        overrides.pop("output_folder", None)
        try:
            nb_config = nb_config.copy(**overrides)
        except Exception:  # noqa: BLE001  myst-nb warns about it when it reads the page
            return None
    return path, notebook, nb_config


def _pages(env) -> dict[str, tuple[tuple[str, ...], bool, str]]:
    """Per page: the modules it uses, whether it reads text, its fingerprint."""
    if not hasattr(env, "torchprimer_pages"):
        env.torchprimer_pages = {}
    return env.torchprimer_pages


def _changed_code(app, env, added, changed, removed) -> list[str]:
    """The pages whose package code changed in behaviour since they were read."""
    pages = _pages(env)
    for docname in removed:
        pages.pop(docname, None)
    package_dir = app.config.torchprimer_package
    if not package_dir:
        return []
    current = package(Path(package_dir))
    outdated = []
    for docname, (modules, reads_text, old) in pages.items():
        if docname in added or docname in changed:
            continue
        if fingerprint(Uses(frozenset(modules), reads_text), current) != old:
            outdated.append(docname)
    if outdated:
        logger.info("package code changed for: %s", ", ".join(sorted(outdated)))
    return outdated


def _execute(path: Path, notebook, nb_config):
    from jupyter_cache.executors.utils import single_nb_execution

    with (
        TemporaryDirectory()
        if nb_config.execution_in_temp
        else nullcontext(str(path.parent))
    ) as cwd:
        return single_nb_execution(
            notebook,
            cwd=os.path.abspath(cwd),
            allow_errors=nb_config.execution_allow_errors,
            timeout=nb_config.execution_timeout,
            meta_override=True,
        )


def _execute_missing(app, env, docnames: list[str]) -> None:
    """Execute the pages about to be read that the cache lacks, in parallel.

    Each goes into the cache as myst-nb would put it there; myst-nb then reads
    every page from the cache. A page that fails is not cached: myst-nb runs it
    again and reports the error as usual.
    """
    pages = _pages(env)
    cache = book_cache(app)
    candidates = []
    for docname in docnames:
        found = _notebook(env, docname)
        if found is None:
            pages.pop(docname, None)
            continue
        path, notebook, nb_config = found
        if cache.package_dir is not None:
            current = cache._package()
            uses = page_uses(_code(notebook), current)
            pages[docname] = (
                tuple(sorted(uses.modules)),
                uses.reads_text,
                fingerprint(uses, current),
            )
        if (
            app.config.nb_execution_mode != "cache"
            or nb_config.execution_mode != "cache"
        ):
            continue
        if nb_config.execution_excludepatterns and any(
            path.match(pattern) for pattern in nb_config.execution_excludepatterns
        ):
            continue
        candidates.append((docname, path, notebook, nb_config))
    if not candidates:
        return
    # One build executes at a time; one that waited finds the pages it wanted
    # in the cache (the languages build in parallel, on the same code cells).
    with exclusive(Path(cache.path) / "execute.lock"):
        missing = {}
        for docname, path, notebook, nb_config in candidates:
            try:
                cache.match_cache_notebook(notebook)
            except KeyError:
                key = cache.create_hashed_notebook(notebook)[1]
                missing.setdefault(key, (docname, path, notebook, nb_config))
        if missing:
            _execute_in_parallel(app, cache, missing)


@contextmanager
def exclusive(path: Path):
    """Hold an exclusive lock on ``path`` (a no-op where there is no fcntl)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _execute_in_parallel(app, cache: BookCache, missing: dict) -> None:
    """Execute the notebooks of ``missing`` a few at a time, and cache them."""
    workers = max(1, min(len(missing), app.config.torchprimer_execution_workers))
    logger.info(
        "executing %d notebooks, %d at a time", len(missing), workers, color="green"
    )
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        futures = {
            pool.submit(_execute, path, notebook, nb_config): (docname, path, notebook)
            for docname, path, notebook, nb_config in missing.values()
        }
        for future in as_completed(futures):
            docname, path, notebook = futures[future]
            result = future.result()
            if result.err is not None:
                logger.info("%s: execution failed; myst-nb runs it again", docname)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(
                    notebook, str(path), data={"execution_seconds": result.time}
                ),
                check_validity=False,
                overwrite=True,
            )
            logger.info("%s: executed in %.1f s", docname, result.time)
    logger.info("executed in %.1f s", time.perf_counter() - start)


def _quiet_jieba(app, config) -> None:
    """jieba (Chinese search) logs how it loads its dictionary: nothing to act on."""
    if config.language.startswith("zh"):
        try:
            import jieba
        except ImportError:
            return
        jieba.setLogLevel(logging.WARNING)


def setup(app):
    app.add_config_value("torchprimer_package", None, "env", types=[str, type(None)])
    app.add_config_value(
        "torchprimer_execution_workers", os.cpu_count() or 1, "", types=[int]
    )
    app.connect("config-inited", _quiet_jieba)
    app.connect("builder-inited", _use_book_cache)
    app.connect("env-get-outdated", _changed_code)
    app.connect("env-before-read-docs", _execute_missing)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": SCHEME}
