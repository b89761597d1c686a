"""Background jobs run in-process: expire pending holds, mark no-shows, deliver mail,
serialise the feed blocks of changed bookings.

Each job is an idempotent sweep, safe to run from several processes at once (the
writes go through the same locked transactions as requests).
"""

from __future__ import annotations

import asyncio
import logging

from booking.settings import Settings

log = logging.getLogger("parkbench.jobs")
# icalendar serialises ~2,000 blocks a second: a run yields to requests every 100.
FEED_BLOCKS_PER_RUN = 5000


async def run_once(settings: Settings) -> dict[str, int]:
    from booking.invites import feed_blocks, outbox
    from booking.reservations import sweeps

    results = await sweeps.run_all()
    results["mail_sent"] = await outbox.deliver_due(settings)
    # After the booking transactions have committed, off the request path.
    results["feed_blocks"] = await feed_blocks.refresh_stale(
        settings.base_url, limit=FEED_BLOCKS_PER_RUN)
    return results


async def run_forever(settings: Settings) -> None:
    while True:
        try:
            await run_once(settings)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a failed sweep must not stop the next one
            log.exception("background sweep failed")
        await asyncio.sleep(settings.job_interval_seconds)
