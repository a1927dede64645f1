"""Training and evaluation of the triage model (scikit-learn at training time only; the runtime analyser in
layers/shared/python/complaints/triage applies the exported artefact in pure Python)."""
