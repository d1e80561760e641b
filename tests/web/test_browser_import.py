"""An analyst imports contacts in a real browser and follows the job's progress to the end, in
Swedish and English, at laptop and phone width, with axe-core finding no violation."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def test_an_analyst_imports_contacts_and_sees_the_job_finish(
    browser, live_sqlite, axe, shots, tmp_path
):
    live = live_sqlite
    text = (EXAMPLES / "contacts.csv").read_text(encoding="utf-8")
    for lang, size in (("en", "laptop"), ("sv", "phone"), ("sv", "laptop"), ("en", "phone")):
        upload = tmp_path / f"contacts-{lang}-{size}.csv"  # other ids each time: ids are unique
        upload.write_text(
            text.replace("\nK", f"\n{lang.upper()}{size[0].upper()}"), encoding="utf-8"
        )
        context = browser.new_context(
            viewport=SIZES[size], locale="sv-SE" if lang == "sv" else "en-GB"
        )
        page = context.new_page()
        page.goto(f"{live.url}/login?lang={lang}")
        page.fill("#email", live.emails["analyst"])
        page.fill("#password", live.password)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live.url}/")
        page.get_by_role("link", name="Import").click()
        page.wait_for_url("**/contacts/import")
        axe(page, f"import page ({lang})")
        page.screenshot(path=str(shots / f"import-{lang}-{size}.png"), full_page=True)
        page.set_input_files("#file", str(upload))
        page.get_by_role("button", name="Importera" if lang == "sv" else "Import").click()
        page.wait_for_url("**/jobs/*")
        done = "klart" if lang == "sv" else "done"
        page.wait_for_selector(f".status-done >> text={done}", timeout=60000)
        axe(page, f"finished import job ({lang})")
        assert '"n_rows"' in page.content()
        page.screenshot(path=str(shots / f"import-job-{lang}-{size}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], f"wider than the window: {width}"
        context.close()
