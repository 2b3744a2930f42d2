"""The apps' layering, read from the source with ast (nothing is imported to check it).

* graduated.access sits above the domain apps: no models module (graduated/<app>/models.py or
  graduated/<app>/models/) imports it, by any import statement anywhere in the module: at the top,
  in a function, or under TYPE_CHECKING.
* No models module is part of an import cycle. Only imports that run when a module is imported
  count here: those in the module's body and class bodies, including under ``if``/``try``/``with``,
  but not under ``if TYPE_CHECKING`` nor in functions (they run later, once everything is loaded).
  A cycle may pass through modules that are not models (pupils.models -> lib.x -> pupils.models).
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import graduated

ROOT = Path(graduated.__file__).resolve().parent
ACCESS = "graduated.access"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {module_name(path): path for path in ROOT.rglob("*.py")}
# graduated/<app>/models.py, and every module of a graduated/<app>/models/ package.
MODELS = sorted(
    name for name, path in MODULES.items() if path.relative_to(ROOT).parts[1:2] in {("models.py",), ("models",)}
)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_on_import(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a module that run when it is imported."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If):
            if not _is_type_checking(statement.test):
                yield from _run_on_import(statement.body)
            yield from _run_on_import(statement.orelse)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                yield from _run_on_import(block)
            for handler in statement.handlers:
                yield from _run_on_import(handler.body)
        elif isinstance(statement, (ast.With, ast.ClassDef)):
            yield from _run_on_import(statement.body)


def _imported(node: ast.Import | ast.ImportFrom, importer: str) -> set[str]:
    """The module names an import statement names (``from a import b`` names a.b when b is a module)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    return {f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names}


def imports(name: str, *, on_import_only: bool) -> set[str]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"), filename=str(MODULES[name]))
    statements = _run_on_import(tree.body) if on_import_only else ast.walk(tree)
    found: set[str] = set()
    for node in statements:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= _imported(node, name)
    return found


def _runs(name: str, importer: str) -> set[str]:
    """The graduated modules an import of ``name`` runs: it and its packages (but not the importer's
    own packages, which are already being imported when the importer runs)."""
    parts = name.split(".")
    packages = {".".join(parts[:n]) for n in range(1, len(parts) + 1)}
    own = {".".join(importer.split(".")[:n]) for n in range(1, importer.count(".") + 1)}
    return {module for module in packages - own if module in MODULES}


def import_graph() -> dict[str, set[str]]:
    return {
        name: {run for imported in imports(name, on_import_only=True) for run in _runs(imported, name)} - {name}
        for name in MODULES
    }


def cycle_through(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """A path of imports from ``start`` back to itself, or None."""
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        module, path = stack.pop()
        for nxt in sorted(graph[module]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_the_models_modules_are_found() -> None:
    assert {"graduated.pupils.models", "graduated.organisations.models", "graduated.audit.models"} <= set(MODELS)


def test_no_models_module_imports_the_access_policy() -> None:
    offenders = {
        name: sorted(m for m in imports(name, on_import_only=False) if m == ACCESS or m.startswith(f"{ACCESS}."))
        for name in MODELS
    }
    assert not {name: found for name, found in offenders.items() if found}, (
        "models must not import graduated.access (it imports them): move the check into a lookup "
        f"in graduated/access/ or a selector: {offenders}"
    )


def test_no_models_module_is_in_an_import_cycle() -> None:
    graph = import_graph()
    cycles = [cycle for name in MODELS if (cycle := cycle_through(name, graph))]
    assert not cycles, "import cycles through models modules:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checks_see_imports_at_every_level() -> None:
    """Not vacuous: access imports models (so models importing access would be a cycle), and the scan
    finds imports in functions and under TYPE_CHECKING when asked to."""
    graph = import_graph()
    assert "graduated.pupils.models" in graph["graduated.access.pupils"]
    assert "graduated.pupils" in graph["graduated.access.pupils"]  # its package runs first
    on_import = imports("graduated.records.runs", on_import_only=True)
    anywhere = imports("graduated.records.runs", on_import_only=False)
    assert "graduated.records.tasks" in anywhere - on_import  # imported inside a function
    assert "graduated.audit.services" in imports("graduated.audit.reach", on_import_only=False)
    assert "graduated.audit.services" not in imports("graduated.audit.reach", on_import_only=True)
    assert cycle_through("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_through("a", {"a": {"b"}, "b": {"c"}, "c": {"b"}}) is None  # b and c loop, a is not in it
