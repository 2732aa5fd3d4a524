"""The batch runner behind ``kit run``: every notebook with every parameter set, into ``reports/``.

One module per concern: ``discover`` finds the (notebook, parameter set) pairs, ``parameters`` checks
them, ``cache`` decides what is up to date, ``execute`` runs one pair in a worker from content alone
(``trace`` records, inside the kernel, the data and kit modules it uses), ``report`` renders HTML,
``kernels`` starts each pair's kernel forked from the worker's warm ``template`` process,
``manifest`` and ``index`` describe the output folder, ``fsio`` writes safely, ``progress`` reports,
``backends`` provides the executor (a local process pool, or a Dask cluster from ``cluster``) and
``batch`` ties them together; ``cli`` adds the command.
Importing this package imports nothing heavy.
"""
