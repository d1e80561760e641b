"""The review pages: reviewers correct what the model inferred about a contact, one at a time."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
