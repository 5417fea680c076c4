"""The import graph of the project's own code, read from the source with `ast` (nothing imported).

Every `import` counts, at module level and inside a function alike: an import hidden in a function
is still an arrow, and the usual way a circle is hidden. Only the imports under
`if TYPE_CHECKING:` are apart (`Import.typing_only`): they never run, so they close no circle at
run time, but they still point from one room to another, so the layer rules read them too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The packages and scripts whose imports are read: the product, its benchmarks and its router.
SOURCES = ("tracker", "bench", "dashboard.py")


@dataclass(frozen=True)
class Import:
    """One arrow: `importer` imports `imported` at `line`. `imported` is one of the project's
    modules, or for anything else (`external`) its top-level package: `streamlit`, `pandas`."""

    importer: str
    imported: str
    line: int
    in_function: bool
    typing_only: bool
    external: bool = False


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path = ROOT) -> Iterator[Path]:
    for source in SOURCES:
        path = root / source
        if path.is_file():
            yield path
        else:
            yield from sorted(path.rglob("*.py"))


def known_modules(root: Path = ROOT) -> dict[str, Path]:
    return {module_name(path, root): path for path in source_files(root)}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(
    node: ast.Import | ast.ImportFrom, importer: str, is_package: bool, modules: dict[str, Path]
) -> list[tuple[str, bool]]:
    """What a statement imports: the project's modules (`from a import b` is `a.b` where b is
    one), and the top-level package of anything else, marked external."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = importer.split(".") if is_package else importer.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base] if base else package)
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
            for alias in node.names
        ]
    found: set[tuple[str, bool]] = set()
    for name in names:
        # `import a.b.c` names a module; walk up to the nearest one that is the project's own.
        parts = name.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        if not parts:
            found.add((name.split(".")[0], True))
        elif ".".join(parts) != importer:
            found.add((".".join(parts), False))
    return sorted(found)


def imports_of(path: Path, modules: dict[str, Path], root: Path = ROOT) -> list[Import]:
    importer = module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, typing_only: bool) -> None:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for imported, external in _targets(node, importer, is_package, modules):
                found.append(
                    Import(importer, imported, node.lineno, in_function, typing_only, external)
                )
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, in_function, True)
            for child in node.orelse:
                visit(child, in_function, typing_only)
            return
        inside = in_function or isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
        )
        for child in ast.iter_child_nodes(node):
            visit(child, inside, typing_only)

    visit(tree, False, False)
    return found


def all_imports(root: Path = ROOT) -> list[Import]:
    modules = known_modules(root)
    return [found for path in modules.values() for found in imports_of(path, modules, root)]


def circles(imports: Iterable[Import]) -> list[list[str]]:
    """Every set of modules that import one another round a circle (Tarjan's strongly connected
    components of more than one module, or a module importing itself), at run time."""
    graph: dict[str, set[str]] = {}
    for found in imports:
        if not found.typing_only and not found.external:
            graph.setdefault(found.importer, set()).add(found.imported)
            graph.setdefault(found.imported, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(start: str) -> None:
        # Iterative, so a deep graph never meets Python's recursion limit.
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(components)


def within(module: str, room: str) -> bool:
    return module == room or module.startswith(room + ".")
