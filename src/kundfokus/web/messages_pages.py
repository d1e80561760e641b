"""Texts of the pages for signed-in people (surveys, results, jobs, users) in Swedish and English,
merged into :data:`kundfokus.web.messages.MESSAGES`.

>>> all(set(text) == {"en", "sv"} for text in MESSAGES.values())
True
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # general
    "yes": {"en": "Yes", "sv": "Ja"},
    "no": {"en": "No", "sv": "Nej"},
    "language_sv": {"en": "Swedish", "sv": "Svenska"},
    "language_en": {"en": "English", "sv": "Engelska"},
    "error_back": {"en": "Back to the overview", "sv": "Tillbaka till översikten"},
    "home_surveys": {
        "en": "Every survey, its public link and its results.",
        "sv": "Alla enkäter, deras publika länkar och resultat.",
    },
    "home_new": {
        "en": "Build a Kano, jobs-to-be-done, NPS, CSAT or CES survey.",
        "sv": "Bygg en Kano-, jobs-to-be-done-, NPS-, CSAT- eller CES-enkät.",
    },
    "home_jobs": {
        "en": "Long work running in the background, with its progress.",
        "sv": "Långa körningar i bakgrunden och hur långt de har kommit.",
    },
    "home_users": {
        "en": "Who may sign in, and with which role.",
        "sv": "Vilka som får logga in, och med vilken roll.",
    },
    # kinds and states
    "kind_kano": {"en": "Kano (features)", "sv": "Kano (egenskaper)"},
    "kind_odi": {
        "en": "Jobs to be done (ODI: importance and satisfaction)",
        "sv": "Jobs to be done (ODI: vikt och nöjdhet)",
    },
    "kind_nps": {
        "en": "NPS (0-10, would you recommend us)",
        "sv": "NPS (0-10, skulle du rekommendera oss)",
    },
    "kind_csat": {"en": "CSAT (customer satisfaction)", "sv": "CSAT (kundnöjdhet)"},
    "kind_ces": {"en": "CES (customer effort)", "sv": "CES (kundansträngning)"},
    "kind_short_kano": {"en": "Kano", "sv": "Kano"},
    "kind_short_odi": {"en": "ODI", "sv": "ODI"},
    "kind_short_nps": {"en": "NPS", "sv": "NPS"},
    "kind_short_csat": {"en": "CSAT", "sv": "CSAT"},
    "kind_short_ces": {"en": "CES", "sv": "CES"},
    "status_open": {"en": "open", "sv": "öppen"},
    "status_closed": {"en": "closed", "sv": "stängd"},
    # survey list
    "surveys_new": {"en": "New survey", "sv": "Ny enkät"},
    "surveys_caption": {"en": "All surveys", "sv": "Alla enkäter"},
    "surveys_empty": {
        "en": "There are no surveys yet.",
        "sv": "Det finns inga enkäter än.",
    },
    "results_of": {"en": "Results of {title}", "sv": "Resultat för {title}"},
    "col_title": {"en": "Title", "sv": "Titel"},
    "col_kind": {"en": "Kind", "sv": "Typ"},
    "col_responses": {"en": "Answers", "sv": "Svar"},
    "col_status": {"en": "Status", "sv": "Status"},
    "col_results": {"en": "Results", "sv": "Resultat"},
    # builder
    "builder_title": {"en": "New survey", "sv": "Ny enkät"},
    "builder_intro": {
        "en": "Choose the kind of survey, give it a title and fill in its questions. Empty rows "
        "are left out.",
        "sv": "Välj typ av enkät, ge den en titel och fyll i frågorna. Tomma rader hoppas över.",
    },
    "builder_kind": {"en": "Kind of survey", "sv": "Typ av enkät"},
    "builder_kind_hint": {
        "en": "The fields below change with the kind.",
        "sv": "Fälten nedan ändras efter typen.",
    },
    "builder_kind_changed": {
        "en": "The kind changed: fill in the fields for this kind and create the survey.",
        "sv": "Typen ändrades: fyll i fälten för den här typen och skapa enkäten.",
    },
    "builder_title_sv": {"en": "Title in Swedish", "sv": "Titel på svenska"},
    "builder_title_en": {"en": "Title in English", "sv": "Titel på engelska"},
    "builder_languages": {"en": "Languages of the survey", "sv": "Enkätens språk"},
    "builder_importance": {"en": "Importance question", "sv": "Fråga om vikt"},
    "importance_none": {"en": "None", "sv": "Ingen"},
    "importance_1-9": {"en": "Scale 1-9", "sv": "Skala 1-9"},
    "importance_1-5": {"en": "Scale 1-5", "sv": "Skala 1-5"},
    "builder_wording": {"en": "Answer wording", "sv": "Svarsformuleringar"},
    "wording_classic": {
        "en": "Classic (I like it, I expect it, ...)",
        "sv": "Klassisk (Jag gillar det, Jag förväntar mig det, ...)",
    },
    "wording_short": {"en": "Short", "sv": "Kort"},
    "builder_features": {"en": "Features", "sv": "Egenskaper"},
    "builder_outcomes": {"en": "Jobs and outcomes", "sv": "Jobb och önskade utfall"},
    "builder_rows_hint": {
        "en": "The id is optional: it is made from the label when it is empty. Fill in a text "
        "for every language of the survey.",
        "sv": "Id är frivilligt: det skapas från texten när det är tomt. Skriv en text för "
        "varje språk i enkäten.",
    },
    "builder_feature_n": {"en": "Feature {n}", "sv": "Egenskap {n}"},
    "builder_outcome_n": {"en": "Outcome {n}", "sv": "Utfall {n}"},
    "builder_item_id": {"en": "Id (optional)", "sv": "Id (frivilligt)"},
    "builder_label_sv": {"en": "Label in Swedish", "sv": "Text på svenska"},
    "builder_label_en": {"en": "Label in English", "sv": "Text på engelska"},
    "builder_job": {"en": "Job", "sv": "Jobb"},
    "builder_job_type": {"en": "Job type", "sv": "Typ av jobb"},
    "job_type_functional": {"en": "functional", "sv": "funktionellt"},
    "job_type_emotional": {"en": "emotional", "sv": "känslomässigt"},
    "job_type_social": {"en": "social", "sv": "socialt"},
    "builder_statement_sv": {"en": "Outcome in Swedish", "sv": "Utfall på svenska"},
    "builder_statement_en": {"en": "Outcome in English", "sv": "Utfall på engelska"},
    "builder_add_row": {"en": "Add a row", "sv": "Lägg till en rad"},
    "builder_question": {"en": "Question", "sv": "Fråga"},
    "builder_question_hint": {
        "en": "Leave empty for the standard question.",
        "sv": "Lämna tomt för standardfrågan.",
    },
    "builder_question_sv": {"en": "Question in Swedish", "sv": "Fråga på svenska"},
    "builder_question_en": {"en": "Question in English", "sv": "Fråga på engelska"},
    "builder_follow_up": {
        "en": "Ask an open follow-up question (why?)",
        "sv": "Ställ en öppen följdfråga (varför?)",
    },
    "builder_scale": {"en": "Scale", "sv": "Skala"},
    "builder_create": {"en": "Create the survey", "sv": "Skapa enkäten"},
    "builder_fix": {
        "en": "The survey was not created. Correct this:",
        "sv": "Enkäten skapades inte. Rätta detta:",
    },
    "err_text_required": {"en": "A text is required.", "sv": "En text behövs."},
    "err_no_sv": {
        "en": "A text in Swedish is required (Swedish is a language of the survey).",
        "sv": "En text på svenska behövs (svenska är ett av enkätens språk).",
    },
    "err_no_en": {
        "en": "A text in English is required (English is a language of the survey).",
        "sv": "En text på engelska behövs (engelska är ett av enkätens språk).",
    },
    "err_duplicate_id": {
        "en": "Two rows have the same id.",
        "sv": "Två rader har samma id.",
    },
    "err_no_items": {
        "en": "Fill in at least one row.",
        "sv": "Fyll i minst en rad.",
    },
    "err_bad_id": {
        "en": "An id is letters, digits, '_' or '-' (at most 64, starting with a letter or digit).",
        "sv": "Ett id består av bokstäver, siffror, '_' eller '-' (högst 64, först en bokstav "
        "eller siffra).",
    },
    "err_no_language": {
        "en": "Choose at least one language.",
        "sv": "Välj minst ett språk.",
    },
    # survey page
    "survey_languages": {"en": "Languages", "sv": "Språk"},
    "survey_see_results": {"en": "See the results", "sv": "Se resultaten"},
    "survey_questions": {"en": "Questions", "sv": "Frågor"},
    "survey_public_link": {"en": "Public link", "sv": "Publik länk"},
    "survey_downloads": {"en": "Download the answers", "sv": "Ladda ner svaren"},
    "survey_download_csv": {"en": "Answers as CSV", "sv": "Svaren som CSV"},
    "survey_download_parquet": {"en": "Answers as Parquet", "sv": "Svaren som Parquet"},
    "survey_embed": {"en": "Embed the survey", "sv": "Bädda in enkäten"},
    "survey_embed_intro": {
        "en": "Copy one of these into a web page or the agent desktop. Replace STEP with the step "
        "of the customer journey and CONTACT_ID with the contact.",
        "sv": "Kopiera något av dessa till en webbsida eller handläggarens skrivbord. Byt STEP "
        "mot steget i kundresan och CONTACT_ID mot kontakten.",
    },
    "survey_embed_script": {"en": "Script tag", "sv": "Script-tagg"},
    "survey_embed_iframe": {"en": "Iframe", "sv": "Iframe"},
    "survey_embed_link": {"en": "Link", "sv": "Länk"},
    # results
    "results_title": {"en": "Results", "sv": "Resultat"},
    "results_by": {"en": "Split by", "sv": "Dela upp efter"},
    "results_by_none": {"en": "(no split)", "sv": "(ingen uppdelning)"},
    "results_no_keys": {
        "en": "The answers have no context (such as channel or journey step) to split by yet.",
        "sv": "Svaren har ännu ingen kontext (som kanal eller steg i kundresan) att dela upp efter.",
    },
    "results_table_option": {"en": "Evaluation table", "sv": "Utvärderingstabell"},
    "kano_table_standard": {"en": "standard", "sv": "standard"},
    "kano_table_pouliot": {"en": "Pouliot", "sv": "Pouliot"},
    "results_rule_option": {"en": "Category rule", "sv": "Kategoriregel"},
    "kano_rule_mode": {"en": "most frequent (mode)", "sv": "vanligast (typvärde)"},
    "kano_rule_moai": {"en": "M > O > A > I", "sv": "M > O > A > I"},
    "kano_rule_oam": {"en": "O > A > M", "sv": "O > A > M"},
    "results_apply": {"en": "Show", "sv": "Visa"},
    "results_n": {"en": "{n} complete answers", "sv": "{n} fullständiga svar"},
    "results_split_by": {"en": "split by {by}", "sv": "uppdelat efter {by}"},
    "results_unknown_by": {
        "en": "No answer has this context key: showing the results without a split.",
        "sv": "Inget svar har den här kontextnyckeln: resultaten visas utan uppdelning.",
    },
    "results_unknown_option": {
        "en": "Unknown method option: showing the standard method.",
        "sv": "Okänt metodval: standardmetoden visas.",
    },
    "results_empty_heading": {"en": "No answers yet", "sv": "Inga svar än"},
    "results_empty": {
        "en": "The results appear here as soon as the first customer has answered.",
        "sv": "Resultaten visas här så snart den första kunden har svarat.",
    },
    "results_empty_link": {
        "en": "Get the public link and the embed code",
        "sv": "Hämta den publika länken och koden för inbäddning",
    },
    "results_summary": {"en": "In short", "sv": "Kort sagt"},
    "results_warnings": {"en": "Read with care", "sv": "Läs med försiktighet"},
    "results_charts": {"en": "Charts", "sv": "Diagram"},
    "results_job": {"en": "Compute as a job", "sv": "Beräkna som jobb"},
    "results_job_hint": {
        "en": "For large surveys: the results are computed in the background.",
        "sv": "För stora enkäter: resultaten beräknas i bakgrunden.",
    },
    "results_table_kano": {
        "en": "Kano categories per feature",
        "sv": "Kano-kategorier per egenskap",
    },
    "results_table_odi": {"en": "Opportunity per outcome", "sv": "Möjlighet per utfall"},
    "results_table_nps": {"en": "Net Promoter Score", "sv": "Net Promoter Score (NPS)"},
    "results_table_csat": {"en": "Customer satisfaction (CSAT)", "sv": "Kundnöjdhet (CSAT)"},
    "results_table_ces": {"en": "Customer effort score (CES)", "sv": "Kundansträngning (CES)"},
    "col_feature": {"en": "Feature", "sv": "Egenskap"},
    "col_category": {"en": "Category", "sv": "Kategori"},
    "col_n": {"en": "n", "sv": "n"},
    "col_importance": {"en": "Importance", "sv": "Vikt"},
    "col_outcome": {"en": "Outcome", "sv": "Utfall"},
    "col_statement": {"en": "Statement", "sv": "Formulering"},
    "col_job": {"en": "Job", "sv": "Jobb"},
    "col_satisfaction": {"en": "Satisfaction", "sv": "Nöjdhet"},
    "col_opportunity": {"en": "Opportunity", "sv": "Möjlighet"},
    "col_level": {"en": "Level", "sv": "Nivå"},
    "col_served": {"en": "Served", "sv": "Tillgodosett"},
    "col_group": {"en": "Group", "sv": "Grupp"},
    "col_promoters": {"en": "Promoters", "sv": "Promotorer"},
    "col_passives": {"en": "Passives", "sv": "Passiva"},
    "col_detractors": {"en": "Detractors", "sv": "Kritiker"},
    "col_value_nps": {"en": "NPS", "sv": "NPS"},
    "col_value_csat": {"en": "CSAT, % satisfied", "sv": "CSAT, % nöjda"},
    "col_value_ces": {"en": "CES, mean", "sv": "CES, medelvärde"},
    "col_ci_low": {"en": "Lower bound", "sv": "Nedre gräns"},
    "col_ci_high": {"en": "Upper bound", "sv": "Övre gräns"},
    "col_small_sample": {"en": "Few answers", "sv": "Få svar"},
    "odi_none_under": {
        "en": "No outcome is under-served: none has an opportunity of 10 or more.",
        "sv": "Inget utfall är undertillgodosett: inget har en möjlighet på 10 eller mer.",
    },
    "score_sentence_nps": {
        "en": "{group}: NPS {value} ({level} % interval {low} to {high}), from {n} answers.",
        "sv": "{group}: NPS {value} ({level} % intervall {low} till {high}), av {n} svar.",
    },
    "score_sentence_csat": {
        "en": "{group}: {value} % satisfied ({level} % interval {low} to {high}), from {n} "
        "answers.",
        "sv": "{group}: {value} % nöjda ({level} % intervall {low} till {high}), av {n} svar.",
    },
    "score_sentence_ces": {
        "en": "{group}: mean effort score {value} ({level} % interval {low} to {high}; higher is "
        "easier), from {n} answers.",
        "sv": "{group}: medelvärde {value} ({level} % intervall {low} till {high}; högre är "
        "enklare), av {n} svar.",
    },
    # alt texts of the charts
    "alt_kano_plot": {
        "en": "Kano plot of {n} features, satisfaction if present (Better) against "
        "dissatisfaction if missing (|Worse|):",
        "sv": "Kano-diagram för {n} egenskaper, nöjdhet om den finns (Better) mot missnöje om "
        "den saknas (|Worse|):",
    },
    "alt_kano_point": {
        "en": "{feature}: {category}, Better {better}, |Worse| {worse}",
        "sv": "{feature}: {category}, Better {better}, |Worse| {worse}",
    },
    "alt_kano_bars": {
        "en": "Bars of the Kano category shares of {n} features; the largest share of each:",
        "sv": "Staplar med andelen per Kano-kategori för {n} egenskaper; största andelen för varje:",
    },
    "alt_kano_bar": {
        "en": "{feature}: {category} {share} %",
        "sv": "{feature}: {category} {share} %",
    },
    "alt_odi": {
        "en": "Opportunity landscape of {n} outcomes, importance against satisfaction (0-10):",
        "sv": "Möjlighetslandskap för {n} utfall, vikt mot nöjdhet (0-10):",
    },
    "alt_odi_point": {
        "en": "{outcome}: importance {importance}, satisfaction {satisfaction}, opportunity "
        "{opportunity}",
        "sv": "{outcome}: vikt {importance}, nöjdhet {satisfaction}, möjlighet {opportunity}",
    },
    "alt_score_nps": {
        "en": "Bars of NPS per group with intervals:",
        "sv": "Staplar med NPS per grupp med intervall:",
    },
    "alt_score_csat": {
        "en": "Bars of CSAT (% satisfied) per group with intervals:",
        "sv": "Staplar med CSAT (% nöjda) per grupp med intervall:",
    },
    "alt_score_ces": {
        "en": "Bars of the mean CES per group with intervals:",
        "sv": "Staplar med medelvärdet för CES per grupp med intervall:",
    },
    "alt_score_bar": {
        "en": "{group} {value} (interval {low} to {high})",
        "sv": "{group} {value} (intervall {low} till {high})",
    },
    "alt_more": {"en": "And {n} more in the table.", "sv": "Och {n} till i tabellen."},
    # jobs
    "jobs_intro": {
        "en": "The most recent jobs: results of large surveys, imports and retraining.",
        "sv": "De senaste jobben: resultat för stora enkäter, importer och omträning.",
    },
    "jobs_caption": {"en": "Recent jobs", "sv": "Senaste jobben"},
    "jobs_empty": {"en": "No jobs yet.", "sv": "Inga jobb än."},
    "col_progress": {"en": "Progress", "sv": "Förlopp"},
    "col_created": {"en": "Created", "sv": "Skapat"},
    "col_created_by": {"en": "By", "sv": "Av"},
    "job_heading": {"en": "Job {id}", "sv": "Jobb {id}"},
    "job_kind_survey_results": {"en": "survey results", "sv": "enkätresultat"},
    "job_kind_contacts_import": {"en": "contacts import", "sv": "import av kontakter"},
    "job_kind_retrain": {"en": "retraining", "sv": "omträning"},
    "job_kind_webhook_delivery": {"en": "webhook delivery", "sv": "webhook-leverans"},
    "job_status_queued": {"en": "queued", "sv": "i kö"},
    "job_status_running": {"en": "running", "sv": "pågår"},
    "job_status_done": {"en": "done", "sv": "klart"},
    "job_status_failed": {"en": "failed", "sv": "misslyckades"},
    "job_error": {"en": "Error", "sv": "Fel"},
    "job_result": {"en": "Result", "sv": "Resultat"},
    "job_open_results": {
        "en": "Open the results page of {title}",
        "sv": "Öppna resultatsidan för {title}",
    },
    # users
    "users_caption": {"en": "Users and their roles", "sv": "Användare och deras roller"},
    "col_role": {"en": "Role", "sv": "Roll"},
    "col_active": {"en": "Account", "sv": "Konto"},
    "users_you": {"en": "you", "sv": "du"},
    "users_role_of": {"en": "Role of {email}", "sv": "Roll för {email}"},
    "users_save_role": {"en": "Change role", "sv": "Byt roll"},
    "users_save_role_of": {"en": "of {email}", "sv": "för {email}"},
    "users_active": {"en": "active", "sv": "aktivt"},
    "users_disabled": {"en": "disabled", "sv": "avstängt"},
    "users_disable": {"en": "Disable", "sv": "Stäng av"},
    "users_enable": {"en": "Enable", "sv": "Aktivera"},
    "users_disable_of": {"en": "Disable {email}", "sv": "Stäng av {email}"},
    "users_enable_of": {"en": "Enable {email}", "sv": "Aktivera {email}"},
    "users_add": {"en": "Add a user", "sv": "Lägg till en användare"},
    "users_add_button": {"en": "Add the user", "sv": "Lägg till användaren"},
    "users_password_hint": {
        "en": "At least {n} characters. Give it to the person in a safe way.",
        "sv": "Minst {n} tecken. Ge det till personen på ett säkert sätt.",
    },
    "user_added": {"en": "The user was added.", "sv": "Användaren lades till."},
    "user_role_changed": {"en": "The role was changed.", "sv": "Rollen byttes."},
    "user_disabled": {
        "en": "The user was disabled and signed out.",
        "sv": "Användaren stängdes av och loggades ut.",
    },
    "user_enabled": {"en": "The user was enabled.", "sv": "Användaren aktiverades."},
    "err_email": {"en": "This is not an e-mail address.", "sv": "Det här är ingen e-postadress."},
    "err_email_taken": {
        "en": "A user with this e-mail exists already.",
        "sv": "Det finns redan en användare med den här e-postadressen.",
    },
    "err_role": {"en": "Unknown role.", "sv": "Okänd roll."},
    "err_password": {
        "en": "The password is too short: use at least 10 characters.",
        "sv": "Lösenordet är för kort: använd minst 10 tecken.",
    },
    "err_own_account": {
        "en": "You cannot disable your own account or take away your own admin role.",
        "sv": "Du kan inte stänga av ditt eget konto eller ta bort din egen administratörsroll.",
    },
    "import_title": {"en": "Import contacts", "sv": "Importera kontakter"},
    "import_intro": {
        "en": "Upload a file of contacts. They are checked, personal data is redacted and the "
        "rules make a first guess of need and situation, as a job whose progress you can follow. "
        "Nothing is stored unless every row is valid.",
        "sv": "Ladda upp en fil med kontakter. De kontrolleras, personuppgifter maskeras och "
        "reglerna gör en första gissning av behov och situation, som ett jobb vars förlopp du kan "
        "följa. Inget sparas om inte varje rad är giltig.",
    },
    "import_file": {
        "en": "File (CSV, Excel, Parquet, JSON lines)",
        "sv": "Fil (CSV, Excel, Parquet, JSON lines)",
    },
    "import_columns": {
        "en": "Columns: id, customer_id, timestamp, channel, text; other columns are kept as "
        "metadata.",
        "sv": "Kolumner: id, customer_id, timestamp, channel, text; övriga kolumner sparas som "
        "metadata.",
    },
    "import_start": {"en": "Import", "sv": "Importera"},
    "import_no_file": {"en": "Choose a file to import.", "sv": "Välj en fil att importera."},
    "import_bad_type": {
        "en": "This kind of file cannot be read: use CSV, TSV, Excel, Parquet or JSON lines.",
        "sv": "Den här sortens fil går inte att läsa: använd CSV, TSV, Excel, Parquet eller JSON lines.",
    },
    "import_too_big": {"en": "The file is larger than 50 MB.", "sv": "Filen är större än 50 MB."},
    "import_empty": {"en": "The file is empty.", "sv": "Filen är tom."},
    "nav_import": {"en": "Import", "sv": "Import"},
}
