"""Texts of the review pages in Swedish and English, merged into
:data:`kundfokus.web.messages.MESSAGES`.

>>> all(set(text) == {"en", "sv"} for text in MESSAGES.values())
True
"""

from __future__ import annotations


def _m(en: str, sv: str) -> dict[str, str]:
    return {"en": en, "sv": sv}


MESSAGES: dict[str, dict[str, str]] = {
    "nav_review": _m("Review", "Granska"),
    "rv_subnav": _m("Review", "Granskning"),
    "rv_queue": _m("Queue", "Kö"),
    "rv_bulk": _m("Bulk", "Många på en gång"),
    "rv_models": _m("Models", "Modeller"),
    "rv_agreement": _m("Agreement", "Samstämmighet"),
    "rv_title": _m("Review queue", "Granskningskö"),
    "rv_filters": _m("Filters of the queue", "Köns filter"),
    "rv_search": _m("Search contacts", "Sök kontakter"),
    "rv_search_hint": _m(
        "Text or id; narrows the queue too.", "Text eller id; begränsar också kön."
    ),
    "rv_apply": _m("Apply", "Använd"),
    "rv_clear": _m("Clear filters", "Rensa filter"),
    "rv_show": _m("Show", "Visa"),
    "rv_f_axis": _m("Axis", "Axel"),
    "rv_f_channel": _m("Channel", "Kanal"),
    "rv_f_language": _m("Language", "Språk"),
    "rv_f_any": _m("any", "alla"),
    "rv_f_min": _m("Confidence from (%)", "Säkerhet från (%)"),
    "rv_f_max": _m("Confidence up to (%)", "Säkerhet upp till (%)"),
    "rv_f_disagree": _m("Model disagrees with rules", "Modellen säger emot reglerna"),
    "rv_axis_group_all": _m("need and situation", "behov och situation"),
    "rv_axis_group_need": _m("need", "behov"),
    "rv_axis_group_situation": _m("situation", "situation"),
    "rv_lang_sv": _m("Swedish", "svenska"),
    "rv_lang_en": _m("English", "engelska"),
    "axis_purpose": _m("Purpose type", "Typ av ärende"),
    "axis_reason": _m("Reason", "Orsak"),
    "axis_urgency": _m("Urgency", "Brådska"),
    "axis_treatment": _m("Treatment wanted", "Önskat bemötande"),
    "axis_mood": _m("Mood", "Stämning"),
    "axis_tags": _m("Tags", "Taggar"),
    "rv_panel_need": _m("Need", "Behov"),
    "rv_panel_situation": _m("Situation", "Situation"),
    "rv_contact": _m("Contact {id}", "Kontakt {id}"),
    "rv_why": _m("Why here:", "Varför här:"),
    "rv_not_in_queue": _m(
        "Opened from the search: not in the queue now.", "Öppnad från sökningen: inte i kön nu."
    ),
    "rv_labelled": _m("Labelled {label} by {who}, {at}", "Etiketterad {label} av {who}, {at}"),
    "rv_no_guess": _m("No guess yet", "Ingen gissning än"),
    "rv_disagree": _m("The model and the rules disagree.", "Modellen och reglerna är oeniga."),
    "rv_src_model": _m("model v{v}", "modell v{v}"),
    "rv_src_model_nov": _m("model", "modell"),
    "rv_src_rules": _m("rules", "regler"),
    "rv_src_label": _m("label", "etikett"),
    "rv_other_label": _m("Other label (type)", "Annan etikett (skriv)"),
    "rv_save": _m("Save and next", "Spara och nästa"),
    "rv_skip": _m("Skip", "Hoppa över"),
    "rv_undo": _m("Undo the last save ({id})", "Ångra senaste sparningen ({id})"),
    "rv_history_link": _m("History of this contact", "Kontaktens historik"),
    "rv_saved": _m("Saved {id}: {axes}.", "Sparade {id}: {axes}."),
    "rv_undone": _m(
        "Undone: the labels are back as they were (the history keeps both steps).",
        "Ångrat: etiketterna är som förut (historiken visar båda stegen).",
    ),
    "rv_no_undo": _m("Nothing to undo.", "Inget att ångra."),
    "rv_nothing_saved": _m(
        "Nothing to save: no axis had a label.", "Inget att spara: ingen axel hade en etikett."
    ),
    "rv_not_saved": _m("Nothing was saved:", "Inget sparades:"),
    "rv_unknown_label": _m(
        "Unknown label '{label}' for {axis}. Did you mean: {suggestions}?",
        "Okänd etikett '{label}' för {axis}. Menade du: {suggestions}?",
    ),
    "rv_unknown_label_none": _m(
        "Unknown label '{label}' for {axis}, and no label of the taxonomy is close.",
        "Okänd etikett '{label}' för {axis}, och ingen etikett i taxonomin liknar den.",
    ),
    "rv_empty_heading": _m("The queue is empty", "Kön är tom"),
    "rv_empty": _m(
        "No contact waits for a review with these filters.",
        "Ingen kontakt väntar på granskning med de här filtren.",
    ),
    "rv_keys": _m("Keys", "Tangenter"),
    "rv_key_move": _m("go to the next or previous axis", "gå till nästa eller föregående axel"),
    "rv_key_letters": _m(
        "go to an axis: purpose, reason, urgency (g), treatment, mood, tags (a)",
        "gå till en axel: typ (p), orsak (r), brådska (g), bemötande (t), stämning (m), taggar (a)",
    ),
    "rv_key_digits": _m(
        "pick label 1-9 of the axis (on tags: add or remove the tag)",
        "välj etikett 1-9 på axeln (för taggar: lägg till eller ta bort taggen)",
    ),
    "rv_key_enter": _m(
        "save: the changed axes, and the shown labels as correct; then the next contact",
        "spara: ändrade axlar, och visade etiketter som rätt; sedan nästa kontakt",
    ),
    "rv_key_skip": _m("skip this contact", "hoppa över kontakten"),
    "rv_key_undo": _m("undo the last save", "ångra senaste sparningen"),
    "rv_key_search": _m("search", "sök"),
    "rv_key_help": _m("show or hide these keys", "visa eller dölj tangenterna"),
    "rv_next": _m("Next in the queue", "Näst på tur"),
    "rv_kind_suspected": _m("label may be wrong", "etiketten kan vara fel"),
    "rv_kind_second_look": _m("second look", "andra granskning"),
    "rv_found": _m("{n} contacts match '{q}'", "{n} kontakter matchar '{q}'"),
    "rv_col_id": _m("Id", "Id"),
    "rv_col_text": _m("Text", "Text"),
    "rv_col_labels": _m("Labels", "Etiketter"),
    "rv_unlabelled": _m("not labelled", "inte etiketterad"),
    "rv_col_axis": _m("Axis", "Axel"),
    "rv_col_label": _m("Label", "Etikett"),
    "rv_col_model": _m("Model", "Modell"),
    "rv_col_rules": _m("Rules", "Regler"),
    "rv_col_when": _m("When", "När"),
    "rv_col_who": _m("Who", "Vem"),
    "rv_col_before": _m("Before", "Före"),
    "rv_col_after": _m("After", "Efter"),
    "rv_col_reason": _m("Note", "Anteckning"),
    "rv_col_note": _m("Kind", "Typ"),
    "rv_col_version": _m("Version", "Version"),
    "rv_col_n_train": _m("Trained on", "Tränad på"),
    "rv_col_cv": _m("Cross-validated", "Korsvaliderad"),
    "rv_col_heldout": _m("Held out: new / current", "Undanhållet: ny / nuvarande"),
    "rv_col_later": _m("On later corrections", "På senare rättelser"),
    "rv_col_gate": _m("Quality gate", "Kvalitetsgrind"),
    "rv_col_agree": _m("Agreement", "Samstämmighet"),
    "rv_review_this": _m("Review this contact", "Granska kontakten"),
    "rv_now": _m("Labels and guesses now", "Etiketter och gissningar nu"),
    "rv_history": _m("History of corrections", "Rättelsehistorik"),
    "rv_history_empty": _m("No correction yet.", "Ingen rättelse än."),
    "rv_reviews": _m("Every reviewer's label", "Varje granskares etikett"),
    "rv_reviews_hint": _m(
        "A second reviewer's label on an overlap contact is kept here for the agreement "
        "figures; the label in force is in the history.",
        "En andra granskares etikett på en överlappskontakt sparas här för "
        "samstämmighetsmåtten; etiketten som gäller står i historiken.",
    ),
    "rv_lead_decision": _m("lead's decision", "ledarens beslut"),
    "rv_overlap": _m("overlap", "överlapp"),
    "rv_bulk_title": _m("Label many contacts at once", "Etikettera många kontakter på en gång"),
    "rv_bulk_intro": _m(
        "Choose a slice with the filters, check the sample, then give one axis the same "
        "label on every contact of the slice (you confirm first; every change is audited).",
        "Välj ett urval med filtren, titta på exemplen och ge sedan en axel samma etikett på "
        "alla kontakter i urvalet (du bekräftar först; varje ändring loggas).",
    ),
    "rv_bulk_axis": _m("Axis to set", "Axel att sätta"),
    "rv_bulk_show": _m("Show the slice", "Visa urvalet"),
    "rv_bulk_slice": _m(
        "{n} contacts not yet labelled on {axis}", "{n} kontakter ännu inte etiketterade på {axis}"
    ),
    "rv_bulk_limit": _m("At most {n} contacts at a time.", "Högst {n} kontakter åt gången."),
    "rv_bulk_sample": _m("A sample of the slice", "Exempel ur urvalet"),
    "rv_bulk_label": _m("Label for {axis}", "Etikett för {axis}"),
    "rv_bulk_next": _m("Next: confirm", "Nästa: bekräfta"),
    "rv_bulk_confirm_h": _m("Confirm", "Bekräfta"),
    "rv_bulk_confirm": _m(
        "Set {axis} to '{label}' on {n} contacts?", "Sätta {axis} till '{label}' på {n} kontakter?"
    ),
    "rv_bulk_confirm_button": _m("Yes, set it on {n}", "Ja, sätt den på {n}"),
    "rv_bulk_done": _m(
        "Done: {axis} is '{label}' on {n} contacts.", "Klart: {axis} är '{label}' på {n} kontakter."
    ),
    "rv_bulk_empty": _m("The slice is empty.", "Urvalet är tomt."),
    "rv_bulk_need_label": _m("Choose an axis and a label.", "Välj en axel och en etikett."),
    "rv_cancel": _m("Cancel", "Avbryt"),
    "rv_models_title": _m("Models and retraining", "Modeller och omträning"),
    "rv_last_retrain": _m("Last retraining", "Senaste omträningen"),
    "rv_promoted": _m(
        "Version {v} ({at}) passed the quality gate and is in use.",
        "Version {v} ({at}) klarade kvalitetsgrinden och används.",
    ),
    "rv_kept_back": _m(
        "Version {v} ({at}) was kept back: the guesses in use (an earlier version, or the "
        "rules) stay.",
        "Version {v} ({at}) hölls tillbaka: gissningarna som används (en tidigare version "
        "eller reglerna) ligger kvar.",
    ),
    "rv_n_heldout": _m("Held-out labels", "Undanhållna etiketter"),
    "rv_heldout_new": _m("New version, held out", "Ny version, undanhållet"),
    "rv_heldout_current": _m("Current version or rules", "Nuvarande version eller regler"),
    "rv_n_changed": _m("Guesses changed", "Ändrade gissningar"),
    "rv_no_models": _m("No model version yet on this axis.", "Ingen modellversion än på axeln."),
    "rv_retrain_hint": _m(
        "Trains a new version from every label, as a job. It is used only when it beats the "
        "current version on labels it has not seen.",
        "Tränar en ny version på alla etiketter, som ett jobb. Den används bara om den slår "
        "nuvarande version på etiketter den inte har sett.",
    ),
    "rv_retrain": _m("Retrain {axis}", "Träna om {axis}"),
    "rv_chart_alt": _m(
        "Accuracy per model version of {axis} over time; the table below has the figures.",
        "Träffsäkerhet per modellversion för {axis} över tid; tabellen nedan har siffrorna.",
    ),
    "rv_chart_caption": _m(
        "One line per measure; the table below has the figures and which versions were kept back.",
        "En linje per mått; tabellen nedan har siffrorna och vilka versioner som hölls tillbaka.",
    ),
    "rv_versions": _m("Model versions", "Modellversioner"),
    "rv_in_use": _m("passed", "godkänd"),
    "rv_kept": _m("kept back", "tillbakahållen"),
    "rv_last_corrections": _m(
        "What the last corrections changed", "Vad de senaste rättelserna ändrade"
    ),
    "rv_no_corrections": _m("No correction yet on this axis.", "Ingen rättelse än på axeln."),
    "rv_agreement_title": _m("Agreement between reviewers", "Samstämmighet mellan granskare"),
    "rv_share": _m("Overlap share", "Andel i överlapp"),
    "rv_n_overlap": _m("Contacts labelled twice", "Kontakter etiketterade två gånger"),
    "rv_alpha": _m("Krippendorff's alpha", "Krippendorffs alfa"),
    "rv_kappa": _m("Cohen's kappa", "Cohens kappa"),
    "rv_n_disagreements": _m("Disagreements", "Oenigheter"),
    "rv_agreement_hint": _m(
        "1 is full agreement, 0 no better than chance. Below about 0.67 the labels of this "
        "axis are not reliable enough to train on without settling.",
        "1 är full samstämmighet, 0 inte bättre än slumpen. Under ungefär 0,67 är axelns "
        "etiketter inte pålitliga nog att träna på utan att avgöra oenigheterna.",
    ),
    "rv_share_set": _m("Share reviewed by two (%)", "Andel som granskas av två (%)"),
    "rv_share_hint": _m(
        "The same contacts for everyone; raising it keeps those already in.",
        "Samma kontakter för alla; en högre andel behåller de som redan ingår.",
    ),
    "rv_save_share": _m("Save the share", "Spara andelen"),
    "rv_share_saved": _m("The overlap share is saved.", "Andelen i överlapp är sparad."),
    "rv_share_bad": _m(
        "The share is a number from 0 to 100.", "Andelen är ett tal från 0 till 100."
    ),
    "rv_per_label": _m("Agreement per label", "Samstämmighet per etikett"),
    "rv_no_overlap": _m(
        "No contact has labels from two reviewers yet.",
        "Ingen kontakt har etiketter från två granskare än.",
    ),
    "rv_disagreements": _m("Disagreements to settle", "Oenigheter att avgöra"),
    "rv_no_disagreements": _m("No disagreement.", "Inga oenigheter."),
    "rv_settled_as": _m("settled: {label}", "avgjord: {label}"),
    "rv_in_force": _m("in force: {label}", "gäller: {label}"),
    "rv_settle_label": _m("Decision for {id}", "Beslut för {id}"),
    "rv_settle": _m("Settle", "Avgör"),
    "rv_settled": _m("Settled.", "Avgjort."),
    "rv_settle_missing": _m(
        "Choose a contact, an axis and a label.", "Välj kontakt, axel och etikett."
    ),
}
