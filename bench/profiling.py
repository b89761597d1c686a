"""Reading ``py-spy record --format raw`` output (collapsed stacks): the functions that
take the most samples, by own time and by inclusive time, for the bench's profile run."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_APP = ("booking/", "platforms/", "calendars/", "i18n/", "piccolo/engine/", "asyncpg/pool",
        "aiosqlite/core", "email/", "litestar/concurrency")
_IDLE = ("select (selectors.py", "_run_once (asyncio/base_events.py", "run_forever",
         "poll (selectors.py")


def _short(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['func']} ({path})"


def summarise(raw: Path, top: int = 25) -> dict:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = idle = requests = 0
    app: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";")]
        # The first frame is py-spy's process/thread label, not code.
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        total += count
        if frames and any(frames[-1].startswith(i) for i in _IDLE):
            idle += count
            continue
        if frames:
            own[frames[-1]] += count
        if any(f.startswith("ASGIRouter.__call__") for f in frames):
            requests += count
            for frame in {f for f in frames if f.split("(")[-1].startswith(_APP)}:
                app[frame] += count
        for frame in set(frames):
            inclusive[frame] += count
    busy = max(total - idle, 1)
    handling = max(requests, 1)

    def table(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, round(100 * n / busy, 1)) for name, n in counter.most_common(top)]

    return {"samples": total, "idle_samples": idle, "own_pct_of_busy": table(own),
            "inclusive_pct_of_busy": table(inclusive), "request_samples": requests,
            "app_pct_of_request_samples": [(name, round(100 * n / handling, 1))
                                           for name, n in app.most_common(top)]}


def render(title: str, summary: dict, top: int = 15) -> str:
    lines = [f"== {title}: {summary['samples']} samples, "
             f"{summary['idle_samples']} idle in the event loop"]
    lines.append(f"  app and driver frames, % of the {summary['request_samples']} samples "
                 "inside request handling (inclusive):")
    lines += [f"    {pct:5.1f}  {name}"
              for name, pct in summary["app_pct_of_request_samples"][:top]]
    lines.append("  inclusive % of busy samples:")
    lines += [f"    {pct:5.1f}  {name}" for name, pct in summary["inclusive_pct_of_busy"][:top]]
    lines.append("  own (self) % of busy samples:")
    lines += [f"    {pct:5.1f}  {name}" for name, pct in summary["own_pct_of_busy"][:top]]
    return "\n".join(lines)
