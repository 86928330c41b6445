"""Which code of the package a page runs, and a fingerprint of that code.

A page's cached outputs stay valid while the code it runs behaves the same.
That code is found statically, from the page's code cells:

- the modules the page names (``from torchprimer.neuron import sigmoid``,
  ``torchprimer.neuron.sigmoid``, ``torchprimer.setup_printing``, resolved
  through the names ``__init__.py`` imports), and every module of the package
  that those import, anywhere in their code (a function may import lazily);
- the import-time code of every other module: ``import torchprimer`` runs each
  module's top level (``__init__.py`` imports them all), but not the bodies of
  their functions, unless the top level calls them.

A module is fingerprinted by its syntax tree without docstrings: comments,
blank lines, formatting and docstrings do not change it; any other edit does.
Where the analysis cannot be sure, it errs towards re-executing: a page that
uses the package as a value (``dir(torchprimer)``, ``getattr``), or runs
strings as code (``exec``, ``importlib``), depends on all of it; a page that
reads docstrings or source (``__doc__``, ``help``, ``inspect``) depends on the
exact text of the modules it uses.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

#: Names that run strings as code or import by name: the page may use anything.
DYNAMIC = frozenset({"exec", "eval", "compile", "__import__", "importlib", "runpy"})
#: Names that read docstrings or source: then comments and docstrings matter.
READS_TEXT = frozenset({"__doc__", "help", "inspect", "getsource", "getdoc", "pydoc"})
#: In :attr:`Uses.modules`: the page may use any module of the package.
ALL = "*"

_DEFINITION = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass(frozen=True)
class Module:
    """One module of the package, as the fingerprints see it."""

    name: str  #: dotted, e.g. ``torchprimer.neuron``
    behaviour: str  #: hash of the syntax tree without docstrings
    import_time: str  #: the same, less the bodies of functions not run on import
    text: str  #: hash of the file's bytes
    imports: frozenset[str]  #: the package's modules it imports, anywhere
    #: Names its top level binds to the package's modules, e.g. in ``__init__``
    #: ``setup_printing`` (``from torchprimer.printing import setup_printing``).
    exports: dict[str, str]
    star_import: bool  #: ``from ... import *``: not all its names are known
    only_imports: bool  #: nothing but imports, ``__all__`` and a docstring
    #: The package's modules whose functions its top level may call on import.
    calls_on_import: frozenset[str]


@dataclass(frozen=True)
class Package:
    """Every module of a package, and a hash of its other files."""

    name: str
    modules: dict[str, Module]
    data: str

    def resolve(self, module: str, attribute: str) -> str | None:
        """The package's module that ``module.attribute`` is or comes from."""
        if f"{module}.{attribute}" in self.modules:
            return f"{module}.{attribute}"
        if module in self.modules:
            return self.modules[module].exports.get(attribute)
        return None


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _strip_docstrings(tree: ast.Module) -> ast.Module:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | _DEFINITION)
            and body
            and _is_docstring(body[0])
        ):
            node.body = body[1:] or [ast.Pass()]
    return tree


def _loaded_names(nodes) -> set[str]:
    return {
        node.id
        for top in nodes
        for node in ast.walk(top)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }


def _called_names(tree: ast.AST) -> set[str]:
    """Names that code may call: in a call, a decorator, a class's bases.

    A name only referred to (a default value, an annotation, an assignment, an
    item of a list) is not called by that reference.
    """
    places = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            places.append(node)
        elif isinstance(node, _DEFINITION):
            places.extend(node.decorator_list)
            if isinstance(node, ast.ClassDef):
                places.extend([*node.bases, *node.keywords])
    return _loaded_names(places)


def _import_time(tree: ast.Module) -> tuple[ast.Module, set[str]]:
    """``tree`` less the bodies of the functions that its import does not run.

    Also returns the names that importing may call. A top-level function or
    class that the top level may call keeps its bodies, and so, in turn, does
    what those bodies name.
    """
    definitions = {
        node.name: node for node in tree.body if isinstance(node, _DEFINITION)
    }
    skeleton = ast.parse(ast.unparse(tree))
    for node in ast.walk(skeleton):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.body = [ast.Pass()]
    called = _called_names(skeleton)
    kept: set[str] = set()
    pending = called & definitions.keys()
    while pending:
        name = pending.pop()
        kept.add(name)
        more = _loaded_names([definitions[name]])  # a body that runs may call any
        called |= more
        pending |= (more & definitions.keys()) - kept
    for node in tree.body:
        if isinstance(node, _DEFINITION) and node.name not in kept:
            for inner in ast.walk(node):
                if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                    inner.body = [ast.Pass()]
    return tree, called


def _digest(tree: ast.AST) -> str:
    dump = ast.dump(tree, annotate_fields=False, include_attributes=False)
    return hashlib.sha256(dump.encode()).hexdigest()


def _from_module(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from`` import reads."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def read_package(directory: Path, name: str | None = None) -> Package:
    """Read every module of the package in ``directory`` (named after it)."""
    directory = Path(directory)
    name = name or directory.name
    sources: dict[str, tuple[bytes, bool]] = {}
    data = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(directory)
        if path.suffix == ".py":
            parts = [name, *relative.with_suffix("").parts]
            is_package = parts[-1] == "__init__"
            module = ".".join(parts[:-1] if is_package else parts)
            sources[module] = (path.read_bytes(), is_package)
        else:
            data.update(relative.as_posix().encode() + b"\0" + path.read_bytes())

    def ours(dotted: str) -> str | None:
        """The package's module that ``dotted`` names, or the one it is in."""
        while dotted:
            if dotted in sources:
                return dotted
            dotted = dotted.rpartition(".")[0]
        return None

    modules = {}
    for module, (source, is_package) in sources.items():
        tree = ast.parse(source)
        exports, imports, star = {}, set(), False
        for node in ast.walk(tree):
            top = node in tree.body
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found = ours(alias.name)
                    if found:
                        imports.add(found)
                        if top and alias.asname:
                            exports[alias.asname] = alias.name
                        elif top:
                            exports[alias.name.partition(".")[0]] = name
            elif isinstance(node, ast.ImportFrom):
                origin = _from_module(module, is_package, node)
                for alias in node.names:
                    star |= top and alias.name == "*"
                    found = ours(f"{origin}.{alias.name}") or ours(origin)
                    if found:
                        imports.add(found)
                        if top and alias.name != "*":
                            exports[alias.asname or alias.name] = found
        imports.discard(module)
        stripped = _strip_docstrings(ast.parse(source))
        import_time, called_names = _import_time(_strip_docstrings(ast.parse(source)))
        called = {exports[n] for n in called_names if n in exports}
        modules[module] = Module(
            name=module,
            behaviour=_digest(stripped),
            import_time=_digest(import_time),
            text=hashlib.sha256(source).hexdigest(),
            imports=frozenset(imports),
            exports=exports,
            star_import=star,
            only_imports=all(
                isinstance(node, ast.Import | ast.ImportFrom)
                or _is_docstring(node)
                or (
                    isinstance(node, ast.Assign)
                    and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
                )
                for node in tree.body
            ),
            # The package itself, named on import: anything of it may run.
            calls_on_import=frozenset({ALL} if name in called else called),
        )
    return Package(name=name, modules=modules, data=data.hexdigest())


def _parse_cell(source: str) -> ast.Module | None:
    """A cell's syntax tree, IPython syntax (``%magic``, ``!cmd``) made Python."""
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except (ImportError, SyntaxError):
        return None  # a cell that does not compile runs no code


@dataclass(frozen=True)
class Uses:
    """What a page's code uses of the package."""

    modules: frozenset[str]  #: the modules it names; with :data:`ALL`, any
    reads_text: bool  #: it reads docstrings or source


def _is_ours(root: str, dotted: str) -> bool:
    return dotted == root or dotted.startswith(root + ".")


def page_uses(sources: list[str], package: Package) -> Uses:
    """The modules of ``package`` that the code cells ``sources`` name."""
    root = package.name
    used: set[str] = set()
    reads_text = False
    aliases: dict[str, str] = {}  # a name of the page bound to one of our modules
    trees = [tree for source in sources if (tree := _parse_cell(source))]
    nodes = [node for tree in trees for node in ast.walk(tree)]
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_ours(root, alias.name):
                    used.add(root)
                    if alias.name in package.modules:
                        used.add(alias.name)
                    if alias.asname:
                        aliases[alias.asname] = alias.name
                    else:
                        aliases[root] = root
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if not _is_ours(root, node.module):
                continue
            used.add(root)
            for alias in node.names:
                if alias.name == "*":
                    used.add(ALL)
                    continue
                target = package.resolve(node.module, alias.name)
                used.add(target or node.module)
                if target == f"{node.module}.{alias.name}":
                    aliases[alias.asname or alias.name] = target
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            reads_text |= name in READS_TEXT
            if isinstance(node, ast.Name) and name in DYNAMIC:
                used.add(ALL)
    # Each use of a name bound to one of our modules: ``name.attribute`` uses
    # the module the attribute comes from; the package used any other way
    # (``dir(torchprimer)``, ``getattr(torchprimer, name)``) may use anything.
    attribute_bases = set()
    for node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            module = aliases.get(node.value.id)
            if module not in package.modules:
                continue
            attribute_bases.add(id(node.value))
            target = package.resolve(module, node.attr)
            if target is None and package.modules[module].star_import:
                used.add(ALL)
            used.add(target or module)
    for node in nodes:
        if (
            isinstance(node, ast.Name)
            and isinstance(node.ctx, ast.Load)
            and aliases.get(node.id) == root
            and id(node) not in attribute_bases
        ):
            used.add(ALL)
    return Uses(frozenset(used), reads_text)


def closure(modules, package: Package) -> set[str]:
    """``modules`` and every module of the package they import, transitively.

    The imports of an ``__init__`` that holds nothing but imports are not
    followed: the names a page takes from it are resolved to their modules.
    """
    if ALL in modules:
        return set(package.modules)
    pending = [m for m in modules if m in package.modules]
    found: set[str] = set()
    while pending:
        module = pending.pop()
        if module in found:
            continue
        found.add(module)
        info = package.modules[module]
        if not (module == package.name and info.only_imports):
            pending.extend(info.imports - found)
    return found


def fingerprint(uses: Uses, package: Package) -> str:
    """Hash the code that a page with these ``uses`` runs; ``""`` if none of ours.

    Every module is imported (``__init__`` imports them all): the ones the page
    uses, and those any module calls on import, count whole; the others by
    their import-time code.
    """
    if not uses.modules:
        return ""
    on_import = set().union(*(m.calls_on_import for m in package.modules.values()))
    whole = closure(uses.modules | on_import, package)
    digest = hashlib.sha256(f"data {package.data}\n".encode())
    for name, module in sorted(package.modules.items()):
        if name not in whole:
            kind, value = "import-time", module.import_time
        elif uses.reads_text:
            kind, value = "text", module.text
        else:
            kind, value = "behaviour", module.behaviour
        digest.update(f"{name} {kind} {value}\n".encode())
    return digest.hexdigest()


def page_fingerprint(sources: list[str], package: Package) -> str:
    """Hash the package code that the code cells ``sources`` run."""
    return fingerprint(page_uses(sources, package), package)
