"""Every operator page controller, for the composition root."""

from __future__ import annotations

from booking.operator.approval_pages import ApprovalPages
from booking.operator.board_pages import BoardPages
from booking.operator.booking_actions import BookingActions
from booking.operator.closure_pages import ClosurePages
from booking.operator.on_behalf_pages import OnBehalfPages
from booking.operator.qualification_pages import QualificationPages
from booking.operator.resource_admin_pages import ResourceAdminPages

ROUTERS = [BoardPages, ApprovalPages, BookingActions, ResourceAdminPages, ClosurePages,
           QualificationPages, OnBehalfPages]
