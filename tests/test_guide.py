"""docs/organiser-guide.md runs: every curl in its ```sh blocks, in order, against the real app.

The guide's requests are plain shell (curl, and jq to keep an id). This test reads them back: the curl
options the guide uses (-X -H -d -F -o, -f for "fail on an error answer"), `VAR=$(curl … | jq -r PATH)`
to keep a value, and a trailing `# until PATH == "value"` for jobs that are read until they finish.
"""

from __future__ import annotations

import asyncio
import re
import shlex
from pathlib import Path
from typing import Any

import httpx
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import create_organiser

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "organiser-guide.md"
CAPTURE = re.compile(r"^(\w+)=\$\((.*)\)$")
UNTIL = re.compile(r"\s+#\s*until\s+(\S+)\s*==\s*\"([^\"]*)\"$")


def guide_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    lines = "\n".join(blocks).replace("\\\n", " ").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def jq(value: Any, path: str) -> Any:
    """The `jq -r` paths the guide uses: `.a.b`, `.items[0].id`."""
    for name, index in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        value = value[name] if name else value[int(index)]
    return value


def expand(word: str, env: dict[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: env[m.group(1)], word)


def to_request(words: list[str], env: dict[str, str]) -> dict[str, Any]:
    assert words[0] == "curl", words
    method, headers, data, files, url = None, {}, [], {}, None
    it = iter(words[1:])
    for word in it:
        if word in ("-s", "-f", "-sf"):
            continue
        if word == "-X":
            method = next(it)
        elif word == "-H":
            key, _, value = expand(next(it), env).partition(":")
            headers[key.strip()] = value.strip()
        elif word == "-d":
            data.append(expand(next(it), env))
        elif word == "-F":
            name, _, spec = next(it).partition("=@")
            path, _, ctype = spec.partition(";type=")
            files[name] = (Path(path).name, (ROOT / path).read_bytes(), ctype or "application/octet-stream")
        elif word == "-o":
            next(it)
        else:
            url = httpx.URL(expand(word, env))
    assert url is not None, words
    request: dict[str, Any] = {
        "method": method or ("POST" if data or files else "GET"),
        "url": url.raw_path.decode(),
        "headers": headers,
    }
    if files:
        request["files"] = files
    elif headers.get("Content-Type") == "application/json":
        request["content"] = "".join(data)
    elif data:
        request["data"] = dict(pair.split("=", 1) for pair in data)
    return request


async def run_curl(client: AsyncClient, command: str, env: dict[str, str]) -> httpx.Response:
    until = UNTIL.search(command)
    command = UNTIL.sub("", command)
    request = to_request(shlex.split(command), env)
    for _ in range(1200):
        response = await client.request(**request)
        assert response.status_code < 400, f"{command}\n-> {response.status_code} {response.text[:500]}"
        if until is None or str(jq(response.json(), until.group(1))) == until.group(2):
            return response
        assert response.json().get("status") != "failed", response.text
        await asyncio.sleep(0.05)
    raise AssertionError(f"never reached {until.group(0) if until else ''}: {command}")


async def test_the_organiser_guide_runs_as_written(client: AsyncClient, db: AsyncEngine) -> None:
    await create_organiser(db, "organiser@example.org", "long-password")  # the guide's `matchmaker create-organiser`
    env: dict[str, str] = {}
    ran = 0
    for line in guide_commands():
        if line.startswith("API="):
            env["API"] = "http://127.0.0.1:8000/api/v1"
            assert line == f"API={env['API']}"
            continue
        captured = CAPTURE.match(line)
        if captured:
            name, inner = captured.groups()
            command, _, path = inner.partition(" | jq -r ")
            value = jq((await run_curl(client, command, env)).json(), shlex.split(path)[0])
            assert value not in (None, ""), f"{line}: {path} is empty"
            env[name] = str(value)
        else:
            response = await run_curl(client, line, env)
            assert response.status_code == 204 or response.content, f"{line}: empty answer"
        ran += 1
    assert ran == 21, f"the guide has {ran} requests; update this count when adding steps"
    # What the walk-through promises: Ana's accepted request became a scheduled, published meeting.
    headers = {"Authorization": f"Bearer {env['ANA_TOKEN']}"}
    agenda = (
        await client.get(f"/api/v1/events/{env['EVENT']}/participants/{env['ANA']}/agenda", headers=headers)
    ).json()
    assert agenda["published"] is True
    assert any(item.get("starts_at") for item in agenda["items"]), agenda
