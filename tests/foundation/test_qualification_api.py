"""Operators grant and revoke qualifications; a revoked one no longer lets anyone book."""

from __future__ import annotations

from platforms.tables import Qualification
from tests.support.resources import at, iso, local_day, make_resource


async def test_grant_enables_booking_and_revoke_disables_it(client, people):
    engineer = await people.engineer()
    operator = await people.operator("mems")
    stranger = await people.operator("bio")
    qual = await Qualification.select().where(Qualification.code == "mems-lithography").first()
    resource = await make_resource(qualification=qual["id"])
    day = local_day(3)
    body = {"account_id": engineer.id, "qualification_id": qual["id"], "valid_days": 30}
    assert (await client.post("/api/qualification-grants", json=body,
                              headers=stranger.headers)).status_code == 403
    assert (await client.post("/api/qualification-grants", json=body,
                              headers=engineer.headers)).status_code == 403
    granted = await client.post("/api/qualification-grants", json=body, headers=operator.headers)
    assert granted.status_code == 201
    grant = granted.json()
    mine = (await client.get("/api/qualification-grants", headers=engineer.headers)).json()
    assert [g["id"] for g in mine] == [grant["id"]]
    slot = {"resource_id": resource, "start": iso(at(day, 9)), "end": iso(at(day, 10))}
    assert (await client.post("/api/bookings", json=slot, headers=engineer.headers)).status_code == 201
    revoked = await client.post(f"/api/qualification-grants/{grant['id']}/revoke",
                                headers=operator.headers)
    assert revoked.json()["revoked_at"]
    later = {**slot, "start": iso(at(day, 11)), "end": iso(at(day, 12))}
    refused = await client.post("/api/bookings", json=later, headers=engineer.headers)
    assert refused.status_code == 422 and refused.json()["code"] == "not_qualified"
