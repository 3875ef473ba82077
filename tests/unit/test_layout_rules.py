"""Pages are thin: they read choices, call one content function per block and render.

Parsed with `ast`, so the rules hold for every page without running it: no pandas in `pages/`
(its table work belongs in `dashboard/content/`, where it is tested), and no hand-made cache keys
(a page's cached results are named functions in `dashboard/ui/page_data.py`, whose arguments are
the key).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parents[2] / "pages").glob("*.py"))
# DataFrame methods that filter, reshape or derive a table: content work, not a page's.
PANDAS_METHODS = {"isin", "iloc", "loc", "copy", "rename", "assign", "sort_values", "drop_duplicates", "groupby",
                  "merge", "pivot_table", "reset_index", "set_index", "iterrows", "itertuples", "unique", "dropna",
                  "query", "apply", "head", "nunique", "max", "min", "sum", "mean", "any", "all", "map"}


def _is_mask(node: ast.AST) -> bool:
    """A boolean mask: `a == b`, `(a == b) & (c > d)`, `~(a == b)`."""
    if isinstance(node, ast.Compare):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
        return _is_mask(node.left) or _is_mask(node.right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        return _is_mask(node.operand)
    return False


def violations(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in {"pandas", "numpy"} for a in node.names):
            found.append(f"line {node.lineno}: imports {', '.join(a.name for a in node.names)}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in {"pandas", "numpy"}:
            found.append(f"line {node.lineno}: imports from {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr == "memo":
            found.append(f"line {node.lineno}: .memo (name a cached function in dashboard/ui/page_data.py)")
        elif isinstance(node, ast.Attribute) and node.attr in PANDAS_METHODS:
            found.append(f"line {node.lineno}: .{node.attr} (table work belongs in dashboard/content/)")
        elif isinstance(node, ast.Subscript) and _is_mask(node.slice):
            found.append(f"line {node.lineno}: indexing with a boolean mask (filter in dashboard/content/)")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_is_thin(page):
    assert violations(page.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source, rule", [
    ("import pandas as pd", "imports pandas"),
    ("from pandas import DataFrame", "imports from pandas"),
    ("x = cached.memo('k', (1,), lambda: 1)", ".memo"),
    ("rows = rows[rows['year'] == year]", "boolean mask"),
    ("rows = rows[(rows['a'] == 1) & (rows['b'] > 2)]", "boolean mask"),
    ("rows = rows[~(rows['a'] == 1)]", "boolean mask"),
    ("rows = rows[rows['a'].isin(codes)]", ".isin"),
    ("latest = rows['year'].max()", ".max"),
    ("years = idx['year']", None),  # reading a column to pass it on is fine
    ("shown = shown.copy()", ".copy"),
])
def test_the_rules_catch_what_they_name(source, rule):
    """Each rule fails on an example of what it forbids (a rule that cannot fail is no rule)."""
    found = " ".join(violations(source))
    if rule is None:
        assert found == ""
    else:
        assert rule in found
