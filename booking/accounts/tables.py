"""Enterprises, people, roles and credentials."""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.accounts.roles import Role
from calendars.zones import DEFAULT_ZONE_NAME
from platforms.tables import Platform, Qualification

ROLES = tuple(Role)


class Enterprise(Table):
    id = Serial(primary_key=True)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    uscc = Varchar(length=18, unique=True)  # unified social credit code, GB 32100
    tier = Varchar(length=16, default="park")  # park | external | academic
    is_sme = Boolean(default=False)
    is_specialised = Boolean(default=False)  # 专精特新
    contact_name = Varchar(length=100, default="")
    contact_email = Varchar(length=200, default="")
    contact_phone = Varchar(length=50, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Account(Table):
    id = Serial(primary_key=True)
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=200)
    display_name = Varchar(length=100, default="")
    role = Varchar(length=20, default="engineer", index=True)
    enterprise = ForeignKey(references=Enterprise, null=True, index=True)
    locale = Varchar(length=10, null=True, default=None)
    timezone = Varchar(length=64, default=DEFAULT_ZONE_NAME)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)


class OperatorAssignment(Table):
    id = Serial(primary_key=True)
    account = ForeignKey(references=Account, index=True)
    platform = ForeignKey(references=Platform, index=True)


class ApiToken(Table):
    id = Serial(primary_key=True)
    account = ForeignKey(references=Account, index=True)
    name = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True)  # sha256 hex of the secret
    prefix = Varchar(length=12, default="")  # shown to the owner to tell tokens apart
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class QualificationGrant(Table):
    id = Serial(primary_key=True)
    account = ForeignKey(references=Account, index=True)
    qualification = ForeignKey(references=Qualification, index=True)
    granted_by = ForeignKey(references=Account, null=True)
    granted_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    revoked_by = ForeignKey(references=Account, null=True)
