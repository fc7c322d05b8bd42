"""Fixtures of the `docgen serve` tests: the city's three-year plan served from a temporary data
folder, a Starlette TestClient on it, and helpers that act like a unit and like the office."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.jobs import serve as job
from docgen.jobs.check import settings_for
from docgen.serve import links

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "plans" / "city" / "three-year-plan.yaml"
TODAY = dt.date(2025, 6, 30)
PASSWORD = "办公室的密码-2025"


@pytest.fixture(scope="session")
def catalogue():
    cat, problems = job.load_catalogue([PLAN], settings_for, ROOT)
    assert not problems
    return cat


@pytest.fixture
def served(catalogue, tmp_path):
    started = job.start(catalogue, tmp_path / "data", url=None, base_url="http://testserver")
    yield started
    started.store.close()


@pytest.fixture
def client(served):
    with TestClient(job.app_for(served, today=lambda: TODAY)) as c:
        yield c


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
