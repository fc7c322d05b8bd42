"""Helpers of the `docgen serve` tests: act like a unit and like the office."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path

from docgen.jobs import serve as job
from docgen.serve import links

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "plans" / "city" / "three-year-plan.yaml"
TODAY = dt.date(2025, 6, 30)
PASSWORD = "办公室的密码-2025"


def unit_links(served) -> dict[str, str]:
    return links.read(served.links_path)


def path_of(link: str) -> str:
    return link.replace("http://testserver", "")


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def fill(client, link: str, task: str, *, action: str = "submit", plan: str = "plans/city/three-year-plan.yaml",
         files=None, **values):
    page = client.get(path_of(link))
    version = re.search(rf'name="task" value="{task}">\s*<input type="hidden" name="version" value="(\d+)"', page.text)
    data = {"csrf": csrf(page.text), "plan": plan, "task": task, "version": version.group(1) if version else "0",
            "action": action, "status": "推进中", "done_date": "", "progress": "已部署", "reporter": "张明",
            "phone": "13800000000"}
    data.update(values)
    return client.post(path_of(link) + "/save", data=data, files=files, follow_redirects=False)


def office_login(client, served, name: str = "值班员") -> None:
    job.add_account(served.links_path.parent, name, PASSWORD)
    page = client.get("/office/login")
    r = client.post("/office/login", data={"csrf": csrf(page.text), "name": name, "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
