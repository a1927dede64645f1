"""Triage's text analysis: product line, category, sentiment, churn risk and risk flags of a complaint,
from a model trained offline (training/) and applied here in pure Python."""
