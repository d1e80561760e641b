"""Texts of the respond pages in Swedish and English (merged into :data:`kundfokus.web.messages.MESSAGES`).

Every key starts with ``respond_`` so that it cannot clash with the texts of the other pages. The
embeddable widget gets the ``respond_widget_*`` texts (and a few others) through
``/s/{public_id}/definition.json``.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "respond_survey": {"en": "Survey", "sv": "Enkät"},
    "respond_step_of": {"en": "Step {k} of {n}", "sv": "Steg {k} av {n}"},
    "respond_next": {"en": "Next", "sv": "Nästa"},
    "respond_back": {"en": "Back", "sv": "Tillbaka"},
    "respond_send": {"en": "Send", "sv": "Skicka"},
    "respond_optional": {"en": "(optional)", "sv": "(frivilligt)"},
    "respond_kano_intro": {
        "en": (
            "Two questions about each feature: how you would feel if the service has it, and "
            "how you would feel if it does not. There are no right or wrong answers."
        ),
        "sv": (
            "Två frågor om varje egenskap: vad du skulle tycka om tjänsten har den, och vad du "
            "skulle tycka om den inte har den. Det finns inga rätta eller felaktiga svar."
        ),
    },
    "respond_odi_intro": {
        "en": (
            "For each statement: how important is it to you, and how satisfied are you with how "
            "well it works today?"
        ),
        "sv": (
            "För varje påstående: hur viktigt är det för dig, och hur nöjd är du med hur bra det "
            "fungerar i dag?"
        ),
    },
    "respond_feature": {"en": "Feature {k}: {label}", "sv": "Egenskap {k}: {label}"},
    "respond_odi_importance": {
        "en": "How important is this to you?",
        "sv": "Hur viktigt är detta för dig?",
    },
    "respond_odi_satisfaction": {
        "en": "How satisfied are you with how well this works today?",
        "sv": "Hur nöjd är du med hur bra detta fungerar i dag?",
    },
    "respond_odi_importance_lo": {"en": "Not at all important", "sv": "Inte alls viktigt"},
    "respond_odi_importance_hi": {"en": "Extremely important", "sv": "Extremt viktigt"},
    "respond_odi_satisfaction_lo": {"en": "Not at all satisfied", "sv": "Inte alls nöjd"},
    "respond_odi_satisfaction_hi": {"en": "Extremely satisfied", "sv": "Extremt nöjd"},
    "respond_nps_lo": {"en": "Not at all likely", "sv": "Inte alls troligt"},
    "respond_nps_hi": {"en": "Extremely likely", "sv": "Extremt troligt"},
    "respond_csat_lo": {"en": "Very dissatisfied", "sv": "Mycket missnöjd"},
    "respond_csat_hi": {"en": "Very satisfied", "sv": "Mycket nöjd"},
    "respond_ces_lo": {"en": "Very difficult", "sv": "Mycket svårt"},
    "respond_ces_hi": {"en": "Very easy", "sv": "Mycket lätt"},
    "respond_comment": {"en": "Comment", "sv": "Kommentar"},
    "respond_thanks_title": {"en": "Thank you!", "sv": "Tack!"},
    "respond_thanks_text": {
        "en": "Your answers have been saved. You can close this page now.",
        "sv": "Dina svar är sparade. Du kan stänga sidan nu.",
    },
    "respond_thanks_short": {
        "en": "Thank you! Your answer has been saved.",
        "sv": "Tack! Ditt svar är sparat.",
    },
    "respond_closed_title": {"en": "This survey is closed", "sv": "Enkäten är stängd"},
    "respond_closed_text": {
        "en": "It no longer takes answers. Thank you for wanting to help!",
        "sv": "Den tar inte emot fler svar. Tack för att du ville hjälpa till!",
    },
    "respond_missing_title": {"en": "Survey not found", "sv": "Enkäten hittades inte"},
    "respond_missing_text": {
        "en": "The link may be incomplete or the survey may have been removed.",
        "sv": "Länken kan vara ofullständig eller så har enkäten tagits bort.",
    },
    "respond_forbidden_title": {
        "en": "The form could not be sent",
        "sv": "Formuläret kunde inte skickas",
    },
    "respond_forbidden_text": {
        "en": "The form was changed or is too old. Open the link again and answer once more.",
        "sv": "Formuläret har ändrats eller är för gammalt. Öppna länken igen och svara en gång till.",
    },
    "respond_start_again": {"en": "Start again", "sv": "Börja om"},
    "respond_error_title": {"en": "Error", "sv": "Fel"},
    "respond_error_summary": {
        "en": "Something in your answers needs fixing. Nothing has been saved from this page.",
        "sv": "Något i dina svar behöver rättas. Inget från den här sidan har sparats.",
    },
    "respond_error_required": {
        "en": "Please choose an answer.",
        "sv": "Välj ett svar.",
    },
    "respond_error_value": {
        "en": "The answer {value} is not valid here. Please choose one of the options.",
        "sv": "Svaret {value} fungerar inte här. Välj ett av alternativen.",
    },
    "respond_error_none": {
        "en": "Please answer at least one question before you send.",
        "sv": "Svara på minst en fråga innan du skickar.",
    },
    "respond_error_other": {
        "en": "The answers could not be saved ({field}). Please try again.",
        "sv": "Svaren kunde inte sparas ({field}). Försök igen.",
    },
    "respond_open_full": {"en": "Answer the survey", "sv": "Svara på enkäten"},
    "respond_open_full_note": {
        "en": "Opens the survey in a new tab.",
        "sv": "Öppnar enkäten i en ny flik.",
    },
    # the embeddable widget (through definition.json)
    "respond_widget_sending": {"en": "Sending…", "sv": "Skickar…"},
    "respond_widget_retrying": {
        "en": "No connection. Trying again…",
        "sv": "Ingen anslutning. Försöker igen…",
    },
    "respond_widget_failed": {
        "en": "Your answer could not be sent. Please try again.",
        "sv": "Ditt svar kunde inte skickas. Försök igen.",
    },
}
