"""The batch runner behind ``kit run``: every notebook with every parameter set, into ``reports/``.

One module per concern: ``discover`` finds the (notebook, parameter set) pairs, ``parameters`` checks
them, ``cache`` decides what is up to date, ``execute`` runs one pair (in a worker, from content
only), ``report`` renders HTML, ``manifest`` and ``index`` describe the output folder, ``backends``
provides the executor (a local process pool or a Dask cluster) and ``batch`` ties them together.
Importing this package imports nothing heavy.
"""
