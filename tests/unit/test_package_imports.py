"""No two packages of services/ import each other, directly or round a circle: a reaction
across concepts goes through the message bus (services/events/bus.py), a shared rule sits in a
package both depend on. The graph is read from the source with `ast`, imports inside functions
and under TYPE_CHECKING included."""

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "services"


def _imported(node: ast.AST, module: str) -> list[str]:
    """The dotted names an import statement in `module` brings in."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    source = node.module or ""
    if node.level:  # relative: against the importing module's package
        source = ".".join([*module.split(".")[: -node.level], *source.split(".")]).strip(".")
    return [f"{source}.{alias.name}" for alias in node.names]  # `from services import x`


def package_imports(root: Path = SERVICES) -> dict[str, set[str]]:
    """services package -> the other services packages its modules import."""
    graph: dict[str, set[str]] = {}
    for package in sorted(p for p in root.iterdir() if (p / "__init__.py").exists()):
        found = graph.setdefault(package.name, set())
        for path in package.rglob("*.py"):
            module = ".".join(("services", *path.relative_to(root).with_suffix("").parts))
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                for name in _imported(node, module):
                    parts = name.split(".")
                    if parts[0] == "services" and len(parts) > 1 and parts[1] != package.name:
                        found.add(parts[1])
    return {name: deps & graph.keys() for name, deps in graph.items()}


def a_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Packages that import each other round in a circle (two or more), or [] when none do."""
    done: set[str] = set()

    def walk(package: str, path: list[str]) -> list[str]:
        if package in path:
            return [*path[path.index(package) :], package]
        if package in done:
            return []
        for imported in sorted(graph[package]):
            found = walk(imported, [*path, package])
            if found:
                return found
        done.add(package)
        return []

    return next((c for c in (walk(p, []) for p in sorted(graph)) if c), [])


def test_no_service_packages_import_each_other():
    assert a_cycle(package_imports()) == []


def _packages(root: Path, sources: dict[str, str]) -> Path:
    for name, source in sources.items():
        (root / name).mkdir(parents=True)
        (root / name / "__init__.py").write_text("")
        (root / name / "mod.py").write_text(source)
    return root


def test_the_check_sees_imports_inside_functions_and_longer_circles(tmp_path):
    pair = _packages(
        tmp_path / "pair",
        {
            "alpha": "from services.beta.x import y\n",
            "beta": "def f():\n    from services.alpha import z\n",
        },
    )
    assert a_cycle(package_imports(pair)) == ["alpha", "beta", "alpha"]
    circle = _packages(
        tmp_path / "circle",
        {
            "alpha": "from services import beta\n",
            "beta": "import services.gamma.mod\n",
            "gamma": "from services.alpha.mod import f\n",
        },
    )
    assert a_cycle(package_imports(circle)) == ["alpha", "beta", "gamma", "alpha"]
    line = _packages(
        tmp_path / "line",
        {"alpha": "from services.beta import x\n", "beta": "from services.events import y\n"},
    )
    assert a_cycle(package_imports(line)) == []


def positional_overflows(root: Path = SERVICES) -> list[str]:
    """Functions of services/ that take more than four arguments by position (self and cls not
    counted): past four, a call reads only with names."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                positional = [
                    a.arg
                    for a in (*node.args.posonlyargs, *node.args.args)
                    if a.arg not in ("self", "cls")
                ]
                if len(positional) > 4:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    return found


def test_service_functions_take_arguments_past_four_by_keyword(tmp_path):
    assert positional_overflows() == []
    (tmp_path / "m.py").write_text(
        "def f(a, b, c, d, e):\n    pass\ndef g(a, b, c, d, *, e):\n    pass\n"
    )
    assert positional_overflows(tmp_path) == ["m.py:1 f"]
