"""Texts of the guided start (``/start``) and its link on the overview, in Swedish and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "start_title": {"en": "Get started", "sv": "Kom igång"},
    "start_get_started": {"en": "Get started", "sv": "Kom igång"},
    "start_get_started_hint": {
        "en": "This installation holds no surveys, contacts or journeys yet. Answer three "
        "questions and kundfokus sets up the analyses that fit, or try it with the demo "
        "organisation.",
        "sv": "Installationen har inga enkäter, kontakter eller kundresor än. Svara på tre frågor "
        "så sätter kundfokus upp analyserna som passar, eller prova med demoorganisationen.",
    },
    "start_intro": {
        "en": "Say what your challenge is and what data you have: kundfokus suggests the surveys "
        "to send, the imports to run, the CPIs to define and the dashboard panels to show, each "
        "with one sentence on why. Nothing is changed until you choose Set it up.",
        "sv": "Berätta vad er utmaning är och vilka data ni har: kundfokus föreslår enkäterna att "
        "skicka, importerna att köra, CPI:erna att definiera och panelerna på översikten, var och "
        "en med en mening om varför. Inget ändras förrän du väljer Sätt upp det.",
    },
    "start_challenge": {"en": "What is your challenge?", "sv": "Vad är er utmaning?"},
    "start_challenge_win": {"en": "Win more customers", "sv": "Vinna fler kunder"},
    "start_challenge_keep": {
        "en": "Understand why customers leave",
        "sv": "Förstå varför kunder lämnar",
    },
    "start_challenge_both": {"en": "Both", "sv": "Båda"},
    "start_data": {"en": "What data do you have?", "sv": "Vilka data har ni?"},
    "start_data_hint": {
        "en": "What this installation already holds is ticked.",
        "sv": "Det som redan finns i installationen är ikryssat.",
    },
    "start_data_surveys": {"en": "Survey answers", "sv": "Enkätsvar"},
    "start_data_contacts": {
        "en": "Contacts (chats, e-mails, call notes)",
        "sv": "Kontakter (chattar, mejl, samtalsanteckningar)",
    },
    "start_data_purchases": {"en": "Purchases", "sv": "Köp"},
    "start_data_contracts": {"en": "Contracts", "sv": "Avtal"},
    "start_data_journeys": {
        "en": "Journey events (steps of an errand)",
        "sv": "Kundresehändelser (stegen i ett ärende)",
    },
    "start_features": {
        "en": "Features you offer or plan (one per line)",
        "sv": "Egenskaper ni erbjuder eller planerar (en per rad)",
    },
    "start_features_hint": {
        "en": 'A Kano questionnaire is drafted from them, for example "a call back instead of '
        'the queue".',
        "sv": 'En Kano-enkät skrivs utifrån dem, till exempel "bli uppringd i stället för att '
        'vänta i kö".',
    },
    "start_outcomes": {
        "en": "Outcomes customers want (one per line)",
        "sv": "Utfall kunderna vill nå (ett per rad)",
    },
    "start_outcomes_hint": {
        "en": 'An ODI questionnaire is drafted from them, for example "Minimize the time it '
        'takes to get an answer".',
        "sv": 'En ODI-enkät skrivs utifrån dem, till exempel "Minimera tiden det tar att få svar".',
    },
    "start_show_plan": {"en": "Show the plan", "sv": "Visa planen"},
    "start_plan_heading": {"en": "The plan", "sv": "Planen"},
    "start_demo_plan_heading": {
        "en": "The plan for the demo organisation",
        "sv": "Planen för demoorganisationen",
    },
    "start_plan_intro": {
        "en": "One sentence per choice. Change the answers above and show the plan again, or set "
        "it up.",
        "sv": "En mening per val. Ändra svaren ovan och visa planen igen, eller sätt upp den.",
    },
    "start_demo_plan_intro": {
        "en": "One sentence per choice: the demo's own surveys are used, and its data fill the "
        "dashboard.",
        "sv": "En mening per val: demons egna enkäter används, och dess data fyller översikten.",
    },
    "start_notes": {"en": "Not set up yet", "sv": "Inte uppsatt än"},
    "start_set_up": {"en": "Set it up", "sv": "Sätt upp det"},
    "start_kind_survey": {"en": "Survey", "sv": "Enkät"},
    "start_kind_import": {"en": "Import", "sv": "Import"},
    "start_kind_cpis": {"en": "CPIs", "sv": "CPI:er"},
    "start_kind_panels": {"en": "Dashboard", "sv": "Översikt"},
    "start_demo_heading": {
        "en": "Try with the demo organisation",
        "sv": "Prova med demoorganisationen",
    },
    "start_demo_text": {
        "en": "Nordström Energi is a made-up Swedish electricity company: surveys with six months "
        "of answers, 320 contacts and 900 errands. It is built into this installation, which is "
        "empty, and its own people are added disabled, so nobody can sign in with the demo "
        "passwords.",
        "sv": "Nordström Energi är ett påhittat svenskt elbolag: enkäter med svar från ett halvår, "
        "320 kontakter och 900 ärenden. Det byggs in i den här installationen, som är tom, och "
        "dess egna personer läggs till avstängda, så ingen kan logga in med demolösenorden.",
    },
    "start_demo_button": {
        "en": "Try with the demo organisation",
        "sv": "Prova med demoorganisationen",
    },
    "start_demo_wait": {
        "en": "Building the demo takes about half a minute.",
        "sv": "Att bygga demon tar ungefär en halv minut.",
    },
    "start_own_heading": {"en": "Set up your own", "sv": "Sätt upp er egen"},
    "start_fix": {"en": "Please correct this:", "sv": "Rätta det här:"},
    "start_error_challenge": {
        "en": "Choose a challenge.",
        "sv": "Välj en utmaning.",
    },
    "start_error_data": {"en": "Choose only the data listed.", "sv": "Välj bara data i listan."},
    "start_error_features": {
        "en": "Check the features (line {row}): each once, at most 200 characters, at most 30.",
        "sv": "Kontrollera egenskaperna (rad {row}): var och en en gång, högst 200 tecken, "
        "högst 30.",
    },
    "start_error_outcomes": {
        "en": "Check the outcomes (line {row}): each once, at most 200 characters, at most 30.",
        "sv": "Kontrollera utfallen (rad {row}): vart och ett en gång, högst 200 tecken, högst 30.",
    },
    "start_error_demo": {
        "en": "The demo only builds into an empty installation, and this one holds surveys, "
        "contacts or journeys now.",
        "sv": "Demon byggs bara in i en tom installation, och den här har nu enkäter, kontakter "
        "eller kundresor.",
    },
    "start_done_title": {"en": "Set up", "sv": "Uppsatt"},
    "start_done_intro": {
        "en": "This is what the guided start set up. Running it again creates nothing twice.",
        "sv": "Det här satte guiden upp. Kör du den igen skapas inget två gånger.",
    },
    "start_demo_built": {
        "en": "The demo organisation was built into this installation; its people were added "
        "disabled.",
        "sv": "Demoorganisationen byggdes in i installationen; dess personer lades till avstängda.",
    },
    "start_done_surveys": {"en": "Surveys", "sv": "Enkäter"},
    "start_survey_created": {"en": "created", "sv": "skapad"},
    "start_survey_reused": {"en": "already there, used", "sv": "fanns redan, används"},
    "start_respondent_link": {"en": "respondent link", "sv": "länk för svar"},
    "start_done_cpis": {
        "en": "CPI definitions written",
        "sv": "CPI-definitioner som sparades",
    },
    "start_done_panels": {"en": "Dashboard panels", "sv": "Paneler på översikten"},
    "start_done_imports": {"en": "Imports to run next", "sv": "Importer att köra härnäst"},
    "start_open_dashboard": {"en": "Open the dashboard", "sv": "Öppna översikten"},
    "start_col_survey": {"en": "Survey", "sv": "Enkät"},
    "start_col_kind": {"en": "Kind", "sv": "Typ"},
    "start_col_state": {"en": "State", "sv": "Läge"},
    "start_col_link": {"en": "Link", "sv": "Länk"},
    "start_panel_kpis": {"en": "Key figures (NPS, CSAT, CES)", "sv": "Nyckeltal (NPS, CSAT, CES)"},
    "start_panel_needs": {"en": "Needs (Kano and ODI)", "sv": "Behov (Kano och ODI)"},
    "start_panel_contacts": {
        "en": "Contacts and contact reasons",
        "sv": "Kontakter och kontaktorsaker",
    },
    "start_panel_cpis": {"en": "CPIs", "sv": "CPI:er"},
    "start_panel_goals": {"en": "Goals", "sv": "Mål"},
    "start_panel_voice": {"en": "The voice of the customer", "sv": "Kundens röst"},
    "start_panel_customers": {"en": "Churn and customer value", "sv": "Kundbortfall och kundvärde"},
    "start_panel_drivers": {"en": "Drivers of churn", "sv": "Drivkrafter bakom bortfall"},
    "start_panel_recommendations": {"en": "Recommendations", "sv": "Rekommendationer"},
}
