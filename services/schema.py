"""Imports every model module so that Base.metadata knows all tables (for Alembic)."""

from services.accounts import models as accounts  # noqa: F401
from services.admin import models as admin  # noqa: F401
from services.alarms import models as alarms  # noqa: F401
from services.audit import models as audit  # noqa: F401
from services.checklists import models as checklists  # noqa: F401
from services.db import Base
from services.escalation import models as escalation  # noqa: F401
from services.events import models as events  # noqa: F401
from services.followup import models as followup  # noqa: F401
from services.incidents import models as incidents  # noqa: F401
from services.learning import models as learning  # noqa: F401
from services.push import models as push  # noqa: F401
from services.register import models as register  # noqa: F401
from services.reports import models as reports  # noqa: F401
from services.visits import models as visits  # noqa: F401

metadata = Base.metadata
