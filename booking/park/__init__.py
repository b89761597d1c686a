"""The park administrator's pages: the enterprise register."""

from __future__ import annotations


def _pages() -> list:
    from booking.park.enterprise_pages import EnterpriseRegisterPages

    return [EnterpriseRegisterPages]


def __getattr__(name: str):
    if name == "PAGES":
        return _pages()
    raise AttributeError(name)
