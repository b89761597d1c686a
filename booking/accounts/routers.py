"""The accounts capability's routes, for the app factory."""

from __future__ import annotations

from booking.accounts.enterprise_routes import EnterprisesApi, MeApi
from booking.accounts.invitation_pages import InvitationPages
from booking.accounts.member_routes import MembersApi

ROUTERS = [MeApi, EnterprisesApi, MembersApi, InvitationPages]
