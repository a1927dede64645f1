"""The local runtime: the synthesized stack running on this machine on moto server (DESIGN section 8)."""
