"""The architecture holds: layers, no import cycles, public names that are functions.

The rules (docs/architecture.md) are checked from the code itself, by parsing every module of
``klems``, ``capital_stock`` and ``price_index`` (imports inside functions included), so that the
next change cannot undo them silently.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from importlib.util import find_spec
from pathlib import Path

PACKAGES = ("klems", "capital_stock", "price_index")

#: layer -> the layers it may import (itself always allowed). Lower layers never import higher.
ALLOWED = {
    "klems.base": set(),
    "capital_stock": {"klems.base"},
    "price_index": {"klems.base"},
    "klems.accounts": {"klems.base", "capital_stock"},
    "klems.datasets": {"klems.base"},
    "klems.outputs": {"klems.base", "klems.datasets"},
    "klems.pipeline": {"klems.base", "klems.accounts", "klems.datasets", "klems.outputs",
                       "capital_stock", "price_index"},
    "klems.inputs": {"klems.base", "klems.datasets", "klems.outputs", "klems.pipeline",
                     "capital_stock", "price_index"},
    "klems.sweep": {"klems.base", "klems.accounts", "klems.datasets", "klems.outputs",
                    "klems.pipeline", "capital_stock", "price_index"},
    "klems.devindex": {"klems.base", "klems.datasets", "klems.outputs"},
    "klems.cli": {"klems.base", "klems.accounts", "klems.datasets", "klems.outputs",
                  "klems.pipeline", "klems.inputs", "klems.sweep", "klems.devindex",
                  "capital_stock", "price_index", "klems"},
    "klems": {"klems.base", "klems.cli"},   # klems/__init__ (lazy) and klems/__main__
}


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        spec = find_spec(pkg)
        root = Path(spec.origin).parent
        out[pkg] = root / "__init__.py"
        for info in pkgutil.walk_packages([str(root)], prefix=f"{pkg}."):
            if info.name == "klems.data" or info.name.startswith("klems.data."):
                continue
            path = Path(find_spec(info.name).origin)
            out[info.name] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The project module an import of ``name`` loads (the longest known prefix)."""
    parts = name.split(".")
    while parts:
        cand = ".".join(parts)
        if cand in MODULES:
            return cand
        parts.pop()
    return None


def _imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported project module, line, inside a function) for every import in ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    nested = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nested.update(id(n) for n in ast.walk(fn) if n is not fn)
    out = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{a.name}" for a in node.names]
        for n in names:
            target = _resolve(n)
            if target and target != module:
                out.append((target, node.lineno, id(node) in nested))
    return out


GRAPH = {m: _imports(m) for m in MODULES}


def _layer_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "klems":
        if len(parts) == 1 or parts[1] == "__main__":
            return "klems"
        return "klems." + parts[1]
    return parts[0]


def test_every_module_is_in_a_layer():
    unknown = sorted(m for m in MODULES if _layer_of(m) not in ALLOWED)
    assert not unknown, f"modules outside every layer: {unknown}"


def test_layers_import_only_downwards():
    """A module imports only its own layer and the layers below it (ALLOWED)."""
    bad = []
    for module, imports in GRAPH.items():
        layer = _layer_of(module)
        for target, line, _ in imports:
            tl = _layer_of(target)
            if tl != layer and tl not in ALLOWED[layer]:
                bad.append(f"{MODULES[module].name}:{line} {module} -> {target}")
    assert not bad, "imports against the layering:\n" + "\n".join(bad)


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w, _, _ in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in GRAPH:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    """No cycle among the modules, counting imports inside functions too."""
    assert _cycles() == []


def test_cycle_check_can_fail():
    """The cycle finder finds a cycle when there is one (so the test above can fail)."""
    saved = GRAPH["klems.base.errors"]
    GRAPH["klems.base.errors"] = saved + [("klems.base.provinces", 0, True)]
    try:
        assert ["klems.base.errors", "klems.base.provinces"] in _cycles()
    finally:
        GRAPH["klems.base.errors"] = saved


def test_no_project_imports_inside_functions():
    """Project imports sit at the top of the module, where the layering and cycles are visible.
    (Heavy third-party libraries may still be imported inside functions to keep start-up fast.)"""
    nested = [f"{m} line {line} -> {t}" for m, imps in GRAPH.items() for t, line, inside in imps
              if inside]
    assert not nested, "\n".join(nested)


def test_no_module_is_named_like_a_public_function():
    """``klems.estimate`` and friends stay functions: no submodule of a package has the name of a
    function the package exports (a submodule import would replace the attribute)."""
    import klems

    clashes = []
    for pkg in [m for m, p in MODULES.items() if p.name == "__init__.py"]:
        mod = importlib.import_module(pkg)
        exported = {name for name in getattr(mod, "__all__", ())
                    if not inspect.ismodule(getattr(mod, name))}
        children = {m.rsplit(".", 1)[1] for m in MODULES
                    if "." in m and m.rsplit(".", 1)[0] == pkg}
        clashes += [f"{pkg}.{name}" for name in exported & children]
    assert not clashes
    assert set(klems.__all__) >= {"estimate", "tornqvist", "capital_services", "load_dataset",
                                  "ahp_weights"}
