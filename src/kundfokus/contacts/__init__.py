"""Situational contact understanding: the need and the situation of every contact, kept apart.

Pure text models only (no store, no files): ``axes`` (need and situation axes), ``redaction``
(personal data out before anything is stored or shown), ``language``, ``rules`` (built-in
Swedish/English first guesses), ``features`` and ``classifier`` (scikit-learn estimators per axis),
``evaluation``, ``situations`` (clusters on situation features), ``active_learning`` (which contact
to review first) and ``preparation`` (checking contacts before import). The store-backed import and
review loop are services: :mod:`kundfokus.services.contacts_import` and
:mod:`kundfokus.services.review`.
"""
