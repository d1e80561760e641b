"""Driver analysis: which drivers move a KPI (Shapley/LMG decomposition of R², relative weights).
It shows association, not cause."""
