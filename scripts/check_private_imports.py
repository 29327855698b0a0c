"""Refuse imports of another app's private names: `from yigou.ledger.table import _footnotes` in reporting.

import-linter checks which modules may import which; it cannot see names. A leading underscore says "only this
app relies on it", so a second app that needs it must ask for a public function instead. Tests may reach in.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def app_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "yigou" else parts[0]


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def resolve(current: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".")[: -node.level]
    return ".".join([*base, node.module] if node.module else base)


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def violations(path: Path) -> list[str]:
    current = module_name(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.ImportFrom):
            continue
        source = resolve(current, node)
        if not source.startswith("yigou.") or app_of(source) == app_of(current):
            continue
        names = [part for part in source.split(".") if is_private(part)]
        names += [f"{source}.{a.name}" for a in node.names if is_private(a.name)]
        found += [f"{path.relative_to(ROOT)}:{node.lineno}: {current} imports {name}" for name in names]
    return found


def main() -> int:
    problems = [line for path in sorted((ROOT / "yigou").rglob("*.py")) for line in violations(path)]
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} import(s) of another app's private names")
        return 1
    print("private imports: none across apps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
