"""Event schemas: the FNOL an intake system sends, the claim case every stage enriches, the settlement."""

from services.core.events.case import (
    SCHEMA_VERSION,
    ClaimCase,
    DocumentSummary,
    ExtractedField,
    Extraction,
    Finding,
    FraudScore,
    Market,
    ModelRef,
    PerilAssessment,
    ReasonCode,
    Route,
    RoutingDecision,
    SeverityEstimate,
    StageStamp,
)
from services.core.events.fnol import (
    DEFAULT_CURRENCY,
    FNOL,
    Address,
    AreaType,
    Coverage,
    DocumentRef,
    Fault,
    Injury,
    InsuredProperty,
    LineOfBusiness,
    Loss,
    MaritalStatus,
    Party,
    Person,
    PoliceReport,
    Policy,
    Sex,
    Vehicle,
    VehicleCategory,
)
from services.core.events.settlement import Settlement

__all__ = [
    "DEFAULT_CURRENCY", "FNOL", "SCHEMA_VERSION", "Address", "AreaType", "ClaimCase", "Coverage", "DocumentRef",
    "DocumentSummary", "ExtractedField", "Extraction", "Fault", "Finding", "FraudScore", "Injury",
    "InsuredProperty", "LineOfBusiness", "Loss", "MaritalStatus", "Market", "ModelRef", "Party", "PerilAssessment",
    "Person", "PoliceReport", "Policy", "ReasonCode", "Route", "RoutingDecision", "SeverityEstimate", "Settlement",
    "Sex", "StageStamp", "Vehicle", "VehicleCategory",
]
