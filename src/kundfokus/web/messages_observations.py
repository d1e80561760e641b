"""Texts of the observation pages (``/observations``), in Swedish and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav_observations": {"en": "Observations", "sv": "Observationer"},
    "status_draft": {"en": "draft", "sv": "utkast"},
    "obs_title": {"en": "Observations", "sv": "Observationer"},
    "obs_intro": {
        "en": "What you saw and heard at a step of the journey while a customer used the "
        "service. Observations show up beside the numbers of that step and situation, and can "
        "become a Kano feature or an ODI outcome in the next survey.",
        "sv": "Det du såg och hörde vid ett steg i kundresan medan en kund använde tjänsten. "
        "Observationerna visas bredvid siffrorna för steget och situationen och kan bli en "
        "Kano-egenskap eller ett ODI-utfall i nästa enkät.",
    },
    "obs_record": {"en": "Record an observation", "sv": "Skriv en observation"},
    "obs_not_saved": {
        "en": "The observation was not saved:",
        "sv": "Observationen sparades inte:",
    },
    "obs_field_note": {"en": "What did you see or hear?", "sv": "Vad såg eller hörde du?"},
    "obs_note_hint": {
        "en": "Required. What the customer did, where it got hard, what happened.",
        "sv": "Måste fyllas i. Vad kunden gjorde, var det blev svårt, vad som hände.",
    },
    "obs_field_quote": {"en": "Quote", "sv": "Citat"},
    "obs_quote_hint": {
        "en": "What the customer said, word for word (optional).",
        "sv": "Det kunden sa, ordagrant (frivilligt).",
    },
    "obs_field_step": {"en": "Journey step", "sv": "Steg i kundresan"},
    "obs_field_situation": {"en": "Situation", "sv": "Situation"},
    "obs_field_need": {"en": "Need it shows", "sv": "Behov det visar"},
    "obs_field_channel": {"en": "Channel", "sv": "Kanal"},
    "obs_field_observed_at": {"en": "When", "sv": "När"},
    "obs_field_attachment": {"en": "Photo or file", "sv": "Foto eller fil"},
    "obs_field_created_by": {"en": "Recorded by", "sv": "Skriven av"},
    "obs_when_hint": {
        "en": "Leave it empty for now (times are UTC).",
        "sv": "Lämna tomt för nu (tider i UTC).",
    },
    "obs_photo": {"en": "Take a photo", "sv": "Ta ett foto"},
    "obs_file": {"en": "Or attach a file", "sv": "Eller bifoga en fil"},
    "obs_file_hint": {
        "en": "A photo, a PDF or a text file, at most {mb} MB. One attachment per observation.",
        "sv": "Ett foto, en PDF eller en textfil, högst {mb} MB. En bilaga per observation.",
    },
    "obs_one_file": {
        "en": "attach either a photo or a file, not both",
        "sv": "bifoga antingen ett foto eller en fil, inte båda",
    },
    "obs_save": {"en": "Save observation", "sv": "Spara observationen"},
    "obs_added": {"en": "Observation {id} is saved.", "sv": "Observation {id} är sparad."},
    "obs_open": {"en": "Open it", "sv": "Öppna den"},
    "obs_find": {"en": "Find observations", "sv": "Hitta observationer"},
    "obs_search": {"en": "Search", "sv": "Sök"},
    "obs_search_hint": {
        "en": "Words in the note, the quote, the step, the situation or the need.",
        "sv": "Ord i anteckningen, citatet, steget, situationen eller behovet.",
    },
    "obs_search_go": {"en": "Search", "sv": "Sök"},
    "obs_clear": {"en": "Clear the search", "sv": "Rensa sökningen"},
    "obs_n_shown": {"en": "{n} observations, newest first", "sv": "{n} observationer, nyast först"},
    "obs_none": {"en": "No observations found.", "sv": "Inga observationer hittades."},
    "obs_more": {"en": "Older observations", "sv": "Äldre observationer"},
    "obs_by": {"en": "{who}, {when}", "sv": "{who}, {when}"},
    "obs_someone": {"en": "someone", "sv": "någon"},
    "obs_who": {"en": "Recorded by", "sv": "Skriven av"},
    "obs_when": {"en": "Observed (UTC)", "sv": "Observerad (UTC)"},
    "obs_photo_alt": {
        "en": "Photo of observation {id}",
        "sv": "Foto till observation {id}",
    },
    "obs_attachment": {"en": "Attachment: {name}", "sv": "Bilaga: {name}"},
    "obs_attachment_h": {"en": "Attachment", "sv": "Bilaga"},
    "obs_became": {"en": "Became:", "sv": "Blev:"},
    "obs_became_kano": {
        "en": "a Kano feature in survey {survey}",
        "sv": "en Kano-egenskap i enkät {survey}",
    },
    "obs_became_odi": {
        "en": "an ODI outcome in survey {survey}",
        "sv": "ett ODI-utfall i enkät {survey}",
    },
    "obs_turn_kano": {"en": "Turn into Kano feature", "sv": "Gör till Kano-egenskap"},
    "obs_turn_odi": {"en": "Turn into ODI outcome", "sv": "Gör till ODI-utfall"},
    "obs_turned_kano": {
        "en": "A Kano feature (the question pair: has it / does not have it) was added to a "
        "draft survey.",
        "sv": "En Kano-egenskap (frågeparet: har den / har den inte) lades till i ett enkätutkast.",
    },
    "obs_turned_odi": {
        "en": "An ODI outcome statement was added to a draft survey.",
        "sv": "Ett ODI-utfall lades till i ett enkätutkast.",
    },
    "obs_see_survey": {"en": "See the survey", "sv": "Se enkäten"},
    "obs_detail_title": {"en": "Observation {id}", "sv": "Observation {id}"},
    "obs_turn_h": {"en": "Use it in the next survey", "sv": "Använd den i nästa enkät"},
    "obs_turn_intro": {
        "en": "A Kano feature asks how customers feel if the service has it and if it does "
        "not. An ODI outcome asks how important it is and how satisfied they are today. Both go "
        "to a draft survey, which nobody can answer until it is opened.",
        "sv": "En Kano-egenskap frågar vad kunderna tycker om tjänsten har den och om den inte "
        "har den. Ett ODI-utfall frågar hur viktigt det är och hur nöjda de är i dag. Båda "
        "hamnar i ett enkätutkast som ingen kan svara på förrän det öppnas.",
    },
    "obs_turn_text": {"en": "In words (optional)", "sv": "Med egna ord (frivilligt)"},
    "obs_turn_text_hint": {
        "en": "Left empty, it is drafted from the need or the note. An ODI outcome starts with "
        'a direction: "Minimize the time it takes to ...".',
        "sv": "Lämnas det tomt skrivs ett utkast från behovet eller anteckningen. Ett ODI-utfall "
        'börjar med en riktning: "Minimera tiden det tar att ...".',
    },
    "obs_turn_survey": {"en": "Survey", "sv": "Enkät"},
    "obs_turn_new_survey": {"en": "The draft for this step", "sv": "Utkastet för steget"},
    "obs_drafts_kano": {"en": "Kano drafts", "sv": "Kano-utkast"},
    "obs_drafts_odi": {"en": "ODI drafts", "sv": "ODI-utkast"},
    "obs_turn_failed": {"en": "Nothing was added:", "sv": "Inget lades till:"},
}
