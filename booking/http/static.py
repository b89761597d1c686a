"""The front-end files the pages load, and nothing else.

node_modules holds whole npm packages (package.json, sources, licences); of it only
the built directories a page names are served, under the URLs the templates use.
One router keeps one route for the authorisation matrix; the file system it reads
through refuses everything outside those directories.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any

from litestar import Router
from litestar.file_system import BaseLocalFileSystem
from litestar.static_files import create_static_files_router
from litestar.types import PathType

# Served at /static/<path under the directory>.
DIRECTORIES = (Path("booking") / "static", Path("node_modules"))
# What may be read from them.
SERVED = (Path("booking") / "static", Path("node_modules") / "htmx.org" / "dist")


class FrontEndFiles(BaseLocalFileSystem):
    def __init__(self, served: list[Path]) -> None:
        self.served = [path.resolve() for path in served]

    async def info(self, path: PathType, **kwargs: Any) -> Any:
        # StaticFiles hands over the path already joined, resolved and normalised.
        if not any(PurePath(path).is_relative_to(root) for root in self.served):
            raise FileNotFoundError(path)
        return await super().info(path, **kwargs)


def static_router(root: Path, opt: dict[str, Any]) -> Router:
    """`opt` carries the capability the route declares (the toolkit knows none)."""
    return create_static_files_router(
        path="/static", directories=[root / d for d in DIRECTORIES],
        file_system=FrontEndFiles([root / s for s in SERVED]), include_in_schema=False, opt=opt)
