"""The officer's journey with JavaScript off: questions, errors, check answers, result, downloads,
drafts, submit/withdraw/reopen/delete, register upload and the engagement list."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from riskscreen import Engine
from riskscreen.cli import main
from tests.conftest import ROOT
from tests.web.conftest import ENGAGEMENT, Browser, Service, make_service

ANSWERS: dict[str, dict[str, Any]] = {
    "lead": {"lead.name": "Leeds City Council", "lead.type": "local_authority",
             "lead.international_team_fte": "1.5", "lead.has_international_strategy": "yes"},
    "partner": {"partner.name": "Shenzhen Municipal People's Government", "partner.type": "city_government",
                "partner.country": "China", "partner.state_linked": "unknown",
                "partner.aliases": "Shenzhen Government\nSZ Gov"},
    "agreement": {"id": "LDS-SZX-1", "agreement_type": "mou", "title": "Smart city MoU",
                  "value_gbp": "250,000", "term_years": "3", "binding": "no", "published": "yes",
                  "objectives_defined": "no", "review_date-day": "31", "review_date-month": "3",
                  "review_date-year": "2027"},
    "sectors": {"sectors": ["digital_infrastructure", "research"]},
    "involves": {"involves": ["personal_data", "site_access"]},
    "diligence": {"lead.due_diligence": ["sanctions"], "lead.approval": "officer", "notes": "From the web"},
}


def error_links(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return [(href, text.strip()) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary.group(0))]


def start(browser: Browser) -> str:
    response = browser.post("/engagements/new")
    assert response.status_code == 303
    location: str = response.headers["location"]
    assert location.endswith("/questions/lead")
    return location.rsplit("/questions", 1)[0]


def answer_all(browser: Browser, base: str) -> None:
    slugs = list(ANSWERS)
    for index, slug in enumerate(slugs):
        response = browser.post(f"{base}/questions/{slug}", ANSWERS[slug])
        assert response.status_code == 303, (slug, error_links(response.text))
        expected = f"{base}/check" if index == len(slugs) - 1 else f"{base}/questions/{slugs[index + 1]}"
        assert response.headers["location"] == expected


def test_full_journey_matches_the_cli(service: Service, tmp_path: Path) -> None:
    browser = service.browser("officer")
    base = start(browser)
    first = browser.get(f"{base}/questions/lead")
    assert 'value="Leeds City Council"' in first.text  # prefilled from the organisation
    assert "Step 1 of 6" in first.text
    answer_all(browser, base)
    check = browser.get(f"{base}/check")
    assert check.status_code == 200 and "Check your answers before screening" in check.text
    assert "Shenzhen Municipal People&#39;s Government" in check.text
    assert "£250,000" in check.text and "31 March 2027" in check.text
    assert "Not known" in check.text  # the partner's state links: "I do not know"
    assert f'href="{base}/questions/partner?returning=true#partner-country"' in check.text
    screened = browser.post(f"{base}/screen")
    assert screened.status_code == 303 and screened.headers["location"] == base
    page = browser.get(base).text
    tier_heading = re.search(r'<h2 class="govuk-heading-l">Tier: ([^<]+)</h2>', page)
    assert tier_heading is not None
    # The result page leads with the tier, then what to do next, then why, findings, changes, checklist.
    order = [page.index(marker) for marker in ('id="tier"', 'id="what-to-do-next"', 'id="why"',
                                                'id="findings"', 'id="what-would-change"', 'id="checklist"')]
    assert order == sorted(order)

    downloaded = browser.get(f"{base}/download/LDS-SZX-1.yaml")
    assert downloaded.headers["content-disposition"] == 'attachment; filename="LDS-SZX-1.yaml"'
    engagement_file = tmp_path / "LDS-SZX-1.yaml"
    engagement_file.write_text(downloaded.text, encoding="utf-8")
    as_of = date.today().isoformat()
    cli = CliRunner().invoke(main, ["screen", str(engagement_file), "--format", "json", "--as-of", as_of])
    assert cli.exit_code == 0, cli.output
    web_json = browser.get(f"{base}/download/LDS-SZX-1.json")
    assert web_json.headers["content-type"] == "application/json"
    assert web_json.text == cli.output  # byte for byte the CLI's JSON
    result = json.loads(cli.output)
    assert tier_heading.group(1) == result["tier_label"]
    for finding in result["findings"]:
        assert f'id="finding-{finding["rule_id"]}"' in page
    why = page[page.index('id="why"'):page.index('id="findings"')]
    deciding = {d["title"] for d in result["tier_decisions"] if d["sets_tier"] == result["tier"]}
    others = {d["title"] for d in result["tier_decisions"]} - deciding
    assert deciding and all(title in why for title in deciding)
    assert not any(f"<strong>{title}</strong>" in why for title in others)
    markdown = browser.get(f"{base}/download/LDS-SZX-1.md")
    assert markdown.status_code == 200 and "LDS-SZX-1" in markdown.text
    html = browser.get(f"{base}/download/LDS-SZX-1.html")
    assert html.status_code == 200 and html.text.lstrip().lower().startswith("<!doctype html")
    assert browser.get(f"{base}/download/other-name.json").status_code == 404
    assert browser.get(f"{base}/download/LDS-SZX-1.exe").status_code == 404


def test_question_errors_link_to_fields_and_keep_answers(service: Service) -> None:
    browser = service.browser("officer")
    base = start(browser)
    lead = browser.post(f"{base}/questions/lead", {"lead.name": "", "lead.international_team_fte": "lots"})
    assert lead.status_code == 400
    assert lead.text.count("<title>Error: ") == 1
    assert error_links(lead.text) == [
        ("#lead-international-team-fte", "How many full-time staff work on international relations? must be a number"),
        ("#lead-name", "Enter the name of your organisation"),
        ("#lead-type", "Select what kind of organisation is leading"),
    ]
    assert 'value="lots"' in lead.text  # what was typed is shown back
    browser.post(f"{base}/questions/lead", ANSWERS["lead"])
    partner_page = browser.get(f"{base}/questions/partner").text
    assert 'list="country-names"' in partner_page and '<option value="Taiwan"></option>' in partner_page
    partner = browser.post(f"{base}/questions/partner", dict(ANSWERS["partner"], **{"partner.country": "Chinaa"}))
    assert partner.status_code == 400
    [(href, message)] = error_links(partner.text)
    assert href == "#partner-country" and message.startswith("Unknown country")
    assert "(China)" in message and "riskscreen vocab" not in message
    bad_date = browser.post(f"{base}/questions/agreement", dict(ANSWERS["agreement"], **{"review_date-day": "31",
                                                                                         "review_date-month": "2"}))
    assert error_links(bad_date.text) == [("#review-date-day", "When will it be reviewed must be a real date")]
    no_sector = browser.post(f"{base}/questions/sectors", {})
    assert error_links(no_sector.text) == [("#sectors", "Select at least one sector")]


def test_screening_an_incomplete_draft_lists_missing_answers(service: Service) -> None:
    browser = service.browser("officer")
    base = start(browser)
    browser.post(f"{base}/questions/lead", ANSWERS["lead"])
    response = browser.post(f"{base}/screen")
    assert response.status_code == 400
    links = dict(error_links(response.text))
    assert links[f"{base}/questions/partner?returning=true#partner-name"] == "Enter the partner&#39;s name"
    assert links[f"{base}/questions/partner?returning=true#partner-country"] == "Enter the partner&#39;s country"
    assert f"{base}/questions/agreement?returning=true#agreement-type" in links
    assert f"{base}/questions/sectors?returning=true#sectors" in links


def test_save_as_draft_edit_and_rescreen_keeps_history(service: Service) -> None:
    browser = service.browser("officer")
    base = start(browser)
    saved = browser.post(f"{base}/questions/lead", dict(ANSWERS["lead"], action="save"))
    assert saved.headers["location"] == base
    assert "has not been screened yet" in browser.get(base).text
    answer_all(browser, base)
    browser.post(f"{base}/screen")
    changed = browser.post(f"{base}/questions/involves?returning=true", {"involves": []})
    assert changed.headers["location"] == f"{base}/check"
    assert 'id="not-current"' in browser.get(base).text
    assert browser.get(f"{base}/download/LDS-SZX-1.json").status_code == 404  # no current result
    browser.post(f"{base}/screen")
    page = browser.get(base).text
    assert page.count(f'href="{base}/screenings/') == 2
    past = re.findall(rf'href="({base}/screenings/\d+)"', page)[-1]
    assert "Input SHA-256" in browser.get(past).text


def test_submit_withdraw_reopen(service: Service) -> None:
    browser = service.browser("officer")
    base = start(browser)
    answer_all(browser, base)
    early = browser.post(f"{base}/submit")
    assert early.status_code == 409 and "Screen the engagement" in early.text
    browser.post(f"{base}/screen")
    assert "Submit this engagement for review?" in browser.get(f"{base}/submit").text
    submitted = browser.post(f"{base}/submit")
    assert submitted.headers["location"] == f"{base}?done=submit"
    page = browser.get(submitted.headers["location"]).text
    assert "Engagement submitted for review" in page and 'id="what-happens-next"' in page
    assert page.count("<h1") == 1  # the confirmation panel is a second-level heading here
    assert "Submitted for review" in page and 'id="edit-answers"' not in page
    assert 'id="confirmation"' not in browser.get(f"{base}?done=<b>").text
    assert browser.get(f"{base}/questions/lead").status_code == 403
    assert browser.post(f"{base}/screen").status_code == 403
    assert browser.post(f"{base}/submit").status_code == 403
    assert browser.post(f"{base}/withdraw").status_code == 303
    assert "Withdrawn" in browser.get(base).text
    assert browser.post(f"{base}/reopen").status_code == 303
    assert browser.get(f"{base}/questions/lead").status_code == 200
    assert browser.post(f"{base}/delete").status_code == 409  # screened drafts stay on record


def test_delete_a_draft_never_screened(service: Service) -> None:
    browser = service.browser("officer")
    base = start(browser)
    assert browser.post(f"{base}/delete").headers["location"] == "/engagements"
    assert browser.get(base).status_code == 404


def test_duplicate_reference_is_an_error_on_the_agreement_page(service: Service) -> None:
    service.api("officer").post("/api/v1/engagements", json=ENGAGEMENT)
    browser = service.browser("officer")
    base = start(browser)
    response = browser.post(f"{base}/questions/agreement", dict(ANSWERS["agreement"], id=ENGAGEMENT["id"]))
    assert response.status_code == 400
    assert error_links(response.text) == [
        ("#id", "your organisation already has an engagement with id &#39;LDS-KHH-1&#39;")]


def test_register_upload_screens_every_row(service: Service) -> None:
    browser = service.browser("officer")
    register = (ROOT / "examples" / "register.csv").read_bytes()
    response = browser.post("/registers/upload", files={"register": ("register.csv", register)})
    assert response.status_code == 200, response.text[:2000]
    rows = re.findall(r'<a class="govuk-link" href="/engagements/\d+">([^<]+)</a>', response.text)
    expected = [r["id"] for r in yaml.safe_load((ROOT / "examples" / "register.yaml").read_text())["engagements"]]
    assert sorted(rows) == sorted(expected)
    listing = browser.get("/engagements").text
    assert f"{len(expected)} engagements" in listing


def test_register_upload_errors_match_riskscreen_check(service: Service, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lead.name,lead.type,partner.name,partner.type,partner.country,agreement_type,sectors\n"
                   "A-1,Leeds,local_authority,Lyon,city_government,FR,twining,culture\n"
                   "A-2,Leeds,local_authority,Nowhere,city_government,Atlantis,mou,culture\n", encoding="utf-8")
    cli = CliRunner().invoke(main, ["check", str(bad)])
    assert cli.exit_code == 2
    expected = [line.removeprefix("Error: ").replace(str(bad), "bad.csv") for line in cli.output.splitlines()
                if line.startswith("Error: ")]
    browser = service.browser("officer")
    response = browser.post("/registers/upload", files={"register": ("bad.csv", bad.read_bytes())})
    assert response.status_code == 400
    shown = [text.replace("&#39;", "'").replace("&#34;", '"') for _, text in error_links(response.text)]
    assert shown == expected and len(shown) == 2
    assert "Fix the 2 problems listed above, then upload the file again" in response.text
    assert "0 engagements" in browser.get("/engagements").text  # nothing saved half-way


def test_register_upload_refuses_other_files(service: Service) -> None:
    browser = service.browser("officer")
    exe = browser.post("/registers/upload", files={"register": ("../../etc/passwd.exe", b"x")})
    assert exe.status_code == 400 and "The file must be one of" in exe.text
    none = browser.post("/registers/upload", {})
    assert none.status_code == 400 and "Select a register file" in none.text
    empty = browser.post("/registers/upload", files={"register": ("r.yaml", b"engagements: []\n")})
    assert empty.status_code == 400 and "r.yaml: the register is empty; add at least one engagement" in empty.text


def test_register_upload_with_duplicate_reference_saves_nothing(service: Service) -> None:
    service.api("officer").post("/api/v1/engagements", json=dict(ENGAGEMENT, id="BHM-LYS-1951"))
    browser = service.browser("officer")
    register = (ROOT / "examples" / "register.yaml").read_bytes()
    response = browser.post("/registers/upload", files={"register": ("register.yaml", register)})
    assert response.status_code == 409 and "BHM-LYS-1951" in response.text
    assert "1 engagement<" in browser.get("/engagements").text


def test_list_filters_and_paginates(service: Service) -> None:
    api = service.api("officer")
    for n in range(30):
        api.post("/api/v1/engagements", json=dict(ENGAGEMENT, id=f"L-{n:02d}", title=f"Link {n}"))
    api.post("/api/v1/engagements/1/screen")
    browser = service.browser("officer")
    first = browser.get("/engagements").text
    assert "30 engagements" in first and first.count('<tr class="govuk-table__row">') == 26
    assert 'href="/engagements?status=&amp;tier=&amp;q=&amp;page=2"' in first
    second = browser.get("/engagements?page=2").text
    assert second.count('<tr class="govuk-table__row">') == 6
    assert "1 engagement<" in browser.get("/engagements?q=Link+17").text
    tier = api.get("/api/v1/engagements/1").json()["tier"]
    assert "1 engagement<" in browser.get(f"/engagements?tier={tier}").text
    assert "0 engagements" in browser.get("/engagements?status=submitted").text
    assert "30 engagements" in browser.get("/engagements?status=bogus&tier=bogus&page=-3").text


def test_register_upload_row_limit(sqlite_url: str, engine: Engine) -> None:
    limited = make_service(sqlite_url, engine, max_register_rows=3)
    browser = limited.browser("officer")
    register = (ROOT / "examples" / "register.yaml").read_bytes()
    response = browser.post("/registers/upload", files={"register": ("register.yaml", register)})
    assert response.status_code == 400
    assert error_links(response.text)[0][1].endswith("upload at most 3 at once")
    assert "0 engagements" in browser.get("/engagements").text
