"""Recall, false positives and speed of ``kundfokus.contacts.redaction`` on a generated test set.

The set is generated with a fixed seed: Swedish and English contact sentences with personal data
inserted in varied formats (personnummer and samordningsnummer with and without century and with
"-", "+", spaces or no separator; Swedish and international phone numbers; e-mail; card numbers;
IBANs) and with distractors that must stay (dates, amounts, order and case numbers, OCR numbers,
personnummer-like numbers with a wrong check digit, times, postcodes, Luhn-valid 12-digit numbers
after "ordernummer"). Every inserted item is labelled with its kind and exact span.

Measures:

- recall per kind: the share of inserted items that come back as one match of the same kind with
  exactly the same span; "leaked" counts items not covered by any match at all;
- precision per kind: the share of matches that are exactly a labelled item of that kind;
- false positives: distractors touched by any match (per distractor type), and matches that touch
  no labelled item at all;
- speed: texts per second through ``Redactor.redact`` (best of three runs).

Run::

    .venv/bin/python benchmarks/redaction_eval.py            # 2,000 sentences, seed 20261123
    .venv/bin/python benchmarks/redaction_eval.py --n 10000 --seed 7
    .venv/bin/python benchmarks/redaction_eval.py --real ../shared/data/banking77/train.csv \
        ../shared/data/banking77/test.csv ../shared/data/clinc150/data_full.json

The unit tests (``tests/contacts/test_redaction_generated.py``) import :func:`generate` and :func:`evaluate`
from this file and assert the recall on a small set.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kundfokus.contacts.redaction import KINDS, Redactor, luhn_valid

# --------------------------------------------------------------------------------------------------
# value generators: each returns (text, format name)


def _check_digit(nine: str) -> str:
    for d in "0123456789":
        if luhn_valid(nine + d):
            return d
    raise AssertionError


def _birth(rng: random.Random, old: bool = False) -> tuple[int, int, int]:
    year = rng.randint(1905, 1925) if old else rng.randint(1930, 2008)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    return year, month, day


def personnummer(rng: random.Random, valid: bool = True) -> tuple[str, str]:
    fmt = rng.choice(
        ["YYMMDD-NNNN", "YYYYMMDD-NNNN", "YYYYMMDDNNNN", "YYMMDDNNNN", "YYMMDD+NNNN",
         "YYMMDD - NNNN", "YYYYMMDD NNNN", "samordning YYMMDD-NNNN", "samordning YYYYMMDDNNNN",
         "YYMMDD–NNNN", "YYYYMMDD–NNNN"]
    )  # fmt: skip
    year, month, day = _birth(rng, old=fmt == "YYMMDD+NNNN")
    if fmt.startswith("samordning"):
        day += 60
    if fmt == "YYMMDDNNNN" and year >= 2000:
        year -= rng.choice(
            [10, 20, 30]
        )  # bare ten digits starting 0 are taken as phones (documented)
    nine = f"{year % 100:02d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
    check = _check_digit(nine)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    ten = nine + check
    full = f"{year // 100}{ten}"
    shape = fmt.replace("samordning ", "")
    text = {
        "YYMMDD-NNNN": f"{ten[:6]}-{ten[6:]}",
        "YYYYMMDD-NNNN": f"{full[:8]}-{full[8:]}",
        "YYYYMMDDNNNN": full,
        "YYMMDDNNNN": ten,
        "YYMMDD+NNNN": f"{ten[:6]}+{ten[6:]}",
        "YYMMDD - NNNN": f"{ten[:6]} - {ten[6:]}",
        "YYYYMMDD NNNN": f"{full[:8]} {full[8:]}",
        "YYMMDD–NNNN": f"{ten[:6]}–{ten[6:]}",  # en dash, as word processors write it
        "YYYYMMDD–NNNN": f"{full[:8]}–{full[8:]}",
    }[shape]
    return text, fmt


def _d(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def phone(rng: random.Random) -> tuple[str, str]:
    mob = rng.choice(["70", "72", "73", "76", "79"]) + _d(rng, 7)
    fmt = rng.choice(
        ["07X-XXX XX XX", "07XXXXXXXX", "07X-XXXXXXX", "07X XXX XX XX", "+46 7X XXX XX XX",
         "+467XXXXXXXX", "0046 7X XXX XX XX", "+46 (0)7X-XXX XX XX", "08-XXX XXX XX", "08-XX XX XX",
         "08 XXX XXX XX", "031-XX XX XX", "031-XXX XX XX", "0XXX-XX XX XX", "+46 8 XXX XXX XX",
         "+44 20 XXXX XXXX", "+1 (XXX) XXX-XXXX", "+49 30 XXXXXXX", "+358 40 XXX XXXX",
         "+47 XXX XX XXX", "07X - XXX XX XX", "+46-7X-XXX XX XX", "07XX-XX XX XX",
         "07X.XXX XX XX", "467XXXXXXXX"]
    )  # fmt: skip
    m = mob
    s8 = _d(rng, 8)
    s6 = rng.choice("2345678") + _d(rng, 5)
    s7 = rng.choice("2345678") + _d(rng, 6)
    text = {
        "07X-XXX XX XX": f"0{m[:2]}-{m[2:5]} {m[5:7]} {m[7:]}",
        "07XXXXXXXX": f"0{m}",
        "07X-XXXXXXX": f"0{m[:2]}-{m[2:]}",
        "07X XXX XX XX": f"0{m[:2]} {m[2:5]} {m[5:7]} {m[7:]}",
        "+46 7X XXX XX XX": f"+46 {m[:2]} {m[2:5]} {m[5:7]} {m[7:]}",
        "+467XXXXXXXX": f"+46{m}",
        "0046 7X XXX XX XX": f"0046 {m[:2]} {m[2:5]} {m[5:7]} {m[7:]}",
        "+46 (0)7X-XXX XX XX": f"+46 (0){m[:2]}-{m[2:5]} {m[5:7]} {m[7:]}",
        "08-XXX XXX XX": f"08-{s8[:3]} {s8[3:6]} {s8[6:]}".replace("08-0", "08-5"),
        "08-XX XX XX": f"08-{s6[:2]} {s6[2:4]} {s6[4:]}",
        "08 XXX XXX XX": f"08 {s8[:3]} {s8[3:6]} {s8[6:]}".replace("08 0", "08 7"),
        "031-XX XX XX": f"031-{s6[:2]} {s6[2:4]} {s6[4:]}",
        "031-XXX XX XX": f"031-{s7[:3]} {s7[3:5]} {s7[5:]}",
        "0XXX-XX XX XX": f"0{rng.choice(['480', '920', '611', '226', '510'])}-{s6[:2]} {s6[2:4]} {s6[4:]}",
        "+46 8 XXX XXX XX": f"+46 8 {s8[:3]} {s8[3:6]} {s8[6:]}",
        "+44 20 XXXX XXXX": f"+44 20 {s8[:4]} {s8[4:]}",
        "+1 (XXX) XXX-XXXX": f"+1 ({rng.randint(201, 989)}) {s7[:3]}-{s7[3:]}{rng.randint(0, 9)}",
        "+49 30 XXXXXXX": f"+49 30 {s7}",
        "+358 40 XXX XXXX": f"+358 40 {s7[:3]} {s7[3:]}",
        "+47 XXX XX XXX": f"+47 {rng.choice('49')}{s7[:2]} {s7[2:4]} {s7[4:7]}",
        "07X - XXX XX XX": f"0{m[:2]} - {m[2:5]} {m[5:7]} {m[7:]}",
        "+46-7X-XXX XX XX": f"+46-{m[:2]}-{m[2:5]} {m[5:7]} {m[7:]}",
        "07XX-XX XX XX": f"0{m[:3]}-{m[3:5]} {m[5:7]} {m[7:]}",
        # two formats the redactor does not cover (documented): dots, country code without "+"
        "07X.XXX XX XX": f"0{m[:2]}.{m[2:5]} {m[5:7]} {m[7:]}",
        "467XXXXXXXX": f"46{m}",
    }[fmt]
    return text, fmt


_FIRST = ["anna", "erik", "sara", "johan", "örjan", "åsa", "li", "mohammed", "emma", "lars-olof"]
_LAST = ["svensson", "andersson", "berg", "nguyen", "öberg", "smith", "ali", "karlsson"]
_DOMAINS = ["example.se", "exempel.com", "mail.example.co.uk", "företag.se", "uni.example.org"]


def email(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    fmt = rng.choice(["first.last", "firstlastNN", "first+tag", "f_last"])
    local = {
        "first.last": f"{first}.{last}",
        "firstlastNN": f"{first}{last}{rng.randint(1, 99)}",
        "first+tag": f"{first}+kundtjanst",
        "f_last": f"{first[0]}_{last}",
    }[fmt]
    return f"{local}@{rng.choice(_DOMAINS)}", fmt


def card(rng: random.Random) -> tuple[str, str]:
    fmt = rng.choice(["visa 4-4-4-4", "visa 16", "mastercard 4-4-4-4", "mastercard 4-4-4-4 dashes",
                      "amex 4-6-5", "visa 19 4-4-4-4-3"])  # fmt: skip
    if fmt.startswith("visa 19"):
        body = "4" + _d(rng, 17)
    elif fmt.startswith("visa"):
        body = "4" + _d(rng, 14)
    elif fmt.startswith("mastercard"):
        body = f"5{rng.randint(1, 5)}" + _d(rng, 13)
    else:
        body = rng.choice(["34", "37"]) + _d(rng, 12)
    num = body + _check_digit(body)
    if fmt == "visa 16":
        text = num
    elif fmt == "amex 4-6-5":
        text = f"{num[:4]} {num[4:10]} {num[10:]}"
    else:
        sep = "-" if "dashes" in fmt else " "
        text = sep.join(num[i : i + 4] for i in range(0, len(num), 4))
    return text, fmt


_IBAN_BBAN = {"SE": "n20", "DE": "n18", "GB": "a4n14", "NO": "n11", "DK": "n14", "FI": "n14",
              "FR": "n23", "NL": "a4n10"}  # fmt: skip


def _iban_check(country: str, bban: str) -> str:
    moved = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in moved))
    return f"{98 - number % 97:02d}"


def iban(rng: random.Random) -> tuple[str, str]:
    country = rng.choice(list(_IBAN_BBAN))
    spec = _IBAN_BBAN[country]
    if spec.startswith("a4"):
        bban = "".join(rng.choice(string.ascii_uppercase) for _ in range(4)) + _d(
            rng, int(spec[3:])
        )
    else:
        bban = _d(rng, int(spec[1:]))
    if country == "FR":
        bban = bban[:21] + "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in "ab")
    compact = country + _iban_check(country, bban) + bban
    spaced = rng.random() < 0.6
    text = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)) if spaced else compact
    return text, f"{country} {'spaced' if spaced else 'compact'}"


# --------------------------------------------------------------------------------------------------
# distractors: (text, type)


def distractor(rng: random.Random, lang: str) -> tuple[str, str]:
    kind = rng.choice(
        ["date", "date", "amount", "amount", "order", "case", "ocr", "bad_luhn_pnr", "time",
         "postcode", "order_pnr_like", "quantity", "invoice", "other_number"]
    )  # fmt: skip
    sv = lang == "sv"
    months_sv = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
    months_en = ["January", "February", "March", "April", "May", "June", "July", "August"]
    if kind == "date":
        y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
        text = rng.choice([
            f"{y}-{m:02d}-{d:02d}", f"{d} {rng.choice(months_sv if sv else months_en)}",
            f"{d}/{m}", f"{d}/{m}/{y}", f"{d:02d}.{m:02d}.{y}",
            f"{y}-{m:02d}-{d:02d} {rng.randint(7, 20):02d}:{rng.choice(['00', '15', '30', '45'])}",
        ])  # fmt: skip
    elif kind == "amount":
        n = rng.randint(100, 99999)
        grouped = f"{n:,}".replace(",", " ")
        text = rng.choice([f"{grouped} kr", f"{n:,}.00 SEK", f"{n}:-", f"{grouped} kronor",
                           f"€{n / 100:.2f}", f"${n:,}.00", f"{grouped},50 kr"])  # fmt: skip
    elif kind == "order":
        text = rng.choice([f"order {_d(rng, 6)}", f"ordernummer {rng.randint(10**7, 10**8 - 1)}",
                           f"order #A{_d(rng, 5)}", f"#A{_d(rng, 5)}", f"order no. {_d(rng, 10)}",
                           f"beställning {rng.randint(10**8, 10**9 - 1)}"])  # fmt: skip
    elif kind == "case":
        text = rng.choice([f"ärende {rng.randint(2019, 2026)}-{_d(rng, 5)}",
                           f"case {rng.randint(2019, 2026)}-{_d(rng, 5)}",
                           f"ärendenummer {_d(rng, 8)}", f"ticket #{_d(rng, 6)}"])  # fmt: skip
    elif kind == "ocr":
        body = rng.choice("123456789") + _d(rng, rng.randint(8, 17))
        text = f"OCR {body + _check_digit(body)}"  # OCR numbers carry a Luhn check digit too
    elif kind == "invoice":
        body = rng.choice("123456789") + _d(rng, rng.randint(6, 11))
        text = rng.choice([f"fakturanummer {body}", f"invoice {body}", f"faktura nr {body}"])
    elif kind == "bad_luhn_pnr":
        text, _ = personnummer(rng, valid=False)
    elif kind == "time":
        h, mi = rng.randint(7, 21), rng.choice(["00", "15", "30", "45"])
        text = rng.choice([f"kl {h}:{mi}", f"{h}.{mi}", f"{h:02d}:{mi}-{h + 1:02d}:{mi}",
                           f"at {h}:{mi}"])  # fmt: skip
    elif kind == "postcode":
        text = rng.choice([f"{rng.randint(100, 984)} {_d(rng, 2)} {rng.choice(['Stockholm', 'Göteborg', 'Umeå'])}",
                           f"SE-{rng.randint(100, 984)} {_d(rng, 2)}"])  # fmt: skip
    elif kind == "order_pnr_like":
        pnr, _ = personnummer(rng)
        digits = "".join(c for c in pnr if c.isdigit())
        if len(digits) == 10:
            digits = "19" + digits
        text = rng.choice([f"ordernummer {digits}", f"order {digits}", f"ärende {digits}"])
    elif kind == "other_number":  # numbers that are not personal data and have no context word
        text = rng.choice([
            f"bankgiro {rng.randint(100, 9999)}-{_d(rng, 4)}", f"plusgiro {rng.randint(10, 99)} {_d(rng, 2)} {_d(rng, 2)}-{_d(rng, 1)}",
            f"ISBN 978-91-{_d(rng, 2)}-{_d(rng, 5)}-{_d(rng, 1)}", f"{rng.randint(1990, 2015)}-{rng.randint(2016, 2026)}",
            f"{rng.randint(1, 9)},{rng.randint(1, 9)} kg", f"{rng.randint(1, 40)} x {rng.randint(1, 40)} cm",
            f"+{rng.randint(2, 30)} grader", f"{rng.randint(1, 5)} 000 000 kr",
        ])  # fmt: skip
    else:  # quantity
        text = rng.choice([f"{rng.randint(2, 20)} st", f"{rng.randint(10, 99)} %",
                           f"{rng.randint(1, 9)} 000 steg", f"version {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
                           f"{rng.randint(2, 12)} månader"])  # fmt: skip
    return text, kind


# --------------------------------------------------------------------------------------------------
# sentences

_PII_FRAMES = {
    "sv": {
        "personnummer": [
            "mitt personnummer är {}",
            "pnr {}",
            "personnumret {} står på kontot",
            "{}",
        ],
        "phone": ["ring mig på {}", "mitt nummer är {}", "tel: {}", "nå mig på {} efter lunch"],
        "email": ["mejla {}", "min e-post är {}", "skicka till {}"],
        "card": ["kortnumret är {}", "kortet {} dras fel", "betalade med {}"],
        "iban": ["mitt IBAN är {}", "konto {} för återbetalning", "sätt in på {}"],
    },
    "en": {
        "personnummer": ["my Swedish personal number is {}", "ID {}", "personnummer {}", "{}"],
        "phone": ["call me on {}", "my number is {}", "phone: {}", "reach me at {} after lunch"],
        "email": ["email me at {}", "my e-mail is {}", "send it to {}"],
        "card": ["my card number is {}", "the card {} was charged", "I paid with {}"],
        "iban": ["my IBAN is {}", "refund to account {}", "pay into {}"],
    },
}
_DIST_FRAMES = {
    "sv": ["det gäller {}", "jag beställde {}", "enligt {}", "se {}", "{}"],
    "en": ["it is about {}", "I ordered on {}", "regarding {}", "see {}", "{}"],
}
_OPENERS = {
    "sv": ["Hej!", "Hej,", "Hejsan.", "God morgon.", "Hej kundtjänst,", ""],
    "en": ["Hi!", "Hello,", "Good morning.", "Dear support,", ""],
}
_CLOSERS = {
    "sv": ["Tack på förhand.", "Mvh", "Hör av er snarast!", "Tack!", ""],
    "en": ["Thanks in advance.", "Best regards", "Please get back to me!", "Thanks!", ""],
}

_MAKERS = {"personnummer": personnummer, "phone": phone, "email": email, "card": card, "iban": iban}


@dataclass
class Sample:
    text: str
    lang: str
    pii: list[tuple[str, int, int, str]] = field(default_factory=list)  # kind, start, end, format
    distractors: list[tuple[str, int, int]] = field(default_factory=list)  # type, start, end


def generate(n: int = 2000, seed: int = 20261123) -> list[Sample]:
    """``n`` labelled sentences, half Swedish and half English, reproducible from ``seed``."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = "sv" if i % 2 == 0 else "en"
        parts: list[tuple[str, str | None, str | None]] = []  # (fragment, label kind, detail)
        n_pii = rng.choice([1, 1, 2])
        n_dist = rng.choice([1, 2, 3])
        items: list[tuple[str, str]] = [("pii", rng.choice(KINDS)) for _ in range(n_pii)]
        items += [("dist", "") for _ in range(n_dist)]
        rng.shuffle(items)
        opener = rng.choice(_OPENERS[lang])
        if opener:
            parts.append((opener + " ", None, None))
        for j, (what, kind) in enumerate(items):
            sep = ", " if j else ""
            if what == "pii":
                value, fmt = _MAKERS[kind](rng)
                frame = rng.choice(_PII_FRAMES[lang][kind])
            else:
                value, fmt = distractor(rng, lang)
                kind = "distractor"
                frame = rng.choice(_DIST_FRAMES[lang])
            before, after = frame.split("{}")
            parts.append((sep + before, None, None))
            parts.append((value, kind, fmt))
            parts.append((after, None, None))
        closer = rng.choice(_CLOSERS[lang])
        parts.append(((". " + closer) if closer else ".", None, None))
        text, pos = "", 0
        sample = Sample("", lang)
        for frag, kind, detail in parts:
            if kind == "distractor":
                sample.distractors.append((detail, pos, pos + len(frag)))  # type: ignore[arg-type]
            elif kind is not None:
                sample.pii.append((kind, pos, pos + len(frag), detail))  # type: ignore[arg-type]
            text += frag
            pos += len(frag)
        sample.text = text
        out.append(sample)
    return out


# --------------------------------------------------------------------------------------------------
# evaluation


def evaluate(samples: list[Sample], redactor: Redactor | None = None) -> dict:
    """Recall, precision and false positives of ``redactor`` (default: all kinds) on ``samples``."""
    r = redactor or Redactor()
    found = Counter()
    total = Counter()
    leaked = Counter()
    missed_formats: Counter[tuple[str, str]] = Counter()
    by_format_total: Counter[tuple[str, str]] = Counter()
    match_total = Counter()
    match_exact = Counter()
    dist_total = Counter()
    dist_hit = Counter()
    spurious = 0
    examples: dict[str, list[str]] = defaultdict(list)
    for s in samples:
        matches = r.find(s.text)
        spans = {(m.kind, m.start, m.end) for m in matches}
        for kind, a, b, fmt in s.pii:
            total[kind] += 1
            by_format_total[(kind, fmt)] += 1
            if (kind, a, b) in spans:
                found[kind] += 1
            else:
                missed_formats[(kind, fmt)] += 1
                if len(examples["missed " + kind]) < 5:
                    examples["missed " + kind].append(s.text[a:b])
            if not any(m.start < b and a < m.end for m in matches):
                leaked[kind] += 1
        labelled = {(k, a, b) for k, a, b, _ in s.pii}
        for m in matches:
            match_total[m.kind] += 1
            if (m.kind, m.start, m.end) in labelled:
                match_exact[m.kind] += 1
            if not any(m.start < b and a < m.end for _, a, b, _ in s.pii):
                spurious += 1
                if len(examples["spurious"]) < 10:
                    examples["spurious"].append(f"{m.kind}: {m.text!r} in {s.text!r}")
        for typ, a, b in s.distractors:
            dist_total[typ] += 1
            if any(m.start < b and a < m.end for m in matches):
                dist_hit[typ] += 1
    return {
        "recall": {k: found[k] / total[k] for k in KINDS if total[k]},
        "n": dict(total),
        "leaked": dict(leaked),
        "precision": {k: match_exact[k] / match_total[k] for k in KINDS if match_total[k]},
        "distractors": {t: (dist_hit[t], dist_total[t]) for t in sorted(dist_total)},
        "distractor_fp_rate": sum(dist_hit.values()) / max(1, sum(dist_total.values())),
        "spurious_matches": spurious,
        "missed_formats": {
            f"{k} {f}": (missed_formats[(k, f)], by_format_total[(k, f)])
            for (k, f) in sorted(missed_formats)
        },
        "examples": dict(examples),
        "overall_recall": sum(found.values()) / max(1, sum(total.values())),
    }


def speed(samples: list[Sample], repeats: int = 3) -> float:
    """Texts per second through ``Redactor.redact`` (best of ``repeats``)."""
    r = Redactor()
    texts = [s.text for s in samples]
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for t in texts:
            r.redact(t)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def real_texts(paths: list[str]) -> list[str]:
    """Texts from BANKING77 csv files (column ``text``) and CLINC150 ``data_full.json``."""
    import csv
    import json

    texts: list[str] = []
    for p in paths:
        if p.endswith(".json"):
            with open(p, encoding="utf-8") as fh:
                for rows in json.load(fh).values():
                    texts += [row[0] for row in rows]
        else:
            with open(p, encoding="utf-8", newline="") as fh:
                texts += [row["text"] for row in csv.DictReader(fh)]
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--show", action="store_true", help="print examples of misses and spurious")
    ap.add_argument(
        "--real",
        nargs="*",
        default=[],
        help="real texts without personal data to count false positives on: BANKING77 csv files "
        "(column text) or CLINC150 data_full.json",
    )
    args = ap.parse_args(argv)
    samples = generate(args.n, args.seed)
    res = evaluate(samples)
    print(f"generated set: {len(samples)} sentences (seed {args.seed}), "
          f"{sum(res['n'].values())} personal-data items, "
          f"{sum(t for _, t in res['distractors'].values())} distractors")  # fmt: skip
    print(f"\n{'kind':<14}{'items':>7}{'recall':>9}{'leaked':>8}{'precision':>11}")
    for k in KINDS:
        if k in res["n"]:
            print(f"{k:<14}{res['n'][k]:>7}{res['recall'][k]:>9.4f}{res['leaked'].get(k, 0):>8}"
                  f"{res['precision'].get(k, float('nan')):>11.4f}")  # fmt: skip
    print(f"{'all':<14}{sum(res['n'].values()):>7}{res['overall_recall']:>9.4f}")
    print(f"\n{'distractor':<16}{'redacted':>9}{'of':>6}")
    for t, (hit, tot) in res["distractors"].items():
        print(f"{t:<16}{hit:>9}{tot:>6}")
    print(f"distractor false-positive rate: {res['distractor_fp_rate']:.4f}; "
          f"matches touching no labelled item: {res['spurious_matches']}")  # fmt: skip
    if res["missed_formats"]:
        print("\nmissed, by format (missed / items):")
        for f, (a, b) in res["missed_formats"].items():
            print(f"  {f}: {a} / {b}")
    if args.show:
        for k, v in res["examples"].items():
            print(f"\n{k}:")
            for e in v:
                print("  ", e)
    if args.real:
        texts = real_texts(args.real)
        r = Redactor()
        hits = [(m, t) for t in texts for m in r.find(t)]
        with_digits = sum(any(c.isdigit() for c in t) for t in texts)
        print(f"\nreal texts: {len(texts):,} ({with_digits:,} with digits), "
              f"matches (false positives): {len(hits)}")  # fmt: skip
        for m, t in hits[:20]:
            print(f"  {m.kind}: {m.text!r} in {t!r}")
    tps = speed(samples)
    print(f"\nspeed: {tps:,.0f} texts/second (Redactor.redact, best of 3, one core, "
          f"mean {sum(len(s.text) for s in samples) / len(samples):.0f} characters per text)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
