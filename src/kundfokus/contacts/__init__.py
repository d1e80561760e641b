"""Situational contact understanding: the need and the situation of every contact, kept apart.

Submodules: ``redaction`` (personal data out before anything is stored or shown), ``language``,
``rules`` (built-in Swedish/English first guesses), ``classifier`` (scikit-learn estimators per
axis), ``evaluation``, and the store-backed review loop in ``kundfokus.store``.
"""
