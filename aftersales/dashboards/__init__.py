"""The dashboard's charts, for the people who oversee service (the console draws them).

- ``charts``: what a chart is — a selector that returns aggregated rows for a ``Scope`` (the
  reader's centres and a period), and the columns to name and draw;
- ``figures``: rows in the reader's words, for the table, the CSV file and the drawing;
- ``measures``: what the database works out for a chart (days elapsed, median and 90th percentile);
- ``board``: the charts in page order, and the periods to choose from;
- ``cases``, ``damage``: the charts themselves, each a selector and a declaration.

Selectors here only read, and aggregate in the database: a chart costs a few grouped queries
whatever the number of cases.
"""
