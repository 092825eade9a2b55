"""The dataset format shared by `kizuna load`, `kizuna load-demo` and `kizuna export`.

See docs/dataset-format.md. `fields.py` declares each list's fields once; the loader
and the exporter both read those declarations, so the two cannot drift apart.
"""
