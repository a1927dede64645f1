"""The local runtime: the synthesized stack on this machine, on moto server (docs/architecture.md §8)."""
