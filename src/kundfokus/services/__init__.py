"""Services: everything that takes a store session (or writes files) and owns a transaction.

A CLI command and a web route call the same service function, so both do exactly the same thing:
``contacts_import`` (all-or-nothing import of contacts), ``review`` (the review queue, corrections,
retraining, history), ``taxonomy`` (the labels of each axis), ``demo`` (the bundled example run).
Methods below this layer are pure; nothing below imports from here.
"""
