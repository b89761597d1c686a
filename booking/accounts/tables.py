"""Enterprises, people, roles and credentials."""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from booking.accounts.roles import Role
from calendars.zones import DEFAULT_ZONE_NAME
from platforms.choices import Tier
from platforms.tables import Platform, Qualification

ROLES = tuple(Role)


class Enterprise(Table):
    id = Serial(primary_key=True)
    name_zh = Varchar(length=200)
    name_en = Varchar(length=200, default="")
    uscc = Varchar(length=18, unique=True)  # unified social credit code, GB 32100
    tier = Varchar(length=16, default=Tier.PARK.value)
    # EnterpriseCategory codes, comma-separated in declaration order; is_sme and is_specialised
    # are derived from them by the one writer (booking.accounts.enterprises) for reports.
    categories = Varchar(length=200, default="")
    is_sme = Boolean(default=False)
    is_specialised = Boolean(default=False)  # 专精特新
    # The credit code of the actual controller: enterprises sharing it form one group.
    controller_uscc = Varchar(length=18, default="", index=True)
    contact_name = Varchar(length=100, default="")
    contact_email = Varchar(length=200, default="")
    contact_phone = Varchar(length=50, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class EnterpriseTerm(Table):
    """One search term of an enterprise: a character bigram of its Chinese name, a
    lowercased Latin word, or its credit code (see ``booking.accounts.search``).

    The lookup index ``enterprise_term_lookup (term, enterprise)`` is made by a raw
    migration, with the byte order PostgreSQL needs for prefix ranges.
    """

    id = Serial(primary_key=True)
    enterprise = ForeignKey(references=Enterprise, on_delete=OnDelete.cascade, index=True)
    term = Varchar(length=64)


class Account(Table):
    id = Serial(primary_key=True)
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=200)
    display_name = Varchar(length=100, default="")
    role = Varchar(length=20, default=Role.ENGINEER.value, index=True)
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


class Invitation(Table):
    """A single-use link that lets a new member set their password; only its hash is kept."""

    id = Serial(primary_key=True)
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    invited_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
