"""Load generators: ``wrk`` with a Lua script (light; preferred), or an asyncio httpx
client as a fallback when ``wrk`` is not installed (it costs far more CPU, which on a
2-core machine is taken from the server under test).

Both send random work from the data-set spec: POST /api/bookings for a random bench
resource and a random 30–120-minute slot on the half-hour grid inside the pre-filled
year, or GET one day of availability. Both are bounded by time and by request count,
talk to 127.0.0.1 only, and return the same dict: requests, seconds, req_per_s,
p50_ms, p99_ms, statuses (status code -> count), errors.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

CELLS_MAX = 4  # a slot is 1..4 half-hours


def _lua_list(items) -> str:
    return "{" + ", ".join(items) + "}"


def wrk_script(spec: dict, mode: str, max_requests: int, seed: int) -> str:
    resources = _lua_list(str(r["id"]) for r in spec["resources"])
    tokens = _lua_list(json.dumps(p["token"]) for p in spec["people"])
    origin = int(datetime.fromisoformat(spec["origin"]).timestamp())
    cells = spec["horizon_days"] * 48 - CELLS_MAX
    return f"""
local resources = {resources}
local tokens = {tokens}
local origin = {origin}
local cells = {cells}
local days = {spec["horizon_days"] - 1}
local max_requests = {max_requests}
local mode = "{mode}"
local threads = {{}}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed({seed} + id * 7919)
  counts = {{}}
  done_requests = 0
end

local function iso(epoch)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", epoch)
end

function request()
  local headers = {{}}
  headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]
  local resource = resources[math.random(#resources)]
  if mode == "create" then
    local start = origin + math.random(0, cells) * 1800
    local stop = start + math.random(1, {CELLS_MAX}) * 1800
    headers["Content-Type"] = "application/json"
    local body = '{{"resource_id": ' .. resource .. ', "start": "' .. iso(start) ..
      '", "end": "' .. iso(stop) .. '"}}'
    return wrk.format("POST", "/api/bookings", headers, body)
  end
  local day = origin + math.random(0, days) * 86400
  return wrk.format("GET", "/api/resources/" .. resource .. "/availability?start=" ..
    iso(day) .. "&end=" .. iso(day + 86400), headers, nil)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  done_requests = done_requests + 1
  if done_requests >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local statuses = {{}}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for status, n in pairs(c) do
      statuses[tostring(status)] = (statuses[tostring(status)] or 0) + n
    end
  end
  local parts = {{}}
  for status, n in pairs(statuses) do
    table.insert(parts, '"' .. status .. '": ' .. n)
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout
  io.write("WRK-RESULT " .. string.format(
    '{{"requests": %d, "seconds": %.4f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"mean_ms": %.3f, "errors": %d, "statuses": {{%s}}}}',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000, errors,
    table.concat(parts, ", ")) .. "\\n")
end
"""


def run_wrk(spec: dict, *, port: int, mode: str, clients: int, duration: float,
            max_requests: int, workdir: Path, seed: int) -> dict:
    script = workdir / f"wrk-{mode}-{seed}.lua"
    script.write_text(wrk_script(spec, mode, max_requests, seed))
    # One wrk thread drives all connections: it is an event loop, and a second thread
    # would only take CPU from the server.
    command = ["wrk", "-t1", f"-c{clients}", f"-d{max(int(duration), 1)}s", "--timeout", "10s",
               "-s", str(script), f"http://127.0.0.1:{port}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60,
                          check=False)
    for line in done.stdout.splitlines():
        if line.startswith("WRK-RESULT "):
            result = json.loads(line.removeprefix("WRK-RESULT "))
            result["req_per_s"] = result["requests"] / result["seconds"]
            result["client"] = "wrk"
            return result
    raise RuntimeError(f"wrk printed no result: {done.stdout}\n{done.stderr}")


async def _httpx_phase(spec: dict, *, port: int, mode: str, clients: int, duration: float,
                       max_requests: int, seed: int) -> dict:
    import httpx

    rng = random.Random(seed)
    origin = datetime.fromisoformat(spec["origin"])
    cells = spec["horizon_days"] * 48 - CELLS_MAX
    resources = [r["id"] for r in spec["resources"]]
    tokens = [p["token"] for p in spec["people"]]
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors = 0
    deadline = time.monotonic() + duration
    issued = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, issued
        while time.monotonic() < deadline and issued < max_requests:
            issued += 1
            headers = {"Authorization": f"Bearer {rng.choice(tokens)}"}
            resource = rng.choice(resources)
            began = time.perf_counter()
            try:
                if mode == "create":
                    start = origin + timedelta(minutes=30 * rng.randint(0, cells))
                    end = start + timedelta(minutes=30 * rng.randint(1, CELLS_MAX))
                    answer = await client.post("/api/bookings", headers=headers, json={
                        "resource_id": resource, "start": start.isoformat(),
                        "end": end.isoformat()})
                else:
                    day = origin + timedelta(days=rng.randint(0, spec["horizon_days"] - 1))
                    answer = await client.get(
                        f"/api/resources/{resource}/availability", headers=headers,
                        params={"start": day.isoformat(),
                                "end": (day + timedelta(days=1)).isoformat()})
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - began)
            key = str(answer.status_code)
            statuses[key] = statuses.get(key, 0) + 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    began = time.perf_counter()
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits,
                                 timeout=10.0) as client:
        await asyncio.gather(*(worker(client) for _ in range(clients)))
    seconds = time.perf_counter() - began
    latencies.sort()

    def pct(q: float) -> float:
        return latencies[min(int(q * len(latencies)), len(latencies) - 1)] * 1000 \
            if latencies else float("nan")

    return {"requests": len(latencies), "seconds": seconds,
            "req_per_s": len(latencies) / seconds, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "mean_ms": sum(latencies) / max(len(latencies), 1) * 1000, "errors": errors,
            "statuses": statuses, "client": "httpx"}


def run_phase(spec: dict, *, client: str, port: int, mode: str, clients: int,
              duration: float, max_requests: int, workdir: Path, seed: int) -> dict:
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "httpx"
    if client == "wrk":
        return run_wrk(spec, port=port, mode=mode, clients=clients, duration=duration,
                       max_requests=max_requests, workdir=workdir, seed=seed)
    # The httpx client runs in its own process, so it is not the orchestrator's loop.
    spec_file = workdir / "spec.json"
    command = [sys.executable, str(Path(__file__).resolve()), str(spec_file), str(port), mode,
               str(clients), str(duration), str(max_requests), str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    spec_path, port_arg, mode_arg, clients_arg, duration_arg, max_arg, seed_arg = sys.argv[1:8]
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    outcome = asyncio.run(_httpx_phase(
        json.loads(Path(spec_path).read_text()), port=int(port_arg), mode=mode_arg,
        clients=int(clients_arg), duration=float(duration_arg), max_requests=int(max_arg),
        seed=int(seed_arg)))
    print(json.dumps(outcome))
