"""What the governance journeys share: the secretary, and scheduling a meeting by the page."""

import re

from playwright.sync_api import expect

SECRETARY = "coordination@region-idf.demo"


def schedule_meeting(page, base_url, title, day):
    page.goto(f"{base_url}/gouvernance/")
    page.get_by_role("link", name="Comité technique régional").click()
    page.get_by_role("link", name="Programmer une réunion").click()
    page.get_by_label(re.compile(r"^Intitulé\s*:?$")).fill(title)
    page.get_by_label(re.compile(r"^Début\s*:?$")).fill(f"{day:%Y-%m-%d}T14:00")
    page.get_by_label(re.compile(r"^Fin\s*:?$")).fill(f"{day:%Y-%m-%d}T16:30")
    page.get_by_label(re.compile(r"^Lieu\s*:?$")).fill("Défi métiers, Paris 13e")
    page.get_by_role("button", name="Programmer et inviter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".messages")).to_contain_text("invitation(s) envoyée(s)")
