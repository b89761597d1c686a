"""The engineer pages: the catalog, calendar and booking, my bookings, account, enterprise
admin."""

from __future__ import annotations


def _pages() -> list:
    from booking.web.account_pages import AccountPages
    from booking.web.booking_pages import BookingPages
    from booking.web.calendar_pages import CalendarPages
    from booking.web.catalog_pages import CatalogPages
    from booking.web.enterprise_pages import EnterprisePages
    from booking.web.people_pages import PeoplePages

    return [CatalogPages, CalendarPages, BookingPages, AccountPages, EnterprisePages, PeoplePages]


def __getattr__(name: str):
    if name == "PAGES":
        return _pages()
    raise AttributeError(name)
