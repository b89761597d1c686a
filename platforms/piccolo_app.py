import os

from piccolo.conf.apps import AppConfig

from platforms.tables import Closure, OpeningHours, Platform, Qualification, Resource, Tariff

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="platforms",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "migrations"),
    table_classes=[Platform, Qualification, Resource, OpeningHours, Closure, Tariff],
    migration_dependencies=[],
    commands=[],
)
