"""Every text of the web pages, in Swedish and English (``{"key": {"en": ..., "sv": ...}}``).

tests/web/test_messages.py checks that every key has both languages and that every key a template
uses is here.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "app_name": {"en": "kundfokus", "sv": "kundfokus"},
    "skip_to_content": {"en": "Skip to content", "sv": "Hoppa till innehållet"},
    "switch_language": {"en": "På svenska", "sv": "In English"},
    "switch_language_label": {"en": "Byt till svenska", "sv": "Switch to English"},
    "nav_home": {"en": "Overview", "sv": "Översikt"},
    "nav_surveys": {"en": "Surveys", "sv": "Enkäter"},
    "nav_jobs": {"en": "Jobs", "sv": "Jobb"},
    "nav_users": {"en": "Users", "sv": "Användare"},
    "nav_main": {"en": "Main", "sv": "Huvudmeny"},
    "sign_in": {"en": "Sign in", "sv": "Logga in"},
    "sign_out": {"en": "Sign out", "sv": "Logga ut"},
    "email": {"en": "E-mail", "sv": "E-post"},
    "password": {"en": "Password", "sv": "Lösenord"},
    "signed_in_as": {"en": "Signed in as {email} ({role})", "sv": "Inloggad som {email} ({role})"},
    "login_invalid": {
        "en": "The e-mail or the password is wrong.",
        "sv": "E-postadressen eller lösenordet är fel.",
    },
    "login_limited": {
        "en": "Too many failed attempts. Wait 15 minutes and try again.",
        "sv": "För många misslyckade försök. Vänta 15 minuter och försök igen.",
    },
    "forbidden": {
        "en": "Your role may not open this page.",
        "sv": "Din roll får inte öppna den här sidan.",
    },
    "not_found": {"en": "Not found.", "sv": "Hittades inte."},
    "csrf_failed": {
        "en": "The form had expired or was not sent from this site. Go back, reload and try again.",
        "sv": "Formuläret hade gått ut eller skickades inte från den här webbplatsen. Gå tillbaka, "
        "ladda om sidan och försök igen.",
    },
    "home_title": {"en": "Overview", "sv": "Översikt"},
    "home_intro": {
        "en": "Surveys and their answers, jobs, and the people who use this installation.",
        "sv": "Enkäter och deras svar, jobb och de som använder installationen.",
    },
    "role_admin": {"en": "admin", "sv": "administratör"},
    "role_analyst": {"en": "analyst", "sv": "analytiker"},
    "role_reviewer": {"en": "reviewer", "sv": "granskare"},
    "role_viewer": {"en": "viewer", "sv": "läsare"},
}


def _merge() -> None:
    from kundfokus.web.messages_dashboard import MESSAGES as dashboard
    from kundfokus.web.messages_observations import MESSAGES as observations
    from kundfokus.web.messages_pages import MESSAGES as pages
    from kundfokus.web.messages_report import MESSAGES as report
    from kundfokus.web.messages_respond import MESSAGES as respond
    from kundfokus.web.messages_review import MESSAGES as review
    from kundfokus.web.messages_start import MESSAGES as start

    for part in (pages, respond, review, dashboard, observations, start, report):
        for key, text in part.items():
            if key in MESSAGES and MESSAGES[key] != text:
                raise RuntimeError(f"two texts for the key {key!r}")
            MESSAGES[key] = text


_merge()
