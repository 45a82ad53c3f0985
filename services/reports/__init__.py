"""Reports and trends from the incident register (GIR), the alarms and the visits: the
quarterly report and the half-year progress report of the protocol's annex 2, §9's annual count
for the Sociaal jaarverslag, and the learning guide's trend analyses. Counting runs in SQL over
the register's own WHERE (services.incidents.service.register_clauses), so a figure and the
register list it drills down into agree.

A report, as `build_report` returns it and the API sends it (JSON as is):

    {"period": {"kind", "from", "to", "label"}, "previous": {"from", "to", "label"},
     "scope": {"label", "everything"}, "filters": {...}, "generated_at",
     "sections": [{"key", "title", "summary",
                   "tables": [{"key", "title", "summary", "unit", "chart", "svg",
                               "rows": [{"key", "label", "value", "previous", "change",
                                         "of", "previous_of", "percent", "drill"}],
                               # a matrix instead: "columns": [...], "rows": [{"key",
                               # "label", "values": [...]}]
                              }]}]}

`value`/`previous` are numbers or null (nothing to measure); `of` the denominator of a share,
`percent` only when it is large enough to mean something; `drill` the register list's query
string for the incidents behind the figure, or null.
"""

from services.reports.report import build_report

__all__ = ["build_report"]
