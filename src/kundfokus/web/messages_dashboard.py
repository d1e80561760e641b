"""Texts of the leadership dashboard (``/dashboard``), in Swedish and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav_dashboard": {"en": "Dashboard", "sv": "Översikt för ledningen"},
    "dash_title": {"en": "Leadership dashboard", "sv": "Översikt för ledningen"},
    "dash_intro": {
        "en": "Scores with their uncertainty, customer needs, contacts, journey indicators and "
        "goals, with the customers' own words beside the numbers. The filters apply to the whole "
        "page.",
        "sv": "Mått med sin osäkerhet, kundernas behov, kontakter, resemått och mål, med kundernas "
        "egna ord bredvid siffrorna. Filtren gäller hela sidan.",
    },
    "dash_filters": {"en": "Filters", "sv": "Filter"},
    "dash_period": {"en": "Period", "sv": "Period"},
    "dash_period_week": {"en": "Week", "sv": "Vecka"},
    "dash_period_month": {"en": "Month", "sv": "Månad"},
    "dash_period_quarter": {"en": "Quarter", "sv": "Kvartal"},
    "dash_channel": {"en": "Channel", "sv": "Kanal"},
    "dash_situation": {"en": "Situation", "sv": "Situation"},
    "dash_all": {"en": "All", "sv": "Alla"},
    "dash_apply": {"en": "Apply filters", "sv": "Använd filtren"},
    "dash_reset": {"en": "Clear filters", "sv": "Rensa filtren"},
    "dash_active": {"en": "Showing: {what}", "sv": "Visar: {what}"},
    "dash_everything": {"en": "all answers and contacts", "sv": "alla svar och kontakter"},
    "dash_kpis": {"en": "Scores", "sv": "Mått"},
    "dash_kpis_hint": {
        "en": "The vertical line is the 95% interval: the true value lies within it with 95% "
        "confidence. "
        "The change compares the last two completed periods.",
        "sv": "Det lodräta strecket är 95 %-intervallet: det sanna värdet ligger inom det med 95 % "
        "säkerhet. "
        "Förändringen jämför de två senaste avslutade perioderna.",
    },
    "dash_answers": {"en": "{n} answers", "sv": "{n} svar"},
    "dash_interval": {"en": "95% interval {lo} to {hi}", "sv": "95 % intervall {lo} till {hi}"},
    "dash_voice_low": {
        "en": "What unhappy customers say",
        "sv": "Vad missnöjda kunder säger",
    },
    "dash_needs": {"en": "Needs", "sv": "Behov"},
    "dash_kano": {
        "en": "Kano: what to keep, improve and add",
        "sv": "Kano: vad ni ska behålla, förbättra och lägga till",
    },
    "dash_kano_hint": {
        "en": "Must-be needs first: customers take them for granted and are dissatisfied when "
        "they fail.",
        "sv": "Baskrav först: kunderna tar dem för givna och blir missnöjda när de brister.",
    },
    "dash_odi": {
        "en": "The most under-served outcomes (ODI)",
        "sv": "De mest undertillgodosedda utfallen (ODI)",
    },
    "dash_feature": {"en": "Feature", "sv": "Egenskap"},
    "dash_category": {"en": "Category", "sv": "Kategori"},
    "dash_action": {"en": "What to do", "sv": "Vad ni bör göra"},
    "dash_cat_M": {"en": "must-be", "sv": "baskrav"},
    "dash_cat_O": {"en": "performance", "sv": "prestanda"},
    "dash_cat_A": {"en": "attractive", "sv": "attraktiv"},
    "dash_cat_I": {"en": "indifferent", "sv": "likgiltig"},
    "dash_cat_R": {"en": "reverse", "sv": "omvänd"},
    "dash_cat_Q": {"en": "questionable", "sv": "tveksam"},
    "dash_contacts": {"en": "Contacts", "sv": "Kontakter"},
    "dash_contacts_unit": {"en": "contacts", "sv": "kontakter"},
    "dash_change": {"en": "Since the last period", "sv": "Sedan förra perioden"},
    "dash_repeat": {"en": "Repeat contacts", "sv": "Upprepade kontakter"},
    "dash_cpis": {"en": "Journey indicators (CPI)", "sv": "Resemått (CPI)"},
    "dash_cpi": {"en": "Indicator", "sv": "Mått"},
    "dash_value": {"en": "Value", "sv": "Värde"},
    "dash_target": {"en": "Target", "sv": "Mål"},
    "dash_meets": {"en": "Meets the target", "sv": "Når målet"},
    "dash_yes": {"en": "yes", "sv": "ja"},
    "dash_no": {"en": "no", "sv": "nej"},
    "dash_goals": {"en": "Goals", "sv": "Mål"},
    "dash_goal": {"en": "Goal", "sv": "Mål"},
    "dash_status": {"en": "Status", "sv": "Status"},
    "dash_due": {"en": "Due", "sv": "Klart senast"},
    "dash_voice": {"en": "The customer's voice", "sv": "Kundens röst"},
    "dash_voice_hint": {
        "en": "Per top contact reason, the texts closest to what most customers in it write "
        "(personal data removed).",
        "sv": "Per vanligaste kontaktorsak, de texter som ligger närmast det de flesta kunder där "
        "skriver (personuppgifter borttagna).",
    },
    "dash_download": {"en": "Download", "sv": "Ladda ned"},
    "dash_download_svg": {"en": "chart as SVG", "sv": "diagrammet som SVG"},
    "dash_download_png": {"en": "chart as PNG", "sv": "diagrammet som PNG"},
    "dash_download_csv": {"en": "data as CSV", "sv": "data som CSV"},
    "dash_download_json": {"en": "all data as JSON", "sv": "alla data som JSON"},
    "dash_not_yet": {
        "en": "Not in this version: the PDF report of the whole view, scheduled e-mail, "
        "observations and the guided start.",
        "sv": "Inte i den här versionen: PDF-rapport av hela vyn, schemalagd e-post, observationer "
        "och guidad start.",
    },
    "dash_chart_trend": {"en": "{kind} per {period}", "sv": "{kind} per {period}"},
    "dash_chart_kano": {
        "en": "Share dissatisfied without the feature",
        "sv": "Andel missnöjda utan egenskapen",
    },
    "dash_chart_odi": {"en": "Opportunity score", "sv": "Möjlighetspoäng"},
    "dash_chart_time": {"en": "Contacts per {period}", "sv": "Kontakter per {period}"},
    "dash_chart_purpose": {"en": "Contacts by purpose type", "sv": "Kontakter per kontakttyp"},
    "dash_chart_reason": {"en": "Contacts by reason", "sv": "Kontakter per kontaktorsak"},
    "dash_chart_channel": {"en": "Contacts by channel", "sv": "Kontakter per kanal"},
    "dash_chart_situation": {"en": "Contacts by situation", "sv": "Kontakter per situation"},
    "dash_chart_cpis": {
        "en": "Share of journeys meeting the target",
        "sv": "Andel resor som når målet",
    },
    "dash_count": {"en": "Number", "sv": "Antal"},
    "dash_share": {"en": "Share", "sv": "Andel"},
    "dash_alt": {"en": "{title}: {items}", "sv": "{title}: {items}"},
    "dash_purpose_problem": {"en": "problem", "sv": "problem"},
    "dash_purpose_question": {"en": "question", "sv": "fråga"},
    "dash_purpose_intent": {"en": "intent", "sv": "avsikt"},
    "dash_purpose_feedback": {"en": "feedback", "sv": "synpunkt"},
    "dash_purpose_need": {"en": "need", "sv": "behov"},
    "dash_purpose_praise": {"en": "praise", "sv": "beröm"},
    "dash_purpose_complaint": {"en": "complaint", "sv": "klagomål"},
    "dash_segment": {"en": "Segment", "sv": "Segment"},
    "dash_team": {"en": "Team", "sv": "Team"},
    "dash_more": {"en": "More panels", "sv": "Fler paneler"},
    "dash_more_hint": {
        "en": "The panels your organisation chose come first; the others are here.",
        "sv": "De paneler er organisation valde visas först; de andra finns här.",
    },
    "dash_customers": {
        "en": "Customers: churn, retention and value",
        "sv": "Kunder: bortfall, kvarhållande och värde",
    },
    "dash_churn": {"en": "Churn", "sv": "Kundbortfall"},
    "dash_churn_unit": {"en": "lost in a year", "sv": "förlorade på ett år"},
    "dash_retention": {"en": "Retention", "sv": "Kvarhållande"},
    "dash_clv": {"en": "Customer lifetime value", "sv": "Kundlivstidsvärde"},
    "dash_risk": {"en": "Value at risk", "sv": "Värde i riskzonen"},
    "dash_risk_top": {
        "en": "The most valuable of the likely lost customers",
        "sv": "De mest värdefulla av de troligen förlorade kunderna",
    },
    "dash_customer": {"en": "Customer", "sv": "Kund"},
    "dash_p_alive": {"en": "Probability active", "sv": "Sannolikhet aktiv"},
    "dash_clv_col": {"en": "Expected value", "sv": "Förväntat värde"},
    "dash_if_active": {"en": "Value if won back", "sv": "Värde om återvunnen"},
    "dash_rule": {"en": "How churn is counted", "sv": "Hur bortfallet räknas"},
    "dash_drivers": {
        "en": "What moves NPS and churn",
        "sv": "Vad som driver NPS och kundbortfall",
    },
    "dash_drivers_hint": {
        "en": "Each bar is the share of the variation the journey indicator explains (Shapley "
        "values, with a 95% bootstrap interval). It shows association, not cause.",
        "sv": "Varje stapel är den andel av variationen som resemåttet förklarar "
        "(Shapley-värden, med 95 % bootstrapintervall). Det visar samband, inte orsak.",
    },
    "dash_drivers_nps": {"en": "NPS", "sv": "NPS"},
    "dash_drivers_churn": {"en": "Churn", "sv": "Kundbortfall"},
    "dash_recs": {
        "en": "Recommendations per situation",
        "sv": "Rekommendationer per situation",
    },
    "dash_recs_hint": {
        "en": "Per situation, the service mode that worked best before and the evidence: its "
        "result against the alternative, the number of cases and the 95% interval.",
        "sv": "Per situation, det servicesätt som fungerat bäst hittills och underlaget: dess "
        "resultat mot alternativet, antalet fall och 95 %-intervallet.",
    },
    "dash_recs_cases": {"en": "{n} cases", "sv": "{n} fall"},
    "dash_chart_churn": {
        "en": "Share of customers lost per month",
        "sv": "Andel kunder som lämnar per månad",
    },
    "dash_month": {"en": "Month", "sv": "Månad"},
    "dash_churn_axis": {"en": "Lost that month", "sv": "Förlorade den månaden"},
    "dash_chart_retention": {
        "en": "Share of new customers still a customer",
        "sv": "Andel nya kunder som är kvar",
    },
    "dash_months_since": {"en": "Months since the start", "sv": "Månader sedan start"},
    "dash_ret_axis": {"en": "Still a customer", "sv": "Fortfarande kund"},
    "dash_ret_12": {
        "en": "of new customers remain after 12 months",
        "sv": "av nya kunder är kvar efter 12 månader",
    },
    "dash_ret_model": {"en": "retention model (sBG)", "sv": "kvarhållandemodell (sBG)"},
    "dash_ret_observed": {"en": "observed", "sv": "observerat"},
    "dash_chart_clv": {
        "en": "Customers by value over the next {months} months",
        "sv": "Kunder efter värde de närmaste {months} månaderna",
    },
    "dash_clv_axis": {"en": "Expected value (SEK)", "sv": "Förväntat värde (kr)"},
    "dash_customers_axis": {"en": "Customers", "sv": "Kunder"},
    "dash_chart_drivers_nps": {
        "en": "What explains the NPS answers",
        "sv": "Vad som förklarar NPS-svaren",
    },
    "dash_chart_drivers_churn": {
        "en": "What explains who leaves",
        "sv": "Vad som förklarar vilka som lämnar",
    },
    "dash_drivers_axis": {"en": "Share explained", "sv": "Förklarad andel"},
    "dash_observations": {"en": "Observations", "sv": "Observationer"},
}
