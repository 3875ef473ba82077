"""Small releases with chosen ids, and a byte-for-byte picture of a data root, for publish tests."""
from __future__ import annotations

from pathlib import Path

from tests.release_factory import valid_descriptor, write_raw_release


def make_release(folder: Path, release_id: str, version: str = "1.0.0", title_en: str | None = None,
                 demo: bool = True, **overrides) -> Path:
    """A valid release with its own id (and anything else of the descriptor overridden)."""
    descriptor = valid_descriptor()
    descriptor.update({"id": release_id, "name": release_id, "version": version, "demo": demo,
                       "title_en": title_en or f"Release {release_id}", "title": f"Bản {release_id}", **overrides})
    return write_raw_release(Path(folder), descriptor=descriptor)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` (hidden ones included) with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file()}
