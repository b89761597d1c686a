"""The statuses reach the API from their one declaration: the OpenAPI shows the enum and
the list filter refuses a status the vocabulary lacks."""

from __future__ import annotations

from booking.reservations.status import BookingStatus


async def test_the_openapi_shows_the_booking_status_enum(client):
    schema = (await client.get("/schema/openapi.json")).json()
    out = schema["components"]["schemas"]["BookingOut"]["properties"]
    status = out["status"]
    if "$ref" in status:
        status = schema["components"]["schemas"][status["$ref"].rsplit("/", 1)[-1]]
    assert sorted(status["enum"]) == sorted(s.value for s in BookingStatus)
    assert out["staff_operated"]["type"] == "boolean"


async def test_the_list_filter_takes_only_declared_statuses(client, people):
    engineer = await people.engineer()
    ok = await client.get("/api/bookings", params={"status": ["pending", "in_use"]},
                          headers=engineer.headers)
    assert ok.status_code == 200 and ok.json() == []
    unknown = await client.get("/api/bookings", params={"status": "awaiting"},
                               headers=engineer.headers)
    assert unknown.status_code == 400
