"""`docgen serve` through an HTTP client (Starlette's TestClient): what a unit and the office see
and may do, and what a hostile request gets."""

from __future__ import annotations

import io
import re

import openpyxl

from docgen.notify.ledger import STATUSES
from tests.serve.helpers import csrf, fill, office_login, path_of, unit_links

PLAN = "plans/city/three-year-plan.yaml"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def task_ids(html: str) -> list[str]:
    return re.findall(r'name="task" value="([^"]+)"', html)


def test_a_unit_sees_only_its_own_tasks_with_its_deadlines_and_shares(client, served, catalogue):
    links = unit_links(served)
    page = client.get(path_of(links["东湖街道"]))
    assert page.status_code == 200
    own = [i.id for i in catalogue.units["东湖街道"].items]
    assert task_ids(page.text) == own
    assert "东湖街道" in page.text and "市应急管理局</header>" not in page.text
    # T12's target is split by enterprise count: the unit sees its own share, not the city's 50
    t12 = page.text.split('id="t-plans/city/three-year-plan.yaml-T12"')[1].split("</section>")[0]
    share = next(t.own for i in catalogue.units["东湖街道"].items if i.id == "T12" for t in i.targets)
    assert share and share in t12 and "不少于50家" not in share
    # the status select offers exactly the ledger's choices
    options = re.findall(r"<option(?: selected)?>([^<]+)</option>", t12)
    assert tuple(options) == STATUSES
    other = client.get(path_of(links["市委组织部"]))
    assert task_ids(other.text) == [i.id for i in catalogue.units["市委组织部"].items]


def test_draft_then_submit_keeps_history_and_the_second_unit_sees_nothing_of_it(client, served):
    links = unit_links(served)
    r = fill(client, links["东湖街道"], "T12", action="draft", progress="摸排小微企业 36 家（草稿）")
    assert r.status_code == 303 and "saved=draft" in r.headers["location"]
    page = client.get(path_of(links["东湖街道"]))
    assert "摸排小微企业 36 家（草稿）" in page.text and "草稿未报送" in page.text
    r = fill(client, links["东湖街道"], "T12", progress="已托管 12 家", figure0="12")
    assert r.status_code == 303, r.text
    entry = served.store.entry(PLAN, "T12", "东湖街道")
    assert entry.submitted["progress"] == "已托管 12 家" and entry.submitted["figures"]["开展安全生产托管服务的小微企业"] == "12"
    fields = [(h["field"], h["old"], h["new"]) for h in served.store.history("东湖街道")]
    assert ("进展情况", "摸排小微企业 36 家（草稿）", "已托管 12 家") in fields
    assert ("报送", "", "已报送") in fields
    history = client.get(path_of(links["东湖街道"]) + "/history")
    assert "已托管 12 家" in history.text and "摸排小微企业 36 家（草稿）" in history.text
    assert "已托管 12 家" not in client.get(path_of(links["西岭街道"])).text
    assert "已托管 12 家" not in client.get(path_of(links["西岭街道"]) + "/history").text


def test_a_unit_cannot_write_a_task_that_is_not_its_own(client, served, catalogue):
    links = unit_links(served)
    mine = {i.id for i in catalogue.units["市委组织部"].items}
    foreign = next(i.id for i in catalogue.units["东湖街道"].items if i.id not in mine)
    r = fill(client, links["市委组织部"], foreign)
    assert r.status_code == 404
    assert served.store.entries() == []


def test_submitted_values_are_checked_as_the_ledger_would_be(client, served):
    link = unit_links(served)["东湖街道"]
    r = fill(client, link, "T12", status="已完成", done_date="2025-07-01")
    assert r.status_code == 400 and "完成日期不能晚于今天" in r.text  # collect would refuse it (DG604)
    assert "2025-07-01" in r.text  # what the unit typed is shown again, not lost
    r = fill(client, link, "T12", done_date="2025-02-30")
    assert r.status_code == 400 and "看不懂完成日期“2025-02-30”" in r.text
    r = fill(client, link, "T12", phone="<script>")
    assert r.status_code == 400 and "&lt;script&gt;" in r.text and "<script>" not in r.text
    r = fill(client, link, "T12", status="已办结")  # not one of the choices: a forged form
    assert r.status_code == 400
    assert served.store.entries() == []
    r = fill(client, link, "T12", status="已完成", done_date="2025年6月3日", progress="<b>完成</b>")
    assert r.status_code == 303
    assert served.store.entry(PLAN, "T12", "东湖街道").done_date == "2025-06-03"
    assert "&lt;b&gt;完成&lt;/b&gt;" in client.get(path_of(link)).text
    # as in the ledger, a blank status is 未启动 and the other fields may be blank
    other = next(i.id for i in served.catalogue.units["东湖街道"].items if i.id != "T12")
    r = fill(client, link, other, status="", progress="", reporter="", phone="")
    assert r.status_code == 303 and served.store.entry(PLAN, other, "东湖街道").submitted["status"] == ""


def test_every_form_needs_its_csrf_field(client, served):
    link = unit_links(served)["东湖街道"]
    r = fill(client, link, "T12", csrf="0" * 64)
    assert r.status_code == 403
    # a token of another unit's page does not fit this unit's form
    other = client.get(path_of(unit_links(served)["西岭街道"]))
    r = fill(client, link, "T12", csrf=csrf(other.text))
    assert r.status_code == 403
    r = client.post("/office/login", data={"name": "a", "password": "b"})
    assert r.status_code == 403
    assert served.store.entries() == []


def test_a_wrong_token_shows_nothing_and_guessing_is_rate_limited(client, served, caplog):
    r = client.get("/u/" + "A" * 32)
    assert r.status_code == 404 and "链接无效" in r.text and "东湖街道" not in r.text
    assert any("拒绝 404" in m and "AAAA…" in m for m in caplog.messages)
    assert not any("A" * 32 in m for m in caplog.messages)
    for n in range(25):
        r = client.get(f"/u/{n:032d}")
    r = client.get("/u/" + "B" * 32)
    assert r.status_code == 429
    # a revoked link stops working, a reissued one works
    from docgen.jobs import serve as job

    data = served.links_path.parent
    old = unit_links(served)["东湖街道"]
    new = job.reissue(data, "东湖街道", "http://testserver")
    assert unit_links(served)["东湖街道"] == new != old


def test_revoked_and_reissued_links(client, served):
    from docgen.jobs import serve as job

    data = served.links_path.parent
    old = unit_links(served)["东湖街道"]
    assert client.get(path_of(old)).status_code == 200
    assert job.revoke(data, "东湖街道") == 1
    assert unit_links(served)["东湖街道"] == ""
    assert client.get(path_of(old)).status_code == 404
    new = job.reissue(data, "东湖街道")
    assert client.get(path_of(new)).status_code == 200 and client.get(path_of(old)).status_code == 404
    assert [(h["field"], h["old"], h["new"]) for h in served.store.history("东湖街道")] == [
        ("链接", "", "已发放"), ("链接", "有效", "已作废"), ("链接", "", "已发放")]  # newest first
    stored = [r["hash"] for r in served.store.query("SELECT hash FROM tokens")]
    assert new.rsplit("/", 1)[1] not in " ".join(stored)  # only digests are stored


def test_evidence_upload_type_sniffed_size_limited_and_scoped(client, served):
    links = unit_links(served)
    r = fill(client, links["东湖街道"], "T12", files=[("files", ("../../托管台账.pdf", PDF, "application/pdf"))])
    assert r.status_code == 303
    [item] = served.store.evidence(unit="东湖街道")
    assert item["name"] == "托管台账.pdf" and item["kind"] == "pdf"
    stored = served.files.path(item["id"])
    assert stored.read_bytes() == PDF and served.links_path.parent / "evidence" in stored.parents
    page = client.get(path_of(links["东湖街道"]))
    got = client.get(path_of(links["东湖街道"]) + f"/evidence/{item['id']}")
    assert "托管台账.pdf" in page.text and got.content == PDF and got.headers["content-type"] == "application/pdf"
    assert "attachment" in got.headers["content-disposition"]
    # another unit cannot fetch or remove it, whatever it sends
    assert client.get(path_of(links["西岭街道"]) + f"/evidence/{item['id']}").status_code == 404
    other = client.get(path_of(links["西岭街道"]))
    r = client.post(path_of(links["西岭街道"]) + f"/evidence/{item['id']}/remove", data={"csrf": csrf(other.text)})
    assert r.status_code == 404 and served.store.evidence(unit="东湖街道")
    assert client.get(path_of(links["东湖街道"]) + "/evidence/..%2F..%2Fserve.sqlite").status_code == 404
    # a script called .pdf is refused by its bytes
    r = fill(client, links["东湖街道"], "T12", files=[("files", ("照片.pdf", b"<script>alert(1)</script>", "application/pdf"))])
    assert r.status_code == 400 and "不是 PDF、图片" in r.text
    big = b"%PDF-" + b"0" * (11 * 1024 * 1024)
    r = fill(client, links["东湖街道"], "T12", files=[("files", ("大.pdf", big, "application/pdf"))])
    assert r.status_code == 400 and "超过 10 MB" in r.text
    assert len(served.store.evidence(unit="东湖街道")) == 1
    # the unit removes its own file: it is gone from its page, kept in the history
    page = client.get(path_of(links["东湖街道"]))
    r = client.post(path_of(links["东湖街道"]) + f"/evidence/{item['id']}/remove", data={"csrf": csrf(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303 and not served.store.evidence(unit="东湖街道")
    assert ("佐证材料", "托管台账.pdf", "") in [(h["field"], h["old"], h["new"]) for h in served.store.history("东湖街道")]


def test_docx_and_xlsx_are_recognised_and_a_renamed_zip_is_not(client, served):
    from docgen.serve.evidence import sniff

    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    assert sniff(book.getvalue()) == "xlsx"
    import docx

    doc = io.BytesIO()
    docx.Document().save(doc)
    assert sniff(doc.getvalue()) == "docx"
    import zipfile

    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.txt", "x")
    assert sniff(z.getvalue()) is None
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "png" and sniff(b"\xff\xd8\xff\xe0") == "jpeg"


def test_security_headers_and_cookies(client, served):
    r = client.get(path_of(unit_links(served)["东湖街道"]))
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert client.get("/nothing").headers["content-security-policy"] == csp


def test_office_login_dashboard_unit_page_and_export(client, served, catalogue):
    links = unit_links(served)
    fill(client, links["东湖街道"], "T12", status="已完成", done_date="2025-06-20", progress="托管 12 家", figure0="12",
         files=[("files", ("证明.pdf", PDF, "application/pdf"))])
    fill(client, links["西岭街道"], "T12", progress="西岭推进中")
    assert client.get("/office", follow_redirects=False).headers["location"] == "/office/login"
    assert client.get("/office/unit?name=东湖街道").status_code == 401
    page = client.get("/office/login")
    r = client.post("/office/login", data={"csrf": csrf(page.text), "name": "值班员", "password": "错的密码"})
    assert r.status_code == 401 and "账号或密码不对" in r.text
    office_login(client, served)
    dash = client.get("/office")
    assert dash.status_code == 200 and "东湖街道" in dash.text and "西岭街道" in dash.text
    t12 = next(row for row in dash.text.split("<tr") if row.startswith("><td>T12</td>"))
    assert "<td>2</td><td>1</td>" in t12  # 2 reported, 1 done
    unit = client.get("/office/unit?name=东湖街道")
    assert "托管 12 家" in unit.text and "/office/evidence/" in unit.text
    ident = re.search(r"/office/evidence/([0-9a-f]{32})", unit.text).group(1)
    assert client.get(f"/office/evidence/{ident}").content == PDF
    r = client.get(f"/office/ledger.xlsx?name=东湖街道&plan={PLAN}")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    rows = {row[0].value: [c.value for c in row] for row in wb["台账"].iter_rows(min_row=3) if row[0].value}
    assert rows["T12"][4:8] == ["托管 12 家", "已完成", rows["T12"][6], "证明.pdf"]
    assert rows["T12"][6].date().isoformat() == "2025-06-20"
    assert "开展安全生产托管服务的小微企业12家" in rows["T12"][8] and "张明" in rows["T12"][8]
    assert wb["填报信息"]["B4"].value == "东湖街道" or "东湖街道" in str(wb["填报信息"]["B3"].value)
    assert client.get("/office/ledger.xlsx?name=东湖街道&plan=../../x").status_code == 404


def test_password_guessing_is_rate_limited(client, served):
    from docgen.jobs import serve as job
    from tests.serve.helpers import PASSWORD

    job.add_account(served.links_path.parent, "值班员", PASSWORD)
    for _ in range(5):
        page = client.get("/office/login")
        client.post("/office/login", data={"csrf": csrf(page.text), "name": "值班员", "password": "x" * 12})
    page = client.get("/office/login")
    r = client.post("/office/login", data={"csrf": csrf(page.text), "name": "值班员", "password": PASSWORD})
    assert r.status_code == 429


def test_hostile_requests_get_4xx_never_500(client, served):
    link = path_of(unit_links(served)["东湖街道"])
    bad = [
        client.post(link + "/save", content=b"--x\r\nbroken", headers={"content-type": "multipart/form-data; boundary=x"}),
        client.post(link + "/save", content=b"a=" + b"b" * 100, headers={"content-type": "application/x-www-form-urlencoded"}),
        client.post(link + "/save", content=b"0" * 10, headers={"content-length": "999999999999"}),
        client.get("/office/evidence/" + "0" * 32),
        client.get("/office/unit?name=%00"),
        client.put(link),
        client.get(link + "/evidence/%2e%2e"),
        client.get("/u/" + "é" * 32),
    ]
    assert all(400 <= r.status_code < 500 for r in bad), [r.status_code for r in bad]
    assert all("Traceback" not in r.text for r in bad)


def test_a_conflicting_edit_is_refused_not_overwritten(client, served):
    link = unit_links(served)["东湖街道"]
    fill(client, link, "T12", action="draft", progress="第一次")
    r = fill(client, link, "T12", action="draft", progress="旧页面上的修改", version="0")
    assert r.status_code == 409 and "已被修改" in r.text
    assert served.store.entry(PLAN, "T12", "东湖街道").progress == "第一次"


def test_any_text_in_any_field_gets_a_page_never_a_500(client, served):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    link = unit_links(served)["东湖街道"]
    page = client.get(path_of(link))
    token = csrf(page.text)
    fields = ("status", "done_date", "progress", "reporter", "phone", "figure0", "version", "action", "plan", "task")

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(fields), st.text(max_size=300)))
    def post(values):
        data = {"csrf": token, "plan": PLAN, "task": "T12", "version": "0", "action": "draft", **values}
        r = client.post(path_of(link) + "/save", data=data, follow_redirects=False)
        assert r.status_code in (303, 400, 404, 409), (r.status_code, values)
        assert "Traceback" not in r.text

    post()


def test_a_field_too_long_is_named_as_such(client, served):
    """A 进展情况 pasted from a whole report (past Starlette's 64 KB a field) is refused in words a unit
    understands, not with "请求内容不对"."""
    r = fill(client, unit_links(served)["东湖街道"], "T12", action="draft", progress="按期推进各项工作。" * 8000)
    assert r.status_code == 413
    assert "内容太长" in r.text and "附件" in r.text and "请求内容不对" not in r.text
