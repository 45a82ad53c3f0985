"""What a report is asked for: a period and the register's filters (department, team, function
group, channel). The scope — whose incidents — is the viewer's need-to-know, as in the register."""

from __future__ import annotations

from dataclasses import dataclass, replace

from services.incidents.service import RegisterFilter
from services.reports.periods import Period


@dataclass(frozen=True)
class ReportQuery:
    period: Period
    department_id: int | None = None
    team_id: int | None = None
    function_group: str | None = None
    channel: str | None = None

    def register_filter(self, period: Period | None = None) -> RegisterFilter:
        """The register's filter for the same rows (this period, or `period`)."""
        period = period or self.period
        return RegisterFilter(
            date_from=period.first,
            date_to=period.last,
            department_id=self.department_id,
            team_id=self.team_id,
            function_group=self.function_group,
            channel=self.channel,
        )

    def with_period(self, period: Period) -> ReportQuery:
        return replace(self, period=period)

    def register_params(self) -> dict[str, str]:
        """The register list's query string for the same rows (the PWA's drill-down link)."""
        params = {
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "department": self.department_id,
            "team": self.team_id,
            "function_group": self.function_group,
            "channel": self.channel,
        }
        return {k: str(v) for k, v in params.items() if v is not None}
