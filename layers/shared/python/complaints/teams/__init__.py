"""Teams: who is on each team's roster and on duty, for triage's assignment (docs/architecture.md §2)."""
