"""The invitation landing page: the invited member chooses a password, then is logged in."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Response, Template

from booking.accounts import invitations
from booking.accounts.permissions import Can, needs
from booking.accounts.rules import MIN_PASSWORD_LENGTH
from booking.errors import DomainError, RuleViolation
from i18n import gettext

Secret = Annotated[str, Parameter(max_length=invitations.MAX_SECRET_LENGTH)]
MAX_PASSWORD = 200


def _page(secret: str, *, invitation: dict | None = None, error: str = "",
          status_code: int = 200) -> Template:
    return Template("accounts/invitation.html", status_code=status_code, context={
        "secret": secret, "invitation": invitation, "error": error,
        "min_length": MIN_PASSWORD_LENGTH,
    })


class InvitationPages(Controller):
    path = "/invitations"
    include_in_schema = False
    opt = needs(Can.PUBLIC)

    @get("/{secret:str}")
    async def landing(self, secret: Secret) -> Template:
        try:
            invitation = await invitations.open_invitation(secret)
        except DomainError as exc:
            return _page(secret, error=gettext(exc.message, **exc.params),
                         status_code=exc.status_code)
        return _page(secret, invitation=invitation)

    @post("/{secret:str}")
    async def set_password(self, request: Request, secret: Secret) -> Response:
        form = await request.form()
        password = str(form.get("password", ""))[:MAX_PASSWORD]
        confirm = str(form.get("password_confirm", ""))[:MAX_PASSWORD]
        try:
            invitation = await invitations.open_invitation(secret)
        except DomainError as exc:
            return _page(secret, error=gettext(exc.message, **exc.params),
                         status_code=exc.status_code)
        try:
            if password != confirm:
                raise RuleViolation("password_mismatch", "The two passwords differ.")
            account_id = await invitations.accept(secret, password)
        except DomainError as exc:
            return _page(secret, invitation=invitation, status_code=exc.status_code,
                         error=gettext(exc.message, **exc.params))
        request.clear_session()
        request.set_session({"account_id": account_id})
        return Redirect(path="/", status_code=303)
