"""The case library: resolved complaints a handler learns from — the most similar past cases of a
complaint, and the cases supervisors marked with a lesson (docs/architecture.md §2, "Case library")."""
