from daihoi.core.models.congress import Congress, CongressLevel
from daihoi.core.models.units import Unit, UnitKind
from daihoi.core.models.users import Role, RoleAssignment, User

__all__ = [
    "Congress",
    "CongressLevel",
    "Role",
    "RoleAssignment",
    "Unit",
    "UnitKind",
    "User",
]
