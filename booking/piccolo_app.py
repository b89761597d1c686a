import os

from piccolo.conf.apps import AppConfig

from booking.accounts.tables import (
    Account,
    ApiToken,
    Enterprise,
    EnterpriseTerm,
    Invitation,
    OperatorAssignment,
    QualificationGrant,
)
from booking.invites.tables import FeedBlock, FeedToken, OutboxMessage
from booking.reservations.tables import Booking, BookingEvent, Notification, Series, WaitlistEntry

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="booking",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "migrations"),
    table_classes=[
        Enterprise,
        EnterpriseTerm,
        Account,
        Invitation,
        OperatorAssignment,
        ApiToken,
        QualificationGrant,
        Series,
        Booking,
        BookingEvent,
        WaitlistEntry,
        Notification,
        OutboxMessage,
        FeedToken,
        FeedBlock,
    ],
    migration_dependencies=["platforms.piccolo_app"],
    commands=[],
)
